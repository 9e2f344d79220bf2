import Synchronization
import Testing
@testable import Descent

/// The lazy sequence of optimizer steps: the rows of the loop written out here from its definition,
/// no more work than the rows asked for, and the end at the diverging row.
@Suite struct OptimizationStepsTests {
    /// A test function that counts its gradient evaluations.
    final class Counting: TestFunction, @unchecked Sendable {
        let inner: any TestFunction
        let gradients = Mutex(0)
        init(_ inner: any TestFunction) { self.inner = inner }
        var name: String { inner.name }
        func value(_ point: [Double]) -> Double { inner.value(point) }
        func gradient(_ point: [Double], into gradient: inout [Double]) {
            gradients.withLock { $0 += 1 }
            inner.gradient(point, into: &gradient)
        }
    }

    /// The definition, written out: row k = (θ_k, f(θ_k), the rate seeing f(θ_k)); then the update
    /// with ∇f(θ_k) + σξ at that rate.
    static func reference(_ f: any TestFunction, _ start: [Double], _ optimizer: some Optimizer, _ schedule: Schedule,
                          steps: Int, noise: GradientNoise?) -> [TrajectoryPoint] {
        var opt = optimizer
        var scheduler = Scheduler(schedule, baseRate: opt.learningRate)
        var rng = SeededGenerator(seed: noise?.seed ?? 0)
        var theta = start, rows: [TrajectoryPoint] = []
        for k in 0...steps {
            let loss = f.value(theta)
            let rate = scheduler.rate(at: k, loss: loss)
            rows.append(TrajectoryPoint(step: k, learningRate: rate, loss: loss, point: theta))
            var g = f.gradient(theta)
            if let noise { for i in g.indices { g[i] += noise.sigma * rng.gaussian() } }
            opt.learningRate = rate
            opt.step(&theta, gradient: g)
        }
        return rows
    }

    @Test func rowsFollowTheDefinition() throws {
        let plateau = try Schedule(parsing: "plateau:factor=0.5,patience=3")
        let cases: [(any TestFunction, any Optimizer, Schedule, GradientNoise?)] = [
            (Quadratic(), SGD(learningRate: 0.1, momentum: 0.9), .constant, nil),
            (Rosenbrock(), Adam(learningRate: 0.01), plateau, nil),
            (Quadratic(condition: 50), RMSprop(learningRate: 0.01), try Schedule(parsing: "cosine:T=40"), GradientNoise(sigma: 0.3, seed: 9)),
        ]
        for (f, opt, schedule, noise) in cases {
            let lazy = Array(OptimizationSteps(f, from: [-1.5, 2], optimizer: opt, schedule: schedule, noise: noise).prefix(41))
            func expected<O: Optimizer>(_ o: O) -> [TrajectoryPoint] {
                Self.reference(f, [-1.5, 2], o, schedule, steps: 40, noise: noise)
            }
            #expect(lazy == expected(opt), "\(f.name), \(type(of: opt))")
        }
    }

    /// Taking k rows makes k − 1 updates: a caller that stops early pays for nothing more.
    @Test func onlyTheRowsAskedForAreComputed() {
        let f = Counting(Quadratic())
        let first = OptimizationSteps(f, from: [-5, -2], optimizer: SGD(learningRate: 0.1)).prefix(5).map(\.step)
        #expect(first == [0, 1, 2, 3, 4])
        #expect(f.gradients.withLock { $0 } == 4)
        let hit = OptimizationSteps(f, from: [-5, -2], optimizer: SGD(learningRate: 0.4)).first { $0.loss < 1e-3 }
        #expect(hit != nil && f.gradients.withLock { $0 } == 4 + hit!.step)
    }

    /// The sequence ends with the diverging row and says where.
    @Test func endsAtTheDivergingRow() {
        var run = OptimizationSteps(Quadratic(), from: [-5, -2], optimizer: SGD(learningRate: 0.6), divergence: .standard)
        var rows: [TrajectoryPoint] = []
        while let row = run.next() { rows.append(row) }
        let d = try! #require(run.divergence)
        #expect(rows.last?.step == d.step && rows.last?.loss == d.loss)
        #expect(rows.dropLast().allSatisfy { !DivergenceCriterion.standard.isDiverged($0.loss, firstLoss: rows[0].loss) })
        #expect(run.next() == nil)
    }
}

/// The one "best rate on a grid": the lowest score wins, the first on a tie, runs that do not count
/// (nil) and scores of +∞ or NaN are skipped.
@Suite struct BestOnGridTests {
    @Test func lowestScoreFirstOnTiesSkipsWhatDoesNotCount() {
        let scores: [Double: Double?] = [0.1: 3, 0.2: 1, 0.3: 1, 0.4: nil, 0.5: 0.5, 0.6: .nan, 0.7: .infinity]
        let best = Measure.bestOnGrid([0.1, 0.2, 0.3, 0.4]) { a in scores[a]!.map { ($0, "run \(a)") } }
        #expect(best?.rate == 0.2 && best?.score == 1 && best?.result == "run 0.2")
        #expect(Measure.bestOnGrid([0.4, 0.6, 0.7]) { a in scores[a]!.map { ($0, a) } } == nil)
        #expect(Measure.bestOnGrid([0.6, 0.5, 0.1]) { a in scores[a]!.map { ($0, a) } }?.rate == 0.5)
    }
}
