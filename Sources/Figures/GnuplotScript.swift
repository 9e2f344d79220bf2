#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a ``Figure`` into gnuplot's two files: the data (`<name>.dat`, one block per series,
/// blocks separated by two blank lines so `index` picks them) and a self-contained script
/// (`<name>.gp`) that draws `<name>.svg` and `<name>.png` from it.
///
/// The book's style lives here, once: the pens of ``Palette`` (colour, dash and marker per
/// series), 2-pixel lines, a light grid, sans-serif text, legends placed where they cover no
/// data (``KeyPlacement``). The SVG keeps its text as text; the PNG is drawn at twice the SVG's
/// pixel size with fonts, lines and markers scaled to match, so it stays sharp on a slide.
public enum GnuplotScript {
    /// The Okabe–Ito palette (Okabe & Ito, 2008), with grey for the yellow that vanishes on white.
    public static let palette = Palette.colors
    /// Font size of the SVG's text in points; the PNG uses twice as many pixels for everything.
    public static let fontSize = 12

    /// The data file: every series, contour grid and heat map as one `index` block.
    public static func data(_ figure: Figure) -> String {
        Layout(figure).data
    }

    /// The `.gp` script: `gnuplot <name>.gp` in the figure's folder draws `<name>.svg` and `<name>.png`.
    public static func script(_ figure: Figure) -> String {
        let layout = Layout(figure)
        var s = "# \(figure.title)\n# Redraw with: gnuplot \(figure.name).gp  (reads \(figure.name).dat, writes \(figure.name).svg and \(figure.name).png)\n"
        s += "reset\nDATA = \(quoted(figure.name + ".dat"))\n"
        s += layout.preamble(dataRef: "DATA")
        s += "do for [fmt in \"svg png\"] {\n"
        s += "    if (fmt eq \"svg\") {\n"
        s += "        set terminal svg size \(figure.size.width),\(figure.size.height) dynamic noenhanced font \"Sans,\(fontSize)\" background rgb \"white\"\n"
        s += "        TITLEFONT = \",\(fontSize + 2)\"\n"
        s += "    } else {\n"
        // 1.5× the SVG's size: sharp on most screens, and 0.56× the pixels of 2× (encoding the PNGs was two
        // thirds of gnuplot's time; the book's figures drew 20 % faster).
        s += "        set terminal pngcairo size \(3 * figure.size.width / 2),\(3 * figure.size.height / 2) noenhanced font \"Sans,\(3 * fontSize / 2)\" linewidth 1.5 pointscale 1.5 background rgb \"white\"\n"
        s += "        TITLEFONT = \",\(3 * fontSize / 2 + 3)\"\n"
        s += "    }\n"
        s += "    set output \(quoted(figure.name + ".")).fmt\n"
        s += indent(layout.body(dataRef: "DATA"), by: 4)
        s += "    unset output\n}\n"
        return s
    }

    /// A self-contained script (data inline in a `$DATA` block) that draws `figure` with
    /// gnuplot's `dumb` terminal at `width` × `height` characters.
    public static func dumb(_ figure: Figure, width: Int, height: Int) -> String {
        let layout = Layout(figure)
        var s = "reset\n$DATA << EOD\n" + layout.data + "EOD\n"
        s += layout.preamble(dataRef: "$DATA")
        s += "set terminal dumb size \(width),\(height) noenhanced\nTITLEFONT = \"\"\n"
        s += layout.body(dataRef: "$DATA")
        return s
    }

    /// A gnuplot string literal (double quotes, with `\` and `"` escaped).
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for c in text {
            switch c {
            case "&": out += "and"  // pango (svg/pngcairo) would swallow a bare ampersand
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out + "\""
    }

    static func number(_ x: Double) -> String { "\(x)" }

    static func indent(_ text: String, by n: Int) -> String {
        let pad = String(repeating: " ", count: n)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }
            .joined(separator: "\n")
    }
}

/// Assigns data blocks to a figure's parts and writes the commands that use them.
private struct Layout {
    let figure: Figure
    var data = ""
    /// index of each series' block, by plot then series (nil: nothing finite to draw).
    var seriesIndex: [[Int?]] = []
    var contourIndex: [Int?] = []
    var heatmapIndex: [Int?] = []
    private var next = 0

