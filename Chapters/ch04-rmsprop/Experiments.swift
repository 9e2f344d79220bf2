import Descent
import RealModule

/// RMSprop's memory: feed |g| = 1 for `switchAt` steps, then |g| = 0.1; return the steps
/// after the switch until v has covered 1 − 1/e of the way to its new level (0.01).
func memorySteps(alpha: Double, switchAt: Int = 20000) -> Int {
    var opt = RMSprop(learningRate: 1e-9, alpha: alpha)
    var theta = [0.0]
    for _ in 0..<switchAt { opt.step(&theta, gradient: [1]) }
    let start = opt.squareAverage[0], target = 0.01
    var k = 0
    while opt.squareAverage[0] - target > (start - target) / M_E {
        opt.step(&theta, gradient: [0.1])
        k += 1
    }
    return k
}

let M_E = 2.718281828459045

/// Where RMSprop's effective rate η = α/√v settles on a coordinate of curvature `h` (f = h y²/2)
/// under gradient noise N(0, σ²), treating η as constant over v's memory.
///
/// The iterate jitters: y ← y − η(hy + ξ) has variance ησ²/(h(2 − ηh)), so the gradient RMSprop
/// averages has E[g²] = h²·Var y + σ² = σ²/(1 − ηh/2), not σ². With v ≈ E[g²], η solves
/// η = (α/σ)·√(1 − ηh/2), i.e. η² + (a²h/2)η − a² = 0 with a = α/σ.
func settledRate(alpha: Double, sigma: Double, curvature h: Double) -> Double {
    let a = alpha / sigma
    return (-a * a * h / 2 + (a * a * a * a * h * h / 4 + 4 * a * a).squareRoot()) / 2
}

/// How a run ends: f at the last step, and the largest coordinate step over the last `window` steps.
func ending(_ t: Trajectory, window: Int = 500) -> (loss: Double, largestStep: Double) {
    let p = t.points
    let largest = (max(1, p.count - window)..<p.count).map { k in
        zip(p[k].point, p[k - 1].point).map { abs($0 - $1) }.max()!
    }.max()!
    return (p.last!.loss, largest)
}

/// Spikes of a loss curve: steps at which f first rises more than 20 % above its lowest value over
/// the previous 20 steps (a rise that lasts several steps counts once).
func spikeOnsets(_ t: Trajectory) -> Int {
    let f = t.points.map(\.loss)
    func up(_ k: Int) -> Bool { f[k] > 1.2 * f[(k - 20)..<k].min()! }
    guard f.count > 21 else { return 0 }
    return (21..<f.count).filter { up($0) && !up($0 - 1) }.count
}
