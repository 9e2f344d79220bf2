import Foundation
import Descent
import Testing
@testable import ch03_adagrad
@testable import ch04_rmsprop
@testable import ch05_adam

/// What the fresh reading of chapters 3–5 (issue 11) found, guarded: the least-squares floor of
/// the rare-features task, the exact zeros of ch04's table 4, every β₂ at which bias correction
/// widens the trainable range, and figures whose two series differed by the dash alone.
@Suite("Chapters 3–5 after the review", .serialized)
struct Chapter3to5ReviewTests {
    @Test("ch03: the least-squares weights solve the normal equations (the MSE gradient vanishes there)")
    func leastSquares() {
        let task = SparseTask(seed: 42)
        let w = task.leastSquaresWeights()
        let d = SparseTask.features, x = task.data.inputs.elements, y = task.data.targets.elements
        let n = y.count
        func predict(_ i: Int) -> Double {
            var s = 0.0
            for j in 0..<d { s += x[i * d + j] * w[j] }
            return s
        }
        // The bias that goes with w: the mean residual.
        var b = 0.0
        for i in 0..<n { b += (y[i] - predict(i)) / Double(n) }
        var grad = [Double](repeating: 0, count: d)
        for i in 0..<n {
            let r = predict(i) + b - y[i]
            for j in 0..<d { grad[j] += x[i * d + j] * r / Double(n) }
        }
        #expect(grad.map(abs).max()! < 1e-10, "largest gradient component \(grad.map(abs).max()!)")
        // And the fit is close to w*: a rare weight is estimated from about 40 examples with noise 0.1.
        let e = task.weightError(w)
        #expect(e.rare < 0.05 && e.frequent < e.rare, "\(e)")
    }

    @Test("ch04 table 4: RMSprop with ρ = 0.999 ends at f = 0 by underflow; the page says so, with θ")
    func underflow() throws {
        let run = optimize(Quadratic(), from: [-5, -2], steps: 3000,
                           optimizer: RMSprop(learningRate: 0.05, alpha: 0.999))
        let end = run.points.last!
        #expect(end.loss == 0 && end.point.allSatisfy { abs($0) < 1e-300 }, "\(end.point)")
        let page = try runChapter("ch04-rmsprop").page
        #expect(page.contains("A 0e+00 (RMSprop, ρ = 0.999: θ = (\(String(format: "%.1e", end.point[0])), "))
        #expect(page.contains("is underflow, not a bug"))
    }

    @Test("ch05: the widened range names every β₂ where the correction trains more rates, and only those")
    func widerRange() {
        let betas = ["0.99", "0.999", "0.9999"]
        // Seed 42's table 3: 2 / 2, 3 / 1, 3 / 1.
        let s = ch05_adam.widerRangeSentence(counts: [[2, 2], [3, 1], [3, 1]], betas: betas)
        #expect(s.sentence.contains("at β₂ = 0.999 (3 rates with, 1 without) and "
                                    + "β₂ = 0.9999 (3 rates with, 1 without)"),
                "\(s.sentence)")
        #expect(s.sentence.contains("not at β₂ = 0.99 (2 rates with, 2 without)") && s.holds)
        let none = ch05_adam.widerRangeSentence(counts: [[0, 0], [1, 1], [0, 2]], betas: betas)
        #expect(none.sentence.contains("never") && none.holds)
        let all = ch05_adam.widerRangeSentence(counts: [[3, 2], [3, 1], [4, 1]], betas: betas)
        #expect(all.sentence.hasSuffix("β₂ = 0.9999 (4 rates with, 1 without).") && !all.sentence.contains("not at"))
    }

    @Test("ch04 and ch05: two series that are compared are drawn in different colours")
    func colours() throws {
        let figures = FigureReadabilityTests()
        let four = try #require(try figures.scripts("ch04-rmsprop")["article-vs-rmsprop"])
        let drawn = figures.series(four).flatMap { $0 }
        let article = try #require(drawn.first { $0.title.hasPrefix("article") })
        let rms = try #require(drawn.first { $0.title.hasPrefix("RMSprop") })
        #expect(article.color != rms.color)
        let five = try #require(try figures.scripts("ch05-adam")["bias-correction"])
        for plot in figures.series(five) {
            let with = try #require(plot.first { $0.title.hasPrefix("with") })
            let without = try #require(plot.first { $0.title.hasPrefix("without") })
            #expect(with.color != without.color)
        }
        let three = try #require(try figures.scripts("ch03-adagrad")["sgd-vs-adagrad"])
        // SGD's path carries no markers that could cover AdaGrad's, and AdaGrad is drawn after it.
        let paths = three.components(separatedBy: "\n    plot ")[1]
        let sgdLine = try #require(paths.split(separator: "\n").first { $0.contains("title \"SGD, α") })
        #expect(sgdLine.contains("with lines ") && !sgdLine.contains("linespoints"), "\(sgdLine)")
    }
}
