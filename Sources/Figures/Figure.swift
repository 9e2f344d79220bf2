/// A figure as a value: what to draw, independent of how it is rendered.
///
/// A figure holds one or more ``Plot``s (axes boxes). One plot is an ordinary figure; several
/// are drawn as small multiples side by side (gnuplot `multiplot`), `columns` per row.
///
/// ```swift
/// let f = Figure(name: "loss", title: "Training loss", plots: [
///     Plot(xLabel: "step", yLabel: "loss", yScale: .log,
///          series: [Series(title: "Adam", x: steps, y: losses)])
/// ])
/// try FigureWriter.write(f, to: chapterDirectory)          // loss.gp + loss.dat
/// ```
public struct Figure: Sendable, Equatable {
    /// File-name stem (no extension), e.g. `loss-vs-step`; letters, digits, `-` and `_` only.
    /// (Titles may use any Unicode but not `&`, which the cairo terminals swallow.)
    public var name: String
    /// The figure's title (for one plot, its title; for several, the overall title).
    public var title: String
    /// The axes boxes, drawn left to right, top to bottom.
    public var plots: [Plot]
    /// Plots per row for small multiples.
    public var columns: Int
    /// Size of the rendered PNG in pixels (the SVG uses the same proportions).
    public var size: (width: Int, height: Int)

    public init(name: String, title: String, plots: [Plot], columns: Int? = nil,
                size: (width: Int, height: Int)? = nil) {
        precondition(!plots.isEmpty, "a figure needs at least one plot")
        precondition(!name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" },
                     "figure names use letters, digits, - and _ only: '\(name)'")
        self.name = name
        self.title = title
        self.plots = plots
        let cols = columns ?? min(plots.count, 3)
        self.columns = max(1, cols)
        let rows = (plots.count + self.columns - 1) / self.columns
        self.size = size ?? (plots.count == 1 ? (900, 560) : (430 * self.columns + 40, 380 * rows + 60))
    }

    /// A figure with a single plot whose title is the figure's title.
    public init(name: String, title: String, xLabel: String, yLabel: String,
                xScale: Plot.Scale = .linear, yScale: Plot.Scale = .linear,
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                key: Plot.Key = .auto, series: [Series], contour: Contour? = nil, heatmap: Heatmap? = nil,
                markers: [Marker] = []) {
        self.init(name: name, title: title, plots: [
            Plot(title: title, xLabel: xLabel, yLabel: yLabel, xScale: xScale, yScale: yScale,
                 xRange: xRange, yRange: yRange, key: key, series: series, contour: contour, heatmap: heatmap, markers: markers),
        ])
    }

    public static func == (a: Figure, b: Figure) -> Bool {
        a.name == b.name && a.title == b.title && a.plots == b.plots && a.columns == b.columns
            && a.size.width == b.size.width && a.size.height == b.size.height
    }

    /// Series that have no finite point to draw (e.g. a diverged run), as "plot: series" names.
    public var emptySeries: [String] {
        plots.flatMap { plot in
            plot.series.filter { s in !s.x.indices.contains { s.x[$0].isFinite && s.y[$0].isFinite } }
                .map { plot.title.isEmpty ? $0.title : "\(plot.title): \($0.title)" }
        }
    }
}

/// One axes box of a figure.
public struct Plot: Sendable, Equatable {
    /// Linear or logarithmic axis.
    public enum Scale: Sendable, Equatable { case linear, log }
    /// Where the legend goes. A corner is a preference: when the legend would cover data
    /// there, it moves to a free corner, or below the plot when no corner is free (see
    /// ``KeyPlacement``). `.auto` tries the corners in the order top right, top left,
    /// bottom right, bottom left.
    public enum Key: String, Sendable, Equatable {
        case auto = "auto", topRight = "top right", topLeft = "top left", bottomRight = "bottom right",
             bottomLeft = "bottom left", outside = "outside right top", below = "below horizontal", none = ""
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xScale: Scale
    public var yScale: Scale
    /// Optional fixed ranges (nil: gnuplot's autoscale).
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    public var key: Key
    public var series: [Series]
    /// A contour map drawn under the series (e.g. a loss surface under trajectories).
    public var contour: Contour?
    /// A colour map drawn under the series (e.g. layer × step gradient norms).
    public var heatmap: Heatmap?
    /// Vertical reference lines at these x values, with labels (e.g. a suggested rate).
    public var markers: [Marker]

    public init(title: String = "", xLabel: String, yLabel: String, xScale: Scale = .linear, yScale: Scale = .linear,
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil, key: Key = .auto,
                series: [Series] = [], contour: Contour? = nil, heatmap: Heatmap? = nil, markers: [Marker] = []) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xScale = xScale
        self.yScale = yScale
        self.xRange = xRange
        self.yRange = yRange
        self.key = key
        self.series = series
        self.contour = contour
        self.heatmap = heatmap
        self.markers = markers
    }
}

