import Descent
import Foundation
import Testing
@testable import ch10_batch_size_and_warm_up

/// Chapters 10 and 11 in quick mode: the printed and tabled values come from the runs they name.
@Suite("Chapter wiring: ch10 and ch11")
struct Chapter10and11WiringTests {
    /// Quick mode: 10 epochs as in full runs but one draw (seed 42); the warm-up section trains B = 256
    /// at α = 16 for 8 epochs, warming up over 2 epochs (12 steps), on seeds 42 and 43.
    @Test("ch10: Table 1's full-batch row replays with the library; the warm-up's first step is W× shorter")
    func ch10() throws {
        let run = try runChapter("ch10-batch-size-and-warm-up")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.page.contains("claims checked"))
        // Updates = epochs × ⌈n/B⌉: 10 × 360 at B = 4, 10 at the full batch.
        let small = try #require(row(["4"], in: run.page)), full = try #require(row(["1437"], in: run.page))
        #expect(small[1] == "3600" && full[1] == "10", "updates \(small[1]), \(full[1])")
        // Replay the full-batch row without the chapter's code: same split, network, weights and epochs.
        let rate = try #require(Double(full[2])), tabled = try #require(Double(full[3]))
        let data = try PreparedData(Datasets.digits(), validationFraction: 0.2, seed: 42)
        let net = data.network(hidden: [32], activation: .tanh)
        let task = SupervisedTask(data: data.training, network: net, loss: data.loss, batchSize: data.training.count,
                                  initializer: .xavierUniform)
        let trained = task.train(SGD(learningRate: rate), steps: 10, seed: 42)
        let loss = Evaluator(network: net, data: data.validation!, loss: data.loss).loss(trained.parameters)
        #expect(abs(loss - tabled) < 1e-4, "replayed \(loss), table \(tabled) at α = \(rate)")
        // Table 2: constant α = 16 takes a first step 16‖g₀‖; the warm-up's is 16/W ‖g₀‖ on the same batch.
        let constant = try #require(row(["constant α = 16"], in: run.page))
        let lines = run.page.split(separator: "\n")
        let warm = try #require(lines.first { $0.hasPrefix("| linear warm-up over 2 epochs") })
        let warmFirst = try #require(Double(warm.split(separator: "|")[1].trimmingCharacters(in: .whitespaces)))
        let first = try #require(Double(constant[1]))
        #expect(abs(first / warmFirst - 12) < 0.1, "first steps \(first) and \(warmFirst)")
        let g0 = [UInt64(42), 43].map { s in
            SupervisedTask(data: data.training, network: net, loss: data.loss, batchSize: 256,
                           initializer: .xavierUniform)
                .train(SGD(learningRate: 16), steps: 1, seed: s, recording: [.gradientNorms]).gradientNorms[0]
        }
        #expect(abs(first / (16 * (g0[0] + g0[1]) / 2) - 1) < 2e-3, "first step \(first), ‖g₀‖ \(g0)")
        // Figure 1's fit of α_max/(1 + B_noise/B): the printed pair minimises the log-space squared residual
        // Σ (ln αᵢ − ln α_max + ln(1 + B_noise/Bᵢ))² over Table 1's best rates (grid values 2^(k/2), recovered
        // exactly from the rounded column), and the page quotes it.
        let sizes = [4, 8, 16, 32, 64, 128, 256, 512, 1437]
        let rates = try sizes.map { b -> Double in
            let cells = try #require(row([String(b)], in: run.page))
            let a = try #require(Double(cells[2]))
            return pow(2, (2 * log2(a)).rounded() / 2)
        }
        let bn = try #require(number(after: "fit: B_noise", in: run.stdout))
        let am = try #require(number(after: "alpha_max", in: run.stdout))
        func residual(_ bn: Double, _ am: Double) -> Double {
            zip(sizes, rates).map { b, a in pow(log(a) - log(am) + log(1 + bn / Double(b)), 2) }.reduce(0, +)
        }
        for (f, g) in [(1.02, 1.0), (1 / 1.02, 1.0), (1.0, 1.02), (1.0, 1 / 1.02)] {
            #expect(residual(bn, am) < residual(bn * f, am * g), "fit (\(bn), \(am)) not a minimum: ×\(f), ×\(g)")
        }
        #expect(run.page.contains("B_noise ≈ \(Int(bn.rounded()))**"), "B_noise \(bn) not on the page")
        // "Proportional growth stops between B = a and b": b is the first size of Table 1 whose best α ÷ B is a grid
        // step (÷ 1.2 or more) below r, and a the size just before it.
        let a = try #require(number(after: "proportional growth already stops between B = ", in: run.page))
        let b = try #require(number(after: "proportional growth already stops between B = \(Int(a)) and ",
                                    in: run.page))
        let ratios = try sizes.map { s -> Double in
            let cells = try #require(row([String(s)], in: run.page))
            return try #require(Double(cells[5]))
        }
        let k = try #require(sizes.firstIndex(of: Int(b)))
        #expect(k > 0 && sizes[k - 1] == Int(a), "stops between \(a) and \(b)")
        #expect(ratios[k] < 1 / 1.2 && ratios[..<k].allSatisfy { $0 >= 1 / 1.2 }, "ratios \(ratios), stop at \(b)")
    }

    @Test("ch11: Q1/Q5's ratios at initialisation (sigmoid vanishes, residual and batch norm do not); exercises")
    func ch11() throws {
        let run = try runChapter("ch11-faq")
        #expect(run.status == 0, "\(run.stderr)")
        let sigmoid = try #require(number(after: "q1: sigmoid", in: run.stdout))
        let residual = try #require(number(after: ", residual", in: run.stdout))
        let bn = try #require(number(after: ", batch norm", in: run.stdout))
        #expect(sigmoid < 1e-3 && residual > 1e-2 && bn > 1e-1, "sigmoid \(sigmoid), residual \(residual), bn \(bn)")
        #expect(run.page.contains("**Exercise 2.**") && run.page.contains("claims checked"))
        #expect(run.page.contains("(../ch10-batch-size-and-warm-up/README.md)"))
        // Q4 names its rates and quotes the closed-form floor Σ ασ²/(2(2 − αλ)), λ ∈ {0.2, 4}, σ = 1, at each.
        func floor(_ a: Double) -> Double { [0.2, 4.0].reduce(0) { $0 + a / (2 * (2 - a * $1)) } }
        let atHigh = try #require(number(after: "(closed form ", in: run.page))
        let atLow = try #require(number(after: "(closed form \(String(format: "%.3f", atHigh)) and ", in: run.page))
        #expect(run.page.contains("at α = 0.4 to ") && run.page.contains(" at α = 0.2, "))
        #expect(abs(atHigh - floor(0.4)) < 1e-3 && abs(atLow - floor(0.2)) < 1e-3, "\(atHigh), \(atLow)")
        // "each within X % of its measurement": X is the larger of the two gaps, rounded up to a tenth of a per cent.
        let gapLine = try #require(run.stdout.split(separator: "\n").first { $0.contains("% off at 0.4 and 0.2:") })
        let gaps = gapLine.split(separator: " ").suffix(2).compactMap { Double($0) }
        let within = try #require(number(after: "each within ", in: run.page))
        #expect(gaps.count == 2 && within >= gaps.max()! && within < gaps.max()! + 0.1 + 1e-9, "\(within) vs \(gaps)")
        // Q3's noisy column is over 48 noise seeds: each cell is the mean (min–max; best α) of the runs printed.
        var noisyChecked = 0
        for line in run.stdout.split(separator: "\n") where line.hasPrefix("q3 noisy seeds: ") {
            let parts = line.dropFirst("q3 noisy seeds: ".count).components(separatedBy: ": ")
            let scores = parts[1].split(separator: " ").compactMap { Double($0) }
            #expect(scores.count == 48, "\(parts[0]): \(scores.count) runs")
            let cells = try #require(row([parts[0]], in: run.page), "no Q3 row for \(parts[0])")
            let numbers = cells[3].split { "(–; ,".contains($0) }.compactMap { Double($0) }
            let mean = scores.reduce(0, +) / Double(scores.count)
            // Printed with 2 significant digits: within 6 % of the runs' mean, min and max.
            #expect(numbers.count >= 3 && abs(numbers[0] / mean - 1) < 0.06 && abs(numbers[1] / scores.min()! - 1) < 0.06
                        && abs(numbers[2] / scores.max()! - 1) < 0.06, "\(parts[0]): \(cells[3]) vs \(scores)")
            noisyChecked += 1
        }
        #expect(noisyChecked == 9)
        // Exercise 1's key number: the rate whose closed-form floor is 0.01, solved here by bisection.
        var lo = 1e-6, hi = 0.49
        for _ in 0..<100 { let mid = (lo + hi) / 2; if floor(mid) < 0.01 { lo = mid } else { hi = mid } }
        let key = try #require(number(after: "(Key number: α = ", in: run.page))
        #expect(abs(key / lo - 1) < 5e-3, "page \(key), bisection \(lo)")
    }
}

