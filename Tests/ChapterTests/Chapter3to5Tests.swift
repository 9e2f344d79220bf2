import Foundation
import Descent
import Testing
@testable import ch03_adagrad
@testable import ch04_rmsprop
@testable import ch05_adam

@Suite("Chapters 3–5: AdaGrad, RMSprop, Adam")
struct Chapter3to5Tests {
    @Test("AdaGrad's effective rate decays like 1/√t: fitted log–log slope within 5 % of −1/2")
    func adagradDecay() {
        let T = 20000
        let rates = Measure.noisyGradientRun(AdaGrad(learningRate: 0.5), on: Quadratic(), from: [-5, -2], steps: T, noise: 1, seed: 42) { $0.effectiveLearningRates }
        let ts = (1...T).map(Double.init)
        for c in 0..<2 {
            let slope = Measure.logLogSlope(Array(ts[(T / 10)...]), rates[(T / 10)...].map { $0[c] })
            #expect(abs(slope / -0.5 - 1) < 0.05, "coordinate \(c): slope \(slope)")
        }
    }

    @Test("AdaGrad learns rare features faster than SGD (halfway through the chapter's run)")
    func rareFeatures() {
        let task = SparseTask(seed: 42)
        let sgd = task.train(SGD(learningRate: 0.05), steps: 1500, every: 1500, seed: 43)
        let ada = task.train(AdaGrad(learningRate: 0.5), steps: 1500, every: 1500, seed: 43)
        #expect(ada.last!.rare * 2 < sgd.last!.rare)
    }

    @Test("the article's RMSprop decays like 1/√t; PyTorch's does not")
    func rmspropDecay() {
        let T = 20000
        let article = Measure.noisyGradientRun(ArticleRMSprop(learningRate: 0.5), on: Quadratic(), from: [-5, -2], steps: T, noise: 1, seed: 42) { $0.effectiveLearningRates }
        let real = Measure.noisyGradientRun(RMSprop(learningRate: 0.5), on: Quadratic(), from: [-5, -2], steps: T, noise: 1, seed: 42) { $0.effectiveLearningRates }
        let ts = Array((1...T).map(Double.init)[(T / 10)...])
        #expect(abs(Measure.logLogSlope(ts, article[(T / 10)...].map { $0[1] }) + 0.5) < 0.025)
        #expect(abs(Measure.logLogSlope(ts, real[(T / 10)...].map { $0[1] })) < 0.02)
    }

    @Test("RMSprop's memory is −1/ln ρ rounded up, and its first step is α/√(1 − ρ)", arguments: [0.9, 0.99, 0.999])
    func rmspropMemoryAndFirstStep(rho: Double) {
        #expect(memorySteps(alpha: rho) == Int((-1 / Foundation_log(rho)).rounded(.up)))
        #expect(close(Measure.firstStepRatio(RMSprop(learningRate: 0.001, alpha: rho)), 1 / (1 - rho).squareRoot(), 1e-6))
    }

    @Test("first-step ratios: Adam ≈ 1, the article's ≈ (1 − β₁)/√(1 − β₂) (3.16 at β₂ = 0.999)", arguments: [0.99, 0.999, 0.9999])
    func adamFirstStep(beta2: Double) {
        #expect(close(Measure.firstStepRatio(Adam(learningRate: 0.001, beta2: beta2)), 1, 1e-6))
        #expect(close(Measure.firstStepRatio(ArticleAdam(learningRate: 0.001, beta2: beta2)), 0.1 / (1 - beta2).squareRoot(), 1e-6))
    }

    @Test("Reddi et al.: Adam ends near +1, AMSGrad near −1, and only AMSGrad's average regret vanishes")
    func counterexample() {
        let adam = ch05_adam.counterexample(amsgrad: false, steps: 100_000)
        let ams = ch05_adam.counterexample(amsgrad: true, steps: 100_000)
        #expect(adam.final > 0.99)
        #expect(ams.final < -0.99)
        #expect(adam.averageRegret > 0.5 && ams.averageRegret < 0.01)
    }

    @Test("the race: rates are chosen on every start, and momentum beats plain SGD from every start of every run")
    func race() {
        let grid = Swift.stride(from: -5.0, through: 1.0 + 1e-9, by: 1.0 / 3).map { Foundation_pow(10, $0) }
        let (sgd, momentum) = (ch05_adam.racers[0], ch05_adam.racers[1])
        #expect(sgd.name == "SGD" && momentum.name == "momentum 0.9")
        for seed: UInt64 in [43, 44] {
            let jittered = ch05_adam.raceStarts(jittered: 3, seed: seed)
            let runs = [sgd, momentum].map { r in
                ch05_adam.race(r, grid: grid,
                               first: grid.map { ch05_adam.stepsToTarget(r, rate: $0, from: ch05_adam.raceStart,
                                                                         steps: 20000, target: 1e-3) },
                               jittered: jittered, steps: 20000, target: 1e-3)
            }
            #expect(runs.allSatisfy { $0.startSteps.count == 4 })
            // Momentum beats plain SGD from every start: the one ordering the chapter leans on.
            for k in 0..<4 {
                #expect((runs[1].startSteps[k] ?? Int.max) < (runs[0].startSteps[k] ?? Int.max), "seed \(seed)")
            }
        }
    }
}

func Foundation_log(_ x: Double) -> Double { Foundation.log(x) }
func Foundation_pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }
func close(_ a: Double, _ b: Double, _ rel: Double) -> Bool { abs(a - b) <= rel * max(abs(a), abs(b)) }
