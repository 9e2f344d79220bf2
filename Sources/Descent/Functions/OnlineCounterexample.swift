/// The online convex problem on which Adam fails to converge (Reddi, Kale & Kumar,
/// "On the Convergence of Adam and Beyond", ICLR 2018, §3).
///
/// For t = 1, 2, 3, …
///
///     f_t(x) = C·x   if t mod 3 = 1
///     f_t(x) = −x    otherwise,        x ∈ [−1, 1]
///
/// Over each block of three steps the sum is (C − 2)·x, so for C > 2 the best fixed point
/// is x* = −1. With β₁ = 0 and β₂ = 1/(1 + C²), Adam's rare large gradient C is damped
/// by its second moment while the frequent −1 gradients push x to +1; AMSGrad's
/// non-decreasing second moment does not forget C and goes to −1.
public struct OnlineCounterexample: Sendable {
    /// The large gradient C (> 2).
    public let c: Double
    /// Creates the problem with C = 3 by default.
    public init(c: Double = 3) {
        precondition(c > 2, "the counterexample needs C > 2")
        self.c = c
    }
    /// The β₂ of the paper's construction, 1/(1 + C²) (0.1 for C = 3).
    public var criticalBeta2: Double { 1 / (1 + c * c) }
    /// The minimiser of the average loss, −1.
    public var optimum: Double { -1 }
    /// f_t(x) for step t ≥ 1.
    public func loss(at t: Int, _ x: Double) -> Double { gradient(at: t) * x }
    /// f_t′(x), which does not depend on x.
    public func gradient(at t: Int) -> Double { t % 3 == 1 ? c : -1 }
    /// The projection onto the feasible set [−1, 1].
    public func project(_ x: Double) -> Double { min(1, max(-1, x)) }
    /// Regret R_T = Σ_{t ≤ T} f_t(x_t) − min_x Σ_{t ≤ T} f_t(x), for the iterates x₁…x_T.
    public func regret(_ iterates: [Double]) -> Double {
        var incurred = 0.0, total = 0.0
        for (i, x) in iterates.enumerated() {
            let g = gradient(at: i + 1)
            incurred += g * x
            total += g
        }
        // Σ f_t(x) = x·Σg is linear, so its minimum over [−1, 1] is −|Σg|.
        return incurred + abs(total)
    }

    /// The iterates of projected online optimisation: x₁ = `start`; at step t the optimizer sees
    /// f_t′ at x_t with rate `learningRate(t)`, and x_{t+1} is its update projected onto [−1, 1].
    /// Returns x_t at the steps in `record` (sorted) and the regret R_T/T after the last step.
    public func run(optimizer: some Optimizer, steps: Int, start: Double = 1,
                    learningRate: (Int) -> Double, record: [Int]) -> (recorded: [(step: Int, x: Double, averageRegret: Double)], averageRegret: Double) {
        var optimizer = optimizer
        var x = [start]
        var gradient = [0.0]
        var incurred = 0.0, total = 0.0
        var out: [(step: Int, x: Double, averageRegret: Double)] = []
        var next = record.makeIterator()
        var want = next.next()
        for t in 1...steps {
            let g = self.gradient(at: t)
            incurred += g * x[0]
            total += g
            let regret = (incurred + abs(total)) / Double(t)
            while let w = want, w <= t {
                if w == t { out.append((t, x[0], regret)) }
                want = next.next()
            }
            gradient[0] = g
            optimizer.learningRate = learningRate(t)
            optimizer.step(&x, gradient: gradient)
            x[0] = project(x[0])
        }
        return (out, (incurred + abs(total)) / Double(steps))
    }
}