/// Issue 19: ch10 crashed (illegal instruction, `searches[k - 1]` with k = 0) on seeds 9, 11 and
/// 16, whose smallest batch size is already a grid step below r, and left its staging folder behind.
@Suite("Chapter 10 does not crash where growth stops at once")
struct Chapter10GrowthStopsTests {
    @Test("the smallest size already below r is said as such; the other cases name the sizes around the stop")
    func growthStops() {
        let sizes = [4, 8, 16, 32]
        let atOnce = Chapter10.growthStops(batchSizes: sizes, ratios: [0.5, 1, 1, 1], r0: 1)
        #expect(atOnce.0 == 0 && atOnce.1.contains("already at the smallest size, B = 4"), "\(atOnce.1)")
        let later = Chapter10.growthStops(batchSizes: sizes, ratios: [1, 1, 0.5, 0.4], r0: 1)
        #expect(later.0 == 2 && later.1.contains("between B = 8 and 16"), "\(later.1)")
        let never = Chapter10.growthStops(batchSizes: sizes, ratios: [1, 1, 1, 1], r0: 1)
        #expect(never.0 == nil && never.1.contains("within a grid step of r at every size"))
    }

    @Test("seeds 9, 11 and 16 run without a trap and leave no staging folder (a claim may fail: issue 20)",
          arguments: [9, 11, 16])
    func crashSeeds(seed: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ch10-seed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = Process()
        p.executableURL = builtExecutable("ch10-batch-size-and-warm-up")
        p.arguments = ["--output", dir.path, "--no-render", "--quiet", "--seed", "\(seed)"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationReason == .exit, "seed \(seed): killed by signal \(p.terminationStatus)")
        #expect(p.terminationStatus == 0 || p.terminationStatus == 1, "seed \(seed): exit \(p.terminationStatus)")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }
        #expect(left.isEmpty, "left \(left)")
    }
}
