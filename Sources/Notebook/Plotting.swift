import Descent
import Figures

// Series made from Descent's runs: the plumbing every chapter used to repeat
// (`.map { $0.point[0] }`, `.map { Double($0.step) }`), written once. Figures knows nothing of
// Descent, so the adapters live here, one layer up.

extension Series {
    /// The path of a run in the plane of coordinates `dims` (default x = θ₀, y = θ₁), keeping
    /// only the points inside `window` (a path that leaves the plot is cut where it leaves)
    /// and at most the first `limit + 1` rows.
    public init(path run: Trajectory, title: String, style: Style = .linesPoints, pen: Pen? = nil,
                dims: (Int, Int) = (0, 1), window: (x: ClosedRange<Double>, y: ClosedRange<Double>)? = nil,
                limit: Int? = nil) {
        var rows = run.points[...]
        if let limit { rows = rows.prefix(limit + 1) }
        var taken: [TrajectoryPoint] = []
        for r in rows {
            if let w = window, !(w.x.contains(r.point[dims.0]) && w.y.contains(r.point[dims.1])) { break }
            taken.append(r)
        }
        self.init(title: title, style: style, x: taken.map { $0.point[dims.0] }, y: taken.map { $0.point[dims.1] }, pen: pen)
    }

    /// One point of a run as a lone marker (a start or an end point): `index` counts from the
    /// start, or from the end when negative (−1 is the last point).
    public init(marker run: Trajectory, at index: Int, title: String, pen: Pen? = nil, dims: (Int, Int) = (0, 1)) {
        let p = run.points[index < 0 ? run.points.count + index : index].point
        self.init(title: title, style: .points, x: [p[dims.0]], y: [p[dims.1]], pen: pen)
    }

    /// The loss of a run against the step.
    public init(loss run: Trajectory, title: String, style: Style = .lines, pen: Pen? = nil) {
        self.init(title: title, style: style, x: run.points.map { Double($0.step) }, y: run.points.map(\.loss), pen: pen)
    }

    /// The learning rate a run used against the step.
    public init(rate run: Trajectory, title: String, style: Style = .lines, pen: Pen? = nil) {
        self.init(title: title, style: style, x: run.points.map { Double($0.step) }, y: run.points.map(\.learningRate),
                  pen: pen)
    }

    /// Values recorded once per step (index = step).
    public init(perStep values: [Double], title: String, style: Style = .lines, pen: Pen? = nil) {
        self.init(title: title, style: style, x: values.indices.map(Double.init), y: values, pen: pen)
    }
}

extension Series {
    /// A dense line with a few markers on it, as two series: the line (no legend entry) and
    /// its markers, one every `every` points starting at point `offset` (the legend entry).
    /// Lines that lie on top of each other stay distinguishable when each gets its own marker
    /// shape and offset; say so in the caption.
    public static func markedLine(title: String, x: [Double], y: [Double], pen: Pen, every: Int,
                                  offset: Int = 0) -> [Series] {
        precondition(every > 0, "markers need a positive spacing")
        let marks = Swift.stride(from: max(0, offset), to: x.count, by: every).filter { y[$0].isFinite }
        guard !marks.isEmpty else { return [Series(title: title, x: x, y: y, pen: pen)] }
        return [Series(title: "", x: x, y: y, pen: pen),
                Series(title: title, style: .points, x: marks.map { x[$0] }, y: marks.map { y[$0] }, pen: pen)]
    }
}
