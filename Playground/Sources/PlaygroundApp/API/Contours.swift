import Descent
import LabKit

/// Contour lines of a 2-D test function over a window, as line segments the page strokes.
///
/// The function is sampled on a grid (Descent's `value`); levels are quantiles of the sampled values
/// (so they spread over the picture whatever the scale: Rosenbrock's banana and the quadratic alike);
/// marching squares turns each level into segments [x₁, y₁, x₂, y₂].
struct Contours {
    struct Level {
        let value: Double
        var segments: [[Double]] = []
    }
    let levels: [Level]

    /// The plotting window [xmin, xmax, ymin, ymax] of each function (all 4:3, so paths keep their shape).
    static func window(for function: FunctionName) -> [Double] {
        switch function {
        case .quadratic: return [-6, 6, -4.5, 4.5]
        case .rosenbrock: return [-2, 2, -1, 2]
        case .saddle: return [-4, 4, -3, 3]
        }
    }

    init(function f: any TestFunction, window: [Double], levels count: Int, columns: Int = 96, rows: Int = 72) {
        let (x0, x1, y0, y1) = (window[0], window[1], window[2], window[3])
        let dx = (x1 - x0) / Double(columns), dy = (y1 - y0) / Double(rows)
        var grid = [[Double]](repeating: [Double](repeating: 0, count: columns + 1), count: rows + 1)
        for j in 0...rows { for i in 0...columns { grid[j][i] = f.value([x0 + Double(i) * dx, y0 + Double(j) * dy]) } }
        let sorted = grid.flatMap { $0 }.filter(\.isFinite).sorted()
        var values: [Double] = []
        for k in 1...count {
            // Quantiles weighted towards the low values, where the paths end.
            let q = pow(Double(k) / Double(count + 1), 2)
            let v = sorted[min(sorted.count - 1, Int(q * Double(sorted.count - 1)))]
            if values.last != v { values.append(v) }
        }
        levels = values.map { c in
            var level = Level(value: c)
            for j in 0..<rows {
                for i in 0..<columns {
                    // Corners counter-clockwise from bottom-left, and the crossing on each edge.
                    let v = [grid[j][i], grid[j][i + 1], grid[j + 1][i + 1], grid[j + 1][i]]
                    let p = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
                    var crossings: [[Double]] = []
                    for e in 0..<4 {
                        let (a, b) = (v[e], v[(e + 1) % 4])
                        guard (a < c) != (b < c) else { continue }
                        let t = (c - a) / (b - a)
                        let (pa, pb) = (p[e], p[(e + 1) % 4])
                        crossings.append([x0 + (Double(pa.0) + t * Double(pb.0 - pa.0)) * dx,
                                          y0 + (Double(pa.1) + t * Double(pb.1 - pa.1)) * dy])
                    }
                    var k = 0
                    while k + 1 < crossings.count {
                        level.segments.append(crossings[k] + crossings[k + 1])
                        k += 2
                    }
                }
            }
            return level
        }
    }
}

private func pow(_ x: Double, _ n: Int) -> Double { (0..<n).reduce(1) { r, _ in r * x } }
