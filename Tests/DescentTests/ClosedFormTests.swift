import Foundation
import Testing
@testable import Descent

/// Results that follow from the update rules on paper.
@Suite("Closed forms")
struct ClosedFormTests {
    @Test("gradient descent on 0.1x² + 2y² converges for α < 2/L = 0.5 and diverges just above",
          arguments: [0.05, 0.4, 0.49, 0.499, 0.501, 0.51, 0.6])
    func stabilityThreshold(alpha: Double) {
        let run = optimize(Quadratic(), from: [-5, -2], steps: 3000, optimizer: SGD(learningRate: alpha),
                           divergence: .standard)
        let last = run.points.last!
        if alpha < 0.5 {
            #expect(run.divergence == nil)
            #expect(last.loss < 1e-6 * 10.5, "α = \(alpha) should converge")
        } else {
            // y is multiplied by (1 − 4α), |1 − 4α| > 1: it grows without bound.
            #expect(run.divergence != nil || last.loss > 10.5, "α = \(alpha) should diverge")
        }
        // Each step multiplies y by exactly (1 − 4α) and x by (1 − 0.2α).
        if run.points.count > 2 {
            let p1 = run.points[1].point, p0 = run.points[0].point
            #expect(close(p1[1], (1 - 4 * alpha) * p0[1], rel: 1e-15))
            #expect(close(p1[0], (1 - 0.2 * alpha) * p0[0], rel: 1e-15))
        }
    }

    @Test("Adam's first update moves every coordinate by α (bias correction)")
    func adamFirstStep() {
        let g = [3.0, -0.02, 1e-3, 250]
        for alpha in [0.001, 0.1] {
            var adam = Adam(learningRate: alpha)
            var theta = [Double](repeating: 0, count: g.count)
            adam.step(&theta, gradient: g)
            for (t, gi) in zip(theta, g) {
                // m̂ = g, v̂ = g², so the step is α·g/(|g| + ε).
                #expect(close(abs(t), alpha * abs(gi) / (abs(gi) + 1e-8), rel: 1e-12))
                #expect(t.sign != gi.sign)
            }
        }
    }

    @Test("the article's uncorrected Adam moves the first step by (1 − β₁)/√(1 − β₂)·α ≈ 3.16α")
    func articleAdamFirstStep() {
        var adam = ArticleAdam(learningRate: 0.01)
        var theta = [0.0, 0.0]
        adam.step(&theta, gradient: [2, -5])
        let ratio = (1 - 0.9) / (1 - 0.999).squareRoot()
        #expect(close(ratio, 3.1622776601683795, rel: 1e-12))
        for t in theta { #expect(close(abs(t) / 0.01, ratio, rel: 1e-6)) }
        // With β₂ = 0.99 the factor is 1.
        var adam2 = ArticleAdam(learningRate: 0.01, beta2: 0.99)
        var theta2 = [0.0]
        adam2.step(&theta2, gradient: [4])
        #expect(close(abs(theta2[0]), 0.01, rel: 1e-6))
    }

    @Test("AdaGrad's first steps by hand: α·g/(√G + ε), ε outside the root")
    func adagradByHand() {
        var opt = AdaGrad(learningRate: 0.5, eps: 0.25)
        var theta = [1.0]
        opt.step(&theta, gradient: [2])          // G = 4: 1 − 0.5·2/(2 + 0.25)
        #expect(close(theta[0], 1 - 0.5 * 2 / 2.25, rel: 1e-15))
        opt.step(&theta, gradient: [-1])         // G = 5
        let afterTwo: Double = 1 - 0.5 * 2 / 2.25 + 0.5 / (5.0.squareRoot() + 0.25)
        #expect(close(theta[0], afterTwo, rel: 1e-15))
        #expect(close(opt.effectiveLearningRates[0], 0.5 / (5.0.squareRoot() + 0.25), rel: 1e-15))
        // The article's version puts ε inside: α·g/√(G + ε).
        var article = ArticleAdaGrad(learningRate: 0.5, eps: 0.25)
        var a = [1.0]
        article.step(&a, gradient: [2])
        #expect(close(a[0], 1 - 0.5 * 2 / (4.25).squareRoot(), rel: 1e-15))
    }

    @Test("RMSprop's first step is α·g/(√(1 − ρ)|g| + ε) ≈ 10α at ρ = 0.99; the article's has no average")
    func rmspropByHand() {
        var opt = RMSprop(learningRate: 0.01)
        var theta = [0.0]
        opt.step(&theta, gradient: [3])
        #expect(close(-theta[0], 0.01 * 3 / ((0.01 * 9).squareRoot() + 1e-8), rel: 1e-12))
        #expect(close(-theta[0] / 0.01, 10, rel: 1e-6))
        opt.step(&theta, gradient: [3])  // v = 0.99·0.09 + 0.01·9
        let v2 = 0.99 * 0.09 + 0.01 * 9
        let firstStep: Double = 0.01 * 3 / ((0.01 * 9).squareRoot() + 1e-8)
        let secondStep: Double = 0.01 * 3 / (v2.squareRoot() + 1e-8)
        #expect(close(-theta[0], firstStep + secondStep, rel: 1e-12))
        // Article: G is a plain sum, so after k equal gradients the step is α/√(decay·k).
        var article = ArticleRMSprop(learningRate: 1, decay: 0.5, eps: 0)
        var a = [0.0]
        var previous = 0.0
        for k in 1...4 {
            article.step(&a, gradient: [1])
            #expect(close(previous - a[0], 1 / (0.5 * Double(k)).squareRoot(), rel: 1e-14))
            previous = a[0]
        }
    }

    @Test("SGD with momentum: the buffer starts at g, then b ← μb + (1 − τ)g")
    func momentumByHand() {
        var opt = SGD(learningRate: 0.1, momentum: 0.9, dampening: 0.5)
        var theta = [0.0]
        opt.step(&theta, gradient: [1])  // b = 1
        opt.step(&theta, gradient: [1])  // b = 0.9 + 0.5 = 1.4
        #expect(close(theta[0], -0.1 - 0.14, rel: 1e-15))
        var nesterov = SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)
        var n = [0.0]
        nesterov.step(&n, gradient: [1])  // b = 1, step g + μb = 1.9
        #expect(close(n[0], -0.19, rel: 1e-15))
    }

