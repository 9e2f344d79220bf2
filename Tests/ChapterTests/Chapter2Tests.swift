import Descent
import Testing
@testable import ch02_fixed_vs_decayed_rates

@Suite("Chapter 2: fixed versus decayed rates")
struct Chapter2Tests {
    @Test("the divergence threshold found by bisection agrees with 2/L = 0.5 to 3 digits")
    func threshold() {
        let t = QuadraticGD.divergenceThreshold()
        #expect(abs(t - 0.5) < 5e-4, "threshold \(t)")
    }

    @Test("the best fixed rate found by search is within 2 % of 2/(λmin + λmax)")
    func bestRate() {
        let best = QuadraticGD.bestFixedRate()
        #expect(abs(best / (2 / 4.2) - 1) < 0.02, "best \(best)")
    }

    @Test("α = 0.51 is detected as diverged; α = 0.49 converges")
    func divergence() {
        #expect(QuadraticGD.run(0.51, steps: 400).divergence != nil)
        let r = QuadraticGD.run(0.49, steps: 400)
        #expect(r.divergence == nil && r.points.last!.loss < 1e-6)
    }

    @Test("cosine decay ends closer to the noise floor than the constant rate, seed by seed (quick size)")
    func decayBeatsConstant() {
        let task = SupervisedTask.teacherStudent(seed: 42)
        for seed: UInt64 in [142, 143] {
            let c = task.train(SGD(learningRate: 0.2), steps: 1500, seed: seed)
            let d = task.train(SGD(learningRate: 0.2), schedule: .cosine(CosineAnnealing(period: 1500)), steps: 1500, seed: seed)
            #expect(task.fullLoss(d.parameters) < task.fullLoss(c.parameters))
            #expect(task.fullLoss(d.parameters) > 0.0095)  // cannot beat the noise by much
        }
    }

    @Test("every compared schedule is a valid, finite schedule")
    func schedules() {
        for (name, s) in comparedSchedules(steps: 300) {
            var sch = Scheduler(s, baseRate: 0.2)
            for t in 0..<300 { #expect(sch.rate(at: t, loss: 0.01).isFinite, "\(name)") }
        }
    }

    @Test("a schedule's score is the mean of its evaluations over the window, not its last checkpoint")
    func windowScore() {
        // A run that sits at 1e-3 and dips to 4e-4 at its last evaluation (the constant rate's case in Table 2).
        let curve = [(0, 0.4), (2400, 5e-3), (2500, 1e-3), (2750, 1e-3), (3000, 4e-4)]
        #expect(abs(tailMean(curve, from: 2500) - 2.4e-3 / 3) < 1e-15)
        #expect(tailMean(curve, from: 3001).isNaN)
    }
}