/// One curve of a plot, with its legend title.
public struct Series: Sendable, Equatable {
    /// How the points are drawn.
    public enum Style: String, Sendable, Equatable {
        /// Joined by lines.
        case lines
        /// Markers only.
        case points
        /// Lines with markers.
        case linesPoints
        /// A step function (rates of a schedule).
        case steps
        /// Histogram bars centred on x.
        case boxes
        /// A shaded band between `low` and `high`, with `y` drawn as a line through it.
        case band
    }
    public var title: String
    public var style: Style
    public var x: [Double]
    public var y: [Double]
    /// Lower and upper edges for `.band` (same count as x).
    public var low: [Double]
    public var high: [Double]
    /// The book-wide pen, by name (``Pen/named(_:)``); when nil, the pen of palette index
    /// `color` (or of the series' position), see ``Palette/pen(index:)``.
    public var pen: Pen?
    /// Palette index for an unnamed series; nil takes the series' position.
    public var color: Int?
    /// Draw the line dashed.
    public var dashed: Bool

    public init(title: String, style: Style = .lines, x: [Double], y: [Double],
                low: [Double] = [], high: [Double] = [], pen: Pen? = nil, color: Int? = nil, dashed: Bool = false) {
        precondition(x.count == y.count, "a series needs as many x as y values (\(x.count) vs \(y.count))")
        precondition(style != .band || (low.count == x.count && high.count == x.count), "a band needs low and high for every x")
        self.title = title
        self.style = style
        self.x = x
        self.y = y
        self.low = low
        self.high = high
        self.pen = pen
        self.color = color
        self.dashed = dashed
    }

    /// The pen this series is drawn with when it is the `position`-th of its plot.
    public func resolvedPen(position: Int) -> Pen {
        let p = pen ?? Palette.pen(index: color ?? position)
        return dashed ? p.dashed : p
    }
}

/// A 2-D function sampled on a grid and drawn as contour lines.
public struct Contour: Sendable, Equatable {
    public var xs: [Double]
    public var ys: [Double]
    /// values[j][i] = f(xs[i], ys[j]).
    public var values: [[Double]]
    /// The contour levels.
    public var levels: [Double]

    /// Samples `f` on a `resolution × resolution` grid over the ranges, with levels spaced
    /// geometrically between the smallest positive and the largest value (or the given levels).
    public init(xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, resolution: Int = 81,
                levels: [Double]? = nil, _ f: (Double, Double) -> Double) {
        precondition(resolution >= 2, "a contour grid needs at least 2 points a side")
        let xs = (0..<resolution).map { xRange.lowerBound + (xRange.upperBound - xRange.lowerBound) * Double($0) / Double(resolution - 1) }
        let ys = (0..<resolution).map { yRange.lowerBound + (yRange.upperBound - yRange.lowerBound) * Double($0) / Double(resolution - 1) }
        let values = ys.map { y in xs.map { x in f(x, y) } }
        self.xs = xs
        self.ys = ys
        self.values = values
        if let levels {
            self.levels = levels
        } else {
            let finite = values.flatMap { $0 }.filter { $0.isFinite }
            let lo = finite.filter { $0 > 0 }.min() ?? 1e-3, hi = finite.max() ?? 1
            let a = Swift.max(lo, hi * 1e-4)
            self.levels = (0..<12).map { a * _pow(hi / a, Double($0) / 11) }
        }
    }
}

/// A colour map over a regular grid: values[j][i] at (xs[i], ys[j]).
public struct Heatmap: Sendable, Equatable {
    public var xs: [Double]
    public var ys: [Double]
    public var values: [[Double]]
    /// Label of the colour bar.
    public var colorLabel: String
    /// Colour by log₁₀ of the value.
    public var logScale: Bool
    public init(xs: [Double], ys: [Double], values: [[Double]], colorLabel: String, logScale: Bool = false) {
        precondition(values.count == ys.count && values.allSatisfy { $0.count == xs.count }, "heat map values must be ys × xs")
        self.xs = xs
        self.ys = ys
        self.values = values
        self.colorLabel = colorLabel
        self.logScale = logScale
    }
}

/// A labelled vertical line at x.
public struct Marker: Sendable, Equatable {
    public var x: Double
    public var label: String
    public var color: Int
    public init(x: Double, label: String, color: Int = 7) {
        self.x = x
        self.label = label
        self.color = color
    }
}

/// x^y without Foundation.
func _pow(_ x: Double, _ y: Double) -> Double {
    #if canImport(Glibc)
    return Glibc.pow(x, y)
    #else
    return Darwin.pow(x, y)
    #endif
}
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// About `points` indices in `0..<count`, evenly spaced on a log scale, for drawing a long run on
/// a log axis without writing every step.
public func logSpacedIndices(_ count: Int, points: Int) -> [Int] {
    precondition(points >= 2, "need at least 2 points")
    var out: [Int] = []
    for k in 0..<points {
        let i = Int((_pow(Double(count), Double(k) / Double(points - 1)) - 1).rounded())
        if i < count && out.last != i { out.append(i) }
    }
    return out
}
