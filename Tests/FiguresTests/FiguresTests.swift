import Foundation
import Testing
@testable import Figures

let figuresGolden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Golden/figures")

let hasGnuplot = Gnuplot.isAvailable

/// Small figures whose exact script and data are committed under Tests/Golden/figures.
enum Samples {
    static let lines = Figure(name: "lines", title: "Two rates", xLabel: "step", yLabel: "loss", yScale: .log, series: [
        Series(title: "α = 0.1", x: [0, 1, 2], y: [1, 0.5, 0.25]),
        Series(title: "α = 1", style: .points, x: [0, 1, 2], y: [1, .nan, 4], dashed: true),
    ])
    static let band = Figure(name: "band", title: "Mean ± std", xLabel: "log10 lr", yLabel: "final loss", series: [
        Series(title: "Adam", style: .band, x: [-3, -2, -1], y: [0.5, 0.2, 0.9], low: [0.4, 0.1, 0.5], high: [0.6, 0.3, 1.3]),
    ])
    static let contour = Figure(name: "contour", title: "Path on x² + y²", xLabel: "x", yLabel: "y",
                                series: [Series(title: "path", style: .linesPoints, x: [-1, 0], y: [1, 0])],
                                contour: Contour(xRange: -1...1, yRange: -1...1, resolution: 3, levels: [0.5, 1]) { x, y in x * x + y * y })
    static let panels = Figure(name: "panels", title: "Small multiples", plots: [
        Plot(title: "left", xLabel: "x", yLabel: "y", series: [Series(title: "a", style: .steps, x: [0, 1], y: [1, 2])]),
        Plot(title: "right", xLabel: "x", yLabel: "count", key: .none,
             series: [Series(title: "histogram", style: .boxes, x: [0, 1, 2], y: [3, 5, 1])],
             markers: [Marker(x: 1, label: "suggested")]),
    ])
    static let heat = Figure(name: "heat", title: "Norms", xLabel: "step", yLabel: "layer", series: [],
                             heatmap: Heatmap(xs: [0, 1], ys: [1, 2], values: [[1, 10], [100, 0]], colorLabel: "norm", logScale: true))
    static let all = [lines, band, contour, panels, heat]
}

@Suite("Figures: script and data text")
struct FigureTextTests {
    @Test("golden .gp and .dat for small figures", arguments: Samples.all.map(\.name))
    func golden(name: String) throws {
        let f = Samples.all.first { $0.name == name }!
        // DESCENT_UPDATE_GOLDEN=1 writes candidates to a scratch folder (never over the goldens)
        // and still compares with the committed files: review the diff, copy, commit.
        if ProcessInfo.processInfo.environment["DESCENT_UPDATE_GOLDEN"] == "1" {
            let candidates = FileManager.default.temporaryDirectory.appendingPathComponent("descent-figures-golden")
            try FileManager.default.createDirectory(at: candidates, withIntermediateDirectories: true)
            try FigureWriter.write(f, to: candidates)
            print("candidate golden \(name): \(candidates.path) (diff it against \(figuresGolden.path))")
        }
        let gp = try String(contentsOf: figuresGolden.appendingPathComponent(name + ".gp"), encoding: .utf8)
        let dat = try String(contentsOf: figuresGolden.appendingPathComponent(name + ".dat"), encoding: .utf8)
        #expect(GnuplotScript.script(f) == gp)
        #expect(GnuplotScript.data(f) == dat)
    }

    @Test("non-finite points are left out of the data, and a series with none is reported")
    func nonFinite() {
        let dat = GnuplotScript.data(Samples.lines)
        #expect(!dat.contains("nan") && dat.contains("2.0 4.0"))
        let dead = Figure(name: "dead", title: "t", xLabel: "x", yLabel: "y",
                          series: [Series(title: "diverged run", x: [0, 1], y: [.nan, .infinity])])
        #expect(dead.emptySeries == ["t: diverged run"])
        #expect(GnuplotScript.script(dead).contains("no finite values to draw"))
    }

    @Test("log-spaced indices: increasing, unique, from 0 to count − 1")
    func logSpaced() {
        let i = logSpacedIndices(10_000, points: 50)
        #expect(i.first == 0 && i.last == 9_999 && zip(i, i.dropFirst()).allSatisfy { $0 < $1 })
        #expect(i.count <= 50 && i.count > 30)
    }

    @Test("strings are quoted for gnuplot")
    func quoting() {
        #expect(GnuplotScript.quoted(#"a "b" \c"#) == #""a \"b\" \\c""#)
    }
}

@Suite("Figures: rendering with gnuplot")
struct RenderTests {
    func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("figures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Width and height from a PNG's IHDR chunk.
    func pngSize(_ url: URL) throws -> (Int, Int) {
        let d = try Data(contentsOf: url)
        #expect(d.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        func be32(_ o: Int) -> Int { d[o..<(o + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (be32(16), be32(20))
    }

    @Test("svg and png are drawn, sized, and carry the title and legend", .enabled(if: hasGnuplot, "gnuplot is not installed (apt-get install gnuplot gnuplot-nox)"),
          arguments: Samples.all.map(\.name))
    func render(name: String) async throws {
        let f = Samples.all.first { $0.name == name }!
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FigureWriter.write(f, to: dir)
        try await FigureWriter.render([f.name], in: dir, renderer: GnuplotRenderer())
        let (w, h) = try pngSize(dir.appendingPathComponent(f.name + ".png"))
        #expect(w == 3 * f.size.width / 2 && h == 3 * f.size.height / 2)  // PNG at 1.5× the SVG's pixels
        let png = try Data(contentsOf: dir.appendingPathComponent(f.name + ".png"))
        #expect(png.count > 5_000)
        let svg = try String(contentsOf: dir.appendingPathComponent(f.name + ".svg"), encoding: .utf8)
        #expect(svg.contains(f.title))
        for s in f.plots.flatMap(\.series) where f.plots.flatMap(\.series).count > 1 {
            #expect(svg.contains(s.title.replacingOccurrences(of: "&", with: "&amp;")), "legend '\(s.title)' missing")
        }
    }

    @Test("a broken script is an error that quotes gnuplot and names the line", .enabled(if: hasGnuplot, "gnuplot is not installed"))
    func broken() async throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "set xrange [0:1]\nset title \"ok\"\nplot undefined_variable_here with lines\n"
            .write(to: dir.appendingPathComponent("bad.gp"), atomically: true, encoding: .utf8)
        await #expect {
            try await GnuplotRenderer().render(figure: "bad", in: dir)
        } throws: { error in
            let text = "\(error)"
            return text.contains("bad.gp") && text.contains("line 3") && text.contains("undefined")
        }
    }

    @Test("terminal plots fit the requested width", .enabled(if: hasGnuplot, "gnuplot is not installed"))
    func dumb() async throws {
        let text = try await Gnuplot.terminalPlot(Samples.lines, width: 70, height: 20)
        let lines = text.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 70 })
        #expect(text.contains("Two rates") && text.contains("α = 0.1"))
    }

    @Test("rendering many figures runs them in parallel without losing any", .enabled(if: hasGnuplot, "gnuplot is not installed"))
    func many() async throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        var names: [String] = []
        for i in 0..<8 {
            var f = Samples.lines
            f.name = "fig\(i)"
            try FigureWriter.write(f, to: dir)
            names.append(f.name)
        }
        try await FigureWriter.render(names, in: dir, renderer: GnuplotRenderer(), parallelism: 3)
        for n in names { #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(n + ".svg").path)) }
    }
}
