import Foundation
import Descent
import Notebook
import Testing
@testable import ch03_adagrad
@testable import ch04_rmsprop
@testable import ch05_adam

/// What the fresh reading of chapters 3–5 found, guarded: the least-squares floor of
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
        // One rate is "1 rate", not "1 rates".
        let one = ch05_adam.widerRangeSentence(counts: [[1, 2], [1, 1], [2, 1]], betas: betas)
        #expect(one.sentence.contains("β₂ = 0.99 (1 rate with, 2 without) and β₂ = 0.999 (1 rate with, 1 without)")
                && !one.sentence.contains("1 rates"), "\(one.sentence)")
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

/// The seed sets of chapters 3 and 5: each run of a set is the run made alone, filed
/// where the chapter reads it.
@Suite("Chapters 3 and 5: seed sets")
struct Chapter3and5SeedSetTests {
    @Test("ch03: a spread is the mean, smallest and largest of the set")
    func spread() {
        let s = Spread([3, 1, 2, 6])
        #expect(s.mean == 3 && s.min == 1 && s.max == 6)
    }

    @Test("ch03: every curve of a rare-features seed is that optimizer trained alone on the seed's data and batches")
    func sparseSeedRun() {
        let seed: UInt64 = 42, steps = 120, every = 12
        let run = ch03_adagrad.SparseSeedRun(seed: seed, steps: steps, every: every)
        let task = ch03_adagrad.SparseTask(seed: seed)
        let batches = ch03_adagrad.SparseSeedRun.batchSeed(seed)
        // The batches come from a generator of their own, not the data seed of the set's next run.
        #expect(batches != seed &+ 1)
        func same(_ a: [ch03_adagrad.SparseTask.Point], _ b: [ch03_adagrad.SparseTask.Point]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { $0.step == $1.step && $0.rare == $1.rare && $0.frequent == $1.frequent }
        }
        #expect(run.sgd.keys.sorted() == ch03_adagrad.SparseSeedRun.sgdGrid)
        #expect(run.ada.keys.sorted() == ch03_adagrad.SparseSeedRun.adaGrid)
        #expect(same(run.sgd[0.05]!, task.train(SGD(learningRate: 0.05), steps: steps, every: every, seed: batches)))
        #expect(same(run.ada[0.5]!, task.train(AdaGrad(learningRate: 0.5), steps: steps, every: every, seed: batches)))
        #expect(run.sgd[0.05]!.count == steps / every + 1)
        let fit = task.weightError(task.leastSquaresWeights())
        #expect(run.fit.rare == fit.rare && run.fit.frequent == fit.frequent && run.examples == 2000)
    }

    @Test("ch05: each final loss of the bias-correction set sits at [seed][β₂][with, without][rate]")
    func biasCorrectionLayout() {
        let seeds: [UInt64] = [42, 43], betas = [0.99, 0.9999], grid = [0.01, 0.1], steps = 15
        let losses = ch05_adam.biasCorrectionLosses(seeds: seeds, betas: betas, grid: grid, steps: steps) { n, f in
            (0..<n).map(f)
        }
        #expect(losses.count == 2 && losses.allSatisfy { $0.count == 2 && $0.allSatisfy { $0.count == 2 } })
        for (s, seed) in seeds.enumerated() {
            let task = SupervisedTask.spirals(seed: seed)
            for (b, b2) in betas.enumerated() {
                for (r, a) in grid.enumerated() {
                    let with = task.finalLoss(Adam(learningRate: a, beta2: b2), steps: steps, seed: seed &+ 7)
                    let without = task.finalLoss(ArticleAdam(learningRate: a, beta2: b2), steps: steps, seed: seed &+ 7)
                    #expect(losses[s][b][0][r] == with && losses[s][b][1][r] == without, "seed \(seed) β₂ \(b2) α \(a)")
                }
            }
        }
    }
}
