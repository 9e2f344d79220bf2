import Testing
@testable import Figures

/// A legend below a panel must not cover the panel's x label (ch09's Rosenbrock figure).
@Suite("Key below the plot: room for the x label")
struct KeyMarginTests {
    /// gnuplot draws a below-the-plot legend up from the panel's bottom edge and the tick labels
    /// and x label down from the axis (measured on pngcairo: 2.8 character heights for both);
    /// the margin must hold both plus a line of clearance, for short and long legends alike.
    @Test("the bottom margin holds tick labels, x label, every legend row and a spare line", arguments: 1...14)
    func marginHoldsKeyAndLabel(rows: Int) {
        let needed = 3.0 + KeyPlacement.keySpacing * Double(rows) + 1.0
        #expect(Double(KeyPlacement.belowMargin(rows: rows)) >= needed,
                "\(rows) legend rows: margin \(KeyPlacement.belowMargin(rows: rows)) < \(needed) lines")
    }

    @Test("the script sets that margin for a legend below, and resets it otherwise")
    func scriptUsesMargin() {
        // Nine series with long titles in every corner: the legend goes below, one entry a row.
        let series = (0..<9).map { k in
            Series(title: "a long series title that fills most of the panel width, number \(k)",
                   x: [0, 4, 4, 0, 0], y: [0, 0, 4, 4, Double(k) / 3])
        }
        let plot = Plot(xLabel: "x", yLabel: "y", series: series)
        let panel = (width: 900, height: 560)
        #expect(KeyPlacement.resolve(plot, panel: panel) == .below)
        let rows = KeyPlacement.belowRows(plot, panel: panel)
        #expect(rows == 9)
        let script = GnuplotScript.script(Figure(name: "m", title: "t", plots: [plot]))
        #expect(script.contains("maxrows 9") && script.contains("set bmargin \(KeyPlacement.belowMargin(rows: 9))\n"))
        let free = GnuplotScript.script(Figure(name: "f", title: "t", xLabel: "x", yLabel: "y",
                                               series: [Series(title: "a", x: [0, 1], y: [0, 1])]))
        #expect(free.contains("set bmargin\n") && !free.contains("below horizontal"))
    }

    @Test("a legend too wide to fit inside the plot goes below it (gnuplot would drop it silently)")
    func tooWideGoesBelow() {
        // ch11's noise-floor panel: two short curves, a free corner, but a 37-character title in a
        // 450-pixel panel — gnuplot's pngcairo drew no legend at all.
        let plot = Plot(xLabel: "α", yLabel: "floor", xRange: 0...1, yRange: 0...1, key: .topLeft, series: [
            Series(title: "measured, mean and range of 5 seeds", x: [0, 1], y: [0.05, 0.1]),
            Series(title: "closed form", x: [0, 1], y: [0.05, 0.11]),
        ])
        #expect(KeyPlacement.resolve(plot, panel: (width: 450, height: 440)) == .below)
        // The same legend in a wide panel stays inside, in the corner asked for.
        #expect(KeyPlacement.resolve(plot, panel: (width: 900, height: 440)) == .topLeft)
    }

    @Test("untitled series (no legend entry) take no legend row")
    func untitledSeriesTakeNoRow() {
        // Four titled series and eight untitled ones (a line and its markers, as ch01 draws them).
        let titled = (0..<4).map { k in Series(title: "run \(k)", x: [0, 1], y: [0, Double(k)]) }
        let untitled = (0..<8).map { k in Series(title: "", x: [0, 1], y: [1, Double(k)]) }
        let plot = Plot(xLabel: "x", yLabel: "y", key: .below, series: untitled + titled)
        #expect(KeyPlacement.belowRows(plot, panel: (width: 880, height: 440)) == 2)
    }
}
