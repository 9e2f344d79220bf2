/// A figure as a value: what to draw, independent of how it is rendered.
///
/// ```swift
/// let f = Figure(name: "loss", title: "Loss vs step", xLabel: "step", yLabel: "loss",
///                yScale: .log, series: [Series(title: "Adam", x: steps, y: losses)])
/// let text = try await Gnuplot.terminalPlot(f, width: 80)
/// ```
public struct Figure: Sendable, Equatable {
    /// Linear or logarithmic axis.
    public enum Scale: Sendable, Equatable { case linear, log }

    /// File-name stem (no extension), e.g. `loss-vs-step`.
    public var name: String
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xScale: Scale
    public var yScale: Scale
    /// Optional fixed ranges (nil: gnuplot's autoscale).
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    public var series: [Series]

    public init(name: String, title: String, xLabel: String, yLabel: String,
                xScale: Scale = .linear, yScale: Scale = .linear,
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                series: [Series]) {
        self.name = name
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xScale = xScale
        self.yScale = yScale
        self.xRange = xRange
        self.yRange = yRange
        self.series = series
    }
}

/// One curve of a figure, with its legend title.
public struct Series: Sendable, Equatable {
    /// How the points are joined.
    public enum Style: String, Sendable, Equatable { case lines, points, linesPoints, steps }
    public var title: String
    public var style: Style
    public var x: [Double]
    public var y: [Double]
    public init(title: String, style: Style = .lines, x: [Double], y: [Double]) {
        precondition(x.count == y.count, "a series needs as many x as y values")
        self.title = title
        self.style = style
        self.x = x
        self.y = y
    }
}