    @Test("Keras' ε̂ form is Adam with ε = ε̂/√(1 − β₂ᵗ): identical when ε̂ = ε = 0, first step by hand otherwise")
    func kerasAdam() {
        var keras = KerasAdam(learningRate: 0.05, epsilonHat: 0)
        var adam = Adam(learningRate: 0.05, eps: 0)
        var a = [-1.5, 2.0], b = a
        for _ in 0..<200 {
            keras.step(&a, gradient: Rosenbrock().gradient(a))
            adam.step(&b, gradient: Rosenbrock().gradient(b))
        }
        #expect(close(a[0], b[0], rel: 1e-10) && close(a[1], b[1], rel: 1e-10))
        // One step with g = 1e-6 and ε̂ = 1e-7: α·√(1 − β₂)/(1 − β₁)·m/(√v + ε̂) with m = 0.1g, v = 0.001g².
        var k = KerasAdam(learningRate: 1, epsilonHat: 1e-7)
        var x = [0.0]
        k.step(&x, gradient: [1e-6])
        let expected: Double = (0.001).squareRoot() / 0.1 * (0.1 * 1e-6) / ((0.001 * 1e-12).squareRoot() + 1e-7)
        #expect(close(-x[0], expected, rel: 1e-12))
    }

    @Test("least squares: exact on a line, and the normal equations hold on noisy data")
    func leastSquares() {
        let x = [1.0, 2, 3, 4], y = x.map { 2 * $0 - 1 }
        let fit = LeastSquaresLine(x: x, y: y)
        #expect(close(fit.slope, 2, rel: 1e-14) && close(fit.intercept, -1, rel: 1e-14) && fit.meanSquaredError < 1e-28)
        let d = Datasets.linearRecipe(count: 100, numpySeed: 1)
        let f = LeastSquaresLine(x: d.inputs.elements, y: d.targets.elements)
        let residuals = zip(d.inputs.elements, d.targets.elements).map { f.slope * $0 + f.intercept - $1 }
        #expect(abs(residuals.reduce(0, +)) < 1e-12)                                        // ∂/∂b = 0
        #expect(abs(zip(residuals, d.inputs.elements).reduce(0) { $0 + $1.0 * $1.1 }) < 1e-12)  // ∂/∂w = 0
    }
}
