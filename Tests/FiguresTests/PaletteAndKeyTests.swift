import Foundation
import Testing
@testable import Figures

@Suite("Figures: one palette, legends that cover no data, described SVGs")
struct PaletteAndKeyTests {
    @Test("within each family of names no two share a pen, and every named pen is drawn as named")
    func familiesDistinct() {
        for family in [Palette.optimizers, Palette.schedules, Palette.rates, Palette.references] {
            #expect(Set(family.values).count == family.count, "\(family.keys.sorted())")
        }
        let n = Palette.optimizers.count + Palette.schedules.count + Palette.rates.count + Palette.references.count
        #expect(Palette.named.count == n, "a name appears in two families")
        let f = Figure(name: "f", title: "t", xLabel: "x", yLabel: "y", series: [
            Series(title: "Adam", x: [0, 1], y: [1, 2], pen: .named("Adam")),
            Series(title: "SGD", x: [0, 1], y: [2, 3], pen: .named("SGD")),
        ])
        let script = GnuplotScript.script(f)
        #expect(script.contains("lc rgb \"\(Pen.named("Adam").color)\" lw 2 dt \(Pen.named("Adam").dash) title \"Adam\""))
        #expect(script.contains("lc rgb \"\(Pen.named("SGD").color)\" lw 2 dt \(Pen.named("SGD").dash) title \"SGD\""))
    }

    @Test("unnamed series: neighbours differ in colour and in dash, so grey scale separates them")
    func greyScale() {
        for k in 0..<12 {
            let a = Palette.pen(index: k), b = Palette.pen(index: k + 1)
            #expect(a.color != b.color && a.dash != b.dash && a.point != b.point, "\(k)")
        }
        // Nine series in one plot (the schedule gallery's count): nine different pens.
        #expect(Set((0..<9).map { Palette.pen(index: $0) }).count == 9)
        #expect(Series(title: "a", x: [0], y: [0], color: 2, dashed: true).resolvedPen(position: 0).dash != 1)
    }

    /// A plot whose single series runs through the top-right corner.
    func rising(_ key: Plot.Key = .auto, n: Int = 2) -> Plot {
        Plot(xLabel: "x", yLabel: "y", key: key, series: (0..<n).map { k in
            Series(title: "series \(k)", x: [0, 1, 2, 3, 4], y: [0, 1, 2, 3, 4].map { $0 + Double(k) * 0.01 })
        })
    }

    @Test("a legend moves off the data: rising lines leave top left free, not top right")
    func corners() {
        let panel = (width: 900, height: 560)
        #expect(KeyPlacement.resolve(rising(), panel: panel) == .topLeft)
        #expect(KeyPlacement.resolve(rising(.topRight), panel: panel) == .topLeft)
        #expect(KeyPlacement.resolve(rising(.bottomRight), panel: panel) == .bottomRight)
        // The chosen corner is free: no segment meets its box.
        let falling = Plot(xLabel: "x", yLabel: "y", series: [
            Series(title: "a", x: [0, 1, 2, 3, 4], y: [4, 3, 2, 1, 0]), Series(title: "b", x: [0, 4], y: [4.1, 0.1]),
        ])
        #expect(KeyPlacement.resolve(falling, panel: panel) == .topRight)
    }

    @Test("data in every corner, a contour or a heat map: the legend goes below the plot")
    func below() {
        let panel = (width: 900, height: 560)
        let box = Plot(xLabel: "x", yLabel: "y", series: [
            Series(title: "frame", x: [0, 4, 4, 0, 0], y: [0, 0, 4, 4, 0]), Series(title: "cross", x: [0, 4], y: [4, 0]),
        ])
        #expect(KeyPlacement.resolve(box, panel: panel) == .below)
        var contoured = rising()
        contoured.contour = Contour(xRange: 0...1, yRange: 0...1, resolution: 2, levels: [0.5]) { x, y in x + y }
        #expect(KeyPlacement.resolve(contoured, panel: panel) == .below)
        let script = GnuplotScript.script(Figure(name: "b", title: "t", plots: [box]))
        #expect(script.contains("below horizontal") && script.contains("set bmargin 5"))
        // A filled bar under the corner counts as data.
        let bars = Plot(xLabel: "x", yLabel: "n", series: [Series(title: "h", style: .boxes, x: [0, 1, 2], y: [5, 5, 5])],
                        markers: [Marker(x: 1, label: "m")])
        #expect(KeyPlacement.resolve(bars, panel: panel) == .below)
    }

    @Test("segment–box intersection")
    func intersection() {
        let box: KeyPlacement.Box = (0.8, 1, 0.8, 1)
        #expect(KeyPlacement.intersects((0, 0, 1, 1), box))
        #expect(!KeyPlacement.intersects((0, 0, 1, 0.5), box))
        #expect(KeyPlacement.intersects((0.9, 0, 0.9, 1), box))
        #expect(!KeyPlacement.intersects((0.5, 0.9, 0.7, 0.9), box))
    }

    @Test("the SVG gets the figure's title and a description; its text stays text", .enabled(if: hasGnuplot, "gnuplot is not installed"))
    func svgMetadata() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("figures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = Figure(name: "m", title: "Loss <per> step & more", xLabel: "step", yLabel: "loss", yScale: .log, series: [
            Series(title: "Adam", x: [0, 1, 2], y: [1, 0.5, 0.2]), Series(title: "SGD", x: [0, 1, 2], y: [1, 0.8, 0.6]),
        ])
        try FigureWriter.write(f, to: dir)
        let renderer = DescribedSVGRenderer(base: GnuplotRenderer(), descriptions: [f.name: (f.title, "Caption. " + f.textDescription)])
        try await FigureWriter.render([f.name], in: dir, renderer: renderer)
        let svg = try String(contentsOf: dir.appendingPathComponent("m.svg"), encoding: .utf8)
        #expect(svg.contains("<title>Loss &lt;per&gt; step &amp; more</title>"))
        #expect(svg.contains("<desc>Caption. x axis step, y axis loss (log scale). Series: Adam; SGD.</desc>"))
        #expect(!svg.contains("<title>Gnuplot</title>") && !svg.contains("Produced by GNUPLOT"))
        #expect(svg.contains("<text") && svg.contains(">Adam</tspan>") || svg.contains(">Adam</text>"))
        #expect(!svg.contains("<image"))
    }
}
