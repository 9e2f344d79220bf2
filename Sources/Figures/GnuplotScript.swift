/// Turns a ``Figure`` into gnuplot commands.
public enum GnuplotScript {
    /// A self-contained script (data inline as `$data` blocks) that draws `figure` with
    /// gnuplot's `dumb` terminal at `width` × `height` characters.
    public static func dumb(_ figure: Figure, width: Int, height: Int) -> String {
        var s = "set terminal dumb size \(width),\(height)\n"
        s += body(figure, inlineData: true)
        return s
    }

    /// The plotting commands after `set terminal`: title, labels, scales, ranges and the
    /// `plot` line. With `inlineData`, the data go in `$series<i>` here-documents.
    public static func body(_ figure: Figure, inlineData: Bool) -> String {
        var s = ""
        if inlineData {
            for (i, series) in figure.series.enumerated() {
                s += "$series\(i) << EOD\n"
                for (x, y) in zip(series.x, series.y) where x.isFinite && y.isFinite {
                    s += "\(x) \(y)\n"
                }
                s += "EOD\n"
            }
        }
        s += "set title \(quoted(figure.title))\n"
        s += "set xlabel \(quoted(figure.xLabel))\n"
        s += "set ylabel \(quoted(figure.yLabel))\n"
        s += figure.xScale == .log ? "set logscale x\n" : "unset logscale x\n"
        s += figure.yScale == .log ? "set logscale y\n" : "unset logscale y\n"
        if let r = figure.xRange { s += "set xrange [\(r.lowerBound):\(r.upperBound)]\n" }
        if let r = figure.yRange { s += "set yrange [\(r.lowerBound):\(r.upperBound)]\n" }
        s += figure.series.count > 1 ? "set key top right\n" : "unset key\n"
        let plots = figure.series.enumerated().map { i, series in
            "$series\(i) using 1:2 with \(style(series.style)) title \(quoted(series.title))"
        }
        s += "plot " + plots.joined(separator: ", \\\n     ") + "\n"
        return s
    }

    static func style(_ style: Series.Style) -> String {
        switch style {
        case .lines: return "lines"
        case .points: return "points"
        case .linesPoints: return "linespoints"
        case .steps: return "steps"
        }
    }

    /// A gnuplot string literal (double quotes, with `\` and `"` escaped).
    public static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
