import Descent
import Foundation
import TestSupport
import Testing
@testable import ch06_linear_regression
@testable import ch07_finding_the_learning_rate

@Suite("Chapters 6–7: the listing, and finding the rate")
struct Chapter6and7Tests {
    @Test("the listing's data is NumPy's: seed(1) → x₀ = 1.6243453636632417, and y continues the same stream")
    func numpyData() {
        let l = Listing()
        #expect(l.x.count == 100 && l.x[0] == 1.6243453636632417 && l.x[1] == -0.6117564136500754)
        #expect(abs(l.y[0] - 6.649471808596726) < 1e-14)
    }

    @Test("Adam (PyTorch and Keras defaults) ends within 5e-3 of least squares after 1000 steps, and within 1e-5 after 20000 (at a fixed α it keeps rattling on a scale set by α, so not to 1e-6)")
    func adamVersusLeastSquares() {
        let l = Listing()
        let ls = LeastSquaresLine(x: l.x, y: l.y)
        for fit in [l.fit(Adam(learningRate: 0.01)), l.fit(KerasAdam(learningRate: 0.01))] {
            #expect(abs(fit.parameters[0] - ls.slope) < 5e-3 && abs(fit.parameters[1] - ls.intercept) < 5e-3)
            #expect(fit.losses.last! >= ls.meanSquaredError)
        }
        let long = l.fit(Adam(learningRate: 0.01), steps: 20_000)
        #expect(abs(long.parameters[0] - ls.slope) < 1e-5)
    }

    @Test("on the quadratic both range-test suggestions lie in the stable interval (0, 2/λmax)", arguments: [50, 100, 200, 400])
    func suggestionsStable(steps: Int) {
        let r = quadraticSweep(steps: steps, smoothing: 0.98)
        #expect(r.steepest! > 0 && r.steepest! < 0.5)
        #expect(r.minimumOverTen! > 0 && r.minimumOverTen! < 0.5)
    }

    /// Issue 19: a mutant quoting the smoothed loss where the raw one is meant survived the suite.
    @Test("section 3 quotes the raw loss at the raw minimum and at the smoothed one, and the smoothed loss where it says so")
    func smoothingLagQuotesTheRightCurve() throws {
        let sweep = quadraticSweep(steps: 100, smoothing: 0.98)
        let lag = Chapter7.SmoothingLag(sweep)
        let rawMin = try #require(sweep.losses.indices.min { sweep.losses[$0] < sweep.losses[$1] })
        let smoothMin = try #require(sweep.smoothed.indices.min { sweep.smoothed[$0] < sweep.smoothed[$1] })
        #expect(lag.raw == rawMin && lag.smooth == smoothMin)
        #expect(lag.rawRate == sweep.rates[rawMin] && lag.smoothRate == sweep.rates[smoothMin])
        // "until α = … (loss …)": the raw loss, the lowest of the raw curve.
        #expect(lag.rawLoss == sweep.losses.min()!, "quoted \(lag.rawLoss), raw minimum \(sweep.losses.min()!)")
        #expect(lag.rawLoss != sweep.smoothed[rawMin])
        // "where it is … (raw …)": the smoothed loss at its minimum, then the raw loss at that rate.
        #expect(lag.smoothedLoss == sweep.smoothed.min()!)
        #expect(lag.rawLossAtSmooth == sweep.losses[smoothMin] && lag.rawLossAtSmooth != lag.smoothedLoss)
        #expect(lag.smoothedOverRawAtRaw == sweep.smoothed[rawMin] / sweep.losses[rawMin])
        // The two curves differ where it matters, so quoting one for the other cannot pass by accident.
        #expect(sweep.smoothed[rawMin] / sweep.losses[rawMin] > 2)
    }

    @Test("the chapters' pages show the listing's bug and the validation table (quick runs)")
    func pages() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ch67-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        for chapter in ["ch06-linear-regression", "ch07-finding-the-learning-rate"] {
            let run = try runProcess(builtExecutable(chapter), ["--output", out.path, "--quick", "--no-render", "--quiet"])
            #expect(run.status == 0 && !run.signaled, "\(chapter): \(run.stderr)")
        }
        let six = try String(contentsOf: out.appendingPathComponent("ch06-linear-regression/README.md"), encoding: .utf8)
        #expect(six.contains("| Loss: [[") && six.contains("| Loss: 0.21"))
        let seven = try String(contentsOf: out.appendingPathComponent("ch07-finding-the-learning-rate/README.md"), encoding: .utf8)
        #expect(seven.contains("| optimizer | valley | steep | minimum | slide | verified |") && seven.contains("| momentum |")
                && seven.contains("÷ 2/(λmin + λmax)"))
    }
}