    init(_ figure: Figure) {
        self.figure = figure
        for (p, plot) in figure.plots.enumerated() {
            var indices: [Int?] = []
            for (k, s) in plot.series.enumerated() {
                var rows = ""
                for i in s.x.indices where s.x[i].isFinite && s.y[i].isFinite {
                    if s.style == .band {
                        guard s.low[i].isFinite && s.high[i].isFinite else { continue }
                        rows += "\(s.x[i]) \(s.y[i]) \(s.low[i]) \(s.high[i])\n"
                    } else {
                        rows += "\(s.x[i]) \(s.y[i])\n"
                    }
                }
                indices.append(rows.isEmpty ? nil : block("plot \(p + 1) series \(k + 1): \(s.title)", rows))
            }
            seriesIndex.append(indices)
            contourIndex.append(plot.contour.map { c in
                var rows = ""
                for (j, y) in c.ys.enumerated() {
                    for (i, x) in c.xs.enumerated() { rows += "\(x) \(y) \(c.values[j][i].isFinite ? "\(c.values[j][i])" : "NaN")\n" }
                    rows += "\n"
                }
                return block("plot \(p + 1) contour grid (x y f)", rows)
            })
            heatmapIndex.append(plot.heatmap.map { h in
                var rows = ""
                for (j, y) in h.ys.enumerated() {
                    for (i, x) in h.xs.enumerated() {
                        let v = h.values[j][i]
                        let z = h.logScale ? (v > 0 && v.isFinite ? "\(_log10(v))" : "NaN") : (v.isFinite ? "\(v)" : "NaN")
                        rows += "\(x) \(y) \(z)\n"
                    }
                    rows += "\n"
                }
                return block("plot \(p + 1) heat map (x y \(h.logScale ? "log10 " : "")value)", rows)
            })
        }
    }

    private mutating func block(_ header: String, _ rows: String) -> Int {
        if next > 0 { data += "\n\n" }
        data += "# [index \(next)] \(header)\n" + rows
        next += 1
        return next - 1
    }

    /// Commands run once before drawing: contour tables and the style.
    func preamble(dataRef: String) -> String {
        var s = "set encoding utf8\nset termoption noenhanced\n"
        for (p, plot) in figure.plots.enumerated() {
            guard let c = plot.contour, let idx = contourIndex[p] else { continue }
            s += "set contour base\nunset surface\nset view map\n"
            s += "set cntrparam levels discrete " + c.levels.map(GnuplotScript.number).joined(separator: ",") + "\n"
            s += "set table $CONTOUR\(p)\n"
            s += "splot \(dataRef) index \(idx) using 1:2:3 with lines notitle\n"
            s += "unset table\nunset contour\nset surface\n"
        }
        s += "set palette defined (0 \"#440154\", 1 \"#3B528B\", 2 \"#21908C\", 3 \"#5DC863\", 4 \"#FDE725\")\n"
        s += "set style fill solid 1.0 noborder\n"
        s += "set grid lc rgb \"#e0e0e0\" lw 1\nset border lc rgb \"#404040\"\nset tics nomirror\n"

        return s
    }

