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
