import Descent
import Figures

// Series from chosen rows of a run: a long path thinned to every k-th row, a loss curve at
// log-spaced steps, a single point of a run (its start or its end). Written once here instead of
// `idx.map { pts[$0].point[0] }` in each chapter.

extension Series {
    /// The path of a run in the (θ₀, θ₁) plane at rows `rows` (e.g. every k-th row, then the last).
    public init(path run: Trajectory, rows: [Int], title: String, style: Style = .lines, pen: Pen? = nil) {
        self.init(title: title, style: style, x: rows.map { run.points[$0].point[0] },
                  y: rows.map { run.points[$0].point[1] }, pen: pen)
    }

    /// The loss of a run against the step, at rows `rows` (e.g. ``logSpacedIndices(_:points:)``).
    public init(loss run: Trajectory, rows: [Int], title: String, style: Style = .lines, pen: Pen? = nil) {
        self.init(title: title, style: style, x: rows.map { Double(run.points[$0].step) },
                  y: rows.map { run.points[$0].loss }, pen: pen)
    }

    /// One point θ = (θ₀, θ₁) drawn as a marker, e.g. where a run starts or stops.
    public init(point: [Double], title: String, pen: Pen? = nil) {
        self.init(title: title, style: .points, x: [point[0]], y: [point[1]], pen: pen)
    }
}

/// Every k-th row of `count` rows, k = ⌊count / limit⌋ (at least 1), then the last row: between
/// `limit` and `2 · limit + 1` rows for a long run, every row for a short one.
public func strideRows(_ count: Int, keeping limit: Int) -> [Int] {
    guard count > 0 else { return [] }
    let stride = max(1, count / max(1, limit))
    let rows = Array(Swift.stride(from: 0, to: count, by: stride))
    return rows.last == count - 1 ? rows : rows + [count - 1]
}