    /// The drawing commands (after `set terminal` / `set output`).
    func body(dataRef: String) -> String {
        var s = ""
        let multi = figure.plots.count > 1
        if multi {
            let rows = (figure.plots.count + figure.columns - 1) / figure.columns
            s += "set multiplot layout \(rows),\(figure.columns) title \(GnuplotScript.quoted(figure.title)) font TITLEFONT\n"
        }
        for (p, plot) in figure.plots.enumerated() {
            s += "unset label\nunset arrow\nunset logscale\nunset colorbox\nset autoscale\n"
            s += "set title \(GnuplotScript.quoted(multi ? plot.title : (plot.title.isEmpty ? figure.title : plot.title)))\n"
            s += "set xlabel \(GnuplotScript.quoted(plot.xLabel))\nset ylabel \(GnuplotScript.quoted(plot.yLabel))\n"
            if plot.xScale == .log { s += "set logscale x\nset format x \"%.0e\"\n" } else { s += "set format x \"% h\"\n" }
            if plot.yScale == .log { s += "set logscale y\nset format y \"%.0e\"\n" } else { s += "set format y \"% h\"\n" }
            let boxes = plot.series.contains { $0.style == .boxes }
            s += "set xrange " + range(plot.xRange) + "\nset yrange " + (plot.yRange == nil && boxes && plot.yScale == .linear ? "[0:*]" : range(plot.yRange)) + "\n"
            let drawn = plot.series.indices.filter { seriesIndex[p][$0] != nil }
            let rows = (figure.plots.count + figure.columns - 1) / figure.columns
            let panel = (width: figure.size.width / figure.columns, height: (figure.size.height - (multi ? 30 : 0)) / rows)
            let key = KeyPlacement.resolve(plot, panel: panel)
            let belowRows = KeyPlacement.belowRows(plot, panel: panel)
            s += (key == .none || drawn.count < 2) && plot.markers.isEmpty ? "unset key\n"
                : "set key default\nset key opaque samplen 2.5 spacing \(KeyPlacement.keySpacing) \(key == .none ? "top right" : key.rawValue)"
                    + (key == .below ? " maxrows \(belowRows)" : "") + "\n"
            // A key below the axes needs room under the x label: two entries per row when they fit.
            s += key == .below ? "set bmargin \(KeyPlacement.belowMargin(rows: belowRows))\n" : "set bmargin\n"
            // Linear x axes: about one labelled tick per 80 pixels, so labels never run together.
            if plot.xScale == .linear, let extent = KeyPlacement.xExtent(plot),
               let step = KeyPlacement.tickStep(extent, pixels: Double(panel.width) - 110) {
                s += "set xtics \(step)\n"
            } else {
                s += "set xtics autofreq\n"
            }
            var parts: [String] = []
            if let h = plot.heatmap, let idx = heatmapIndex[p] {
                s += "set colorbox\nset cblabel \(GnuplotScript.quoted(h.logScale ? "log10 " + h.colorLabel : h.colorLabel))\nset cbrange "
                    + (h.colorRange.map { r in h.logScale ? "[\(_log10(r.lowerBound)):\(_log10(r.upperBound))]" : range(r) } ?? "[*:*]") + "\n"
                parts.append("\(dataRef) index \(idx) using 1:2:3 with image notitle")
            }
            if plot.contour != nil, contourIndex[p] != nil {
                parts.append("$CONTOUR\(p) using 1:2 with lines lc rgb \"#b8b8b8\" lw 1 notitle")
            }
            for (k, series) in plot.series.enumerated() {
                guard let idx = seriesIndex[p][k] else { continue }
                let pen = series.resolvedPen(position: k)
                let marked = series.style == .points || series.style == .linesPoints
                let style = "lc rgb \"\(pen.color)\" lw 2 dt \(pen.dash)" + (marked ? " pt \(pen.point) ps 0.8" : "")
                let title = GnuplotScript.quoted(series.title)
                switch series.style {
                case .lines: parts.append("\(dataRef) index \(idx) using 1:2 with lines \(style) title \(title)")
                case .points: parts.append("\(dataRef) index \(idx) using 1:2 with points \(style) title \(title)")
                case .linesPoints: parts.append("\(dataRef) index \(idx) using 1:2 with linespoints \(style) title \(title)")
                case .steps: parts.append("\(dataRef) index \(idx) using 1:2 with steps \(style) title \(title)")
                case .boxes: parts.append("\(dataRef) index \(idx) using 1:2 with boxes \(style) fs solid 0.5 title \(title)")
                case .band:
                    parts.append("\(dataRef) index \(idx) using 1:3:4 with filledcurves \(style) fs transparent solid 0.25 noborder notitle")
                    parts.append("\(dataRef) index \(idx) using 1:2 with lines \(style) title \(title)")
                }
            }
            for (m, marker) in plot.markers.enumerated() {
                let color = GnuplotScript.palette[marker.color % GnuplotScript.palette.count]
                s += "set arrow \(m + 1) from \(marker.x), graph 0 to \(marker.x), graph 1 nohead front lc rgb \"\(color)\" lw 1.5 dt 3\n"
                parts.append("NaN with lines lc rgb \"\(color)\" lw 1.5 dt 3 title \(GnuplotScript.quoted(marker.label))")
            }
            if parts.isEmpty || (drawn.isEmpty && plot.contour == nil && plot.heatmap == nil && !plot.series.isEmpty) {
                s += "set label 1 \"no finite values to draw (diverged)\" at graph 0.5, graph 0.5 center\n"
                s += "set xrange [0:1]\nset yrange [0:1]\nunset logscale\n"
                parts = ["NaN notitle"]
            }
            s += "plot " + parts.joined(separator: ", \\\n     ") + "\n"
        }
        if multi { s += "unset multiplot\n" }
        return s
    }

    func range(_ r: ClosedRange<Double>?) -> String {
        guard let r else { return "[*:*]" }
        return "[\(r.lowerBound):\(r.upperBound)]"
    }
}

func _log10(_ x: Double) -> Double {
    #if canImport(Glibc)
    return Glibc.log10(x)
    #else
    return Darwin.log10(x)
    #endif
}
