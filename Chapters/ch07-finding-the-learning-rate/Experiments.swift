import Descent
import RealModule

/// The optimizers of the grid search, by name, as functions of the rate.
let contenders: [(name: String, make: @Sendable (Double) -> any Optimizer)] = [
    ("SGD", { SGD(learningRate: $0) }),
    ("momentum 0.9", { SGD(learningRate: $0, momentum: 0.9) }),
    ("AdaGrad", { AdaGrad(learningRate: $0) }),
    ("RMSprop", { RMSprop(learningRate: $0) }),
    ("Adam", { Adam(learningRate: $0) }),
]

/// Final losses on a log grid: [optimizer][rate][seed].
func gridSearch(_ task: SupervisedTask, exponents: [Double], seeds: [UInt64], steps: Int, progress: () -> Void) -> [[[Double]]] {
    contenders.map { c in
        exponents.map { e in
            seeds.map { s -> Double in
                defer { progress() }
                return task.finalLoss(c.make(Double.pow(10, e)), steps: steps, seed: s)
            }
        }
    }
}

/// Range-test suggestions on the quadratic from (−5, −2) with plain SGD.
func quadraticSuggestions(steps: Int, smoothing: Double, minimum: Double = 1e-6, maximum: Double = 10) -> RangeTest.Result {
    let test = RangeTest(minimumRate: minimum, maximumRate: maximum, steps: steps, smoothing: smoothing)
    var theta = [-5.0, -2.0]
    var sgd = SGD(learningRate: minimum)
    return test.run(parameters: &theta, optimizer: &sgd) { p, _, g in
        Quadratic().gradient(p, into: &g)
        return Quadratic().value(p)
    }
}
