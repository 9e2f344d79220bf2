import Descent
import Testing

/// The one batch order of every training loop (``MiniBatches``), against the epoch loop written out
/// here from its definition: epoch e is permutation(n) from the generator, cut into batches of B.
@Suite struct MiniBatchesTests {
    /// The batches of `epochs` epochs as the definition gives them (a second generator, same seed).
    static func reference(n: Int, b: Int, dropLast: Bool, epochs: Int, seed: UInt64) -> [[Int]] {
        var rng = SeededGenerator(seed: seed)
        var out: [[Int]] = []
        for _ in 0..<epochs {
            let p = rng.permutation(n)
            var start = 0
            while start < n {
                let end = min(start + b, n)
                if dropLast && end - start < b { break }
                out.append(Array(p[start..<end]))
                start = end
            }
        }
        return out
    }

    @Test(arguments: [(10, 3, false), (10, 3, true), (12, 4, false), (12, 4, true), (7, 7, false), (7, 10, false), (1, 1, true)])
    func batchesFollowTheDefinition(n: Int, b: Int, dropLast: Bool) {
        let expected = Self.reference(n: n, b: b, dropLast: dropLast, epochs: 4, seed: 99)
        var batches = MiniBatches(rows: n, size: b, dropLast: dropLast)
        var rng = SeededGenerator(seed: 99)
        let got = expected.indices.map { _ in Array(batches.next(using: &rng)!) }
        #expect(got == expected, "n \(n), B \(b), dropLast \(dropLast)")
        // Each epoch visits every row once (all but the dropped leftovers).
        let perEpoch = dropLast ? n / b : (n + b - 1) / b
        for e in 0..<4 {
            let rows = got[(e * perEpoch)..<((e + 1) * perEpoch)].flatMap { $0 }
            #expect(Set(rows).count == rows.count && rows.count == (dropLast ? perEpoch * b : n))
        }
    }

    /// Full batch in order: every batch is all rows, and the generator is not touched.
    @Test func fullBatchDrawsNothing() {
        for size in [0, 5, 9] {
            var batches = MiniBatches(rows: 5, size: size, fullBatchInOrder: true)
            var rng = SeededGenerator(seed: 3)
            var untouched = SeededGenerator(seed: 3)
            #expect(batches.isFullBatch && batches.next(using: &rng) == nil && batches.next(using: &rng) == nil)
            #expect(rng.next() == untouched.next())
        }
        var shuffled = MiniBatches(rows: 5, size: 9)  // without fullBatchInOrder: one shuffled batch of all rows
        var rng = SeededGenerator(seed: 3)
        #expect(!shuffled.isFullBatch && Set(shuffled.next(using: &rng)!) == Set(0..<5))
    }

    /// A copy looks ahead without consuming: the peeked batch is the next one.
    @Test func aCopyPeeks() {
        var batches = MiniBatches(rows: 9, size: 4)
        var rng = SeededGenerator(seed: 5)
        _ = batches.next(using: &rng)
        var peek = batches, peekRng = rng
        let ahead = Array(peek.next(using: &peekRng)!)
        #expect(Array(batches.next(using: &rng)!) == ahead)
    }
}

/// train and trainEvaluating are one loop seen through different observers: on the same data, batches,
/// optimizer and schedule they end at the same parameters, bit for bit, and report the same batch losses.
@Suite struct OneTrainingLoopTests {
    @Test(arguments: ["sgd", "adam", "plateau", "batch-norm"])
    func bothFacesAreTheSameRun(case name: String) throws {
        var data = SeededGenerator(seed: 11)
        let x = Matrix(rows: 51, columns: 3, elements: (0..<153).map { _ in data.gaussian() })
        let y = Matrix(rows: 51, columns: 1, elements: (0..<51).map { i in x[i, 0] - 2 * x[i, 1] * x[i, 2] })
        let set = Dataset(inputs: x, targets: y)
        let net = MLP(inputs: 3, hidden: [8, 8], outputs: 1, activation: .tanh, batchNorm: name == "batch-norm")
        var init0 = SeededGenerator(seed: 2)
        let theta = net.initialParameters(.xavierUniform, using: &init0)
        let schedule = name == "plateau" ? try Schedule(parsing: "plateau:factor=0.5,patience=2") : .constant
        func run(evaluated: Bool, _ opt: some Optimizer) -> [Double] {
            var rng = SeededGenerator(seed: 5)
            return evaluated
                ? trainEvaluating(net, parameters: theta, training: set, validation: nil, loss: .meanSquaredError, optimizer: opt,
                                  schedule: schedule, steps: 40, batchSize: 7, evaluateEvery: 10, accuracy: false, rng: &rng,
                                  onRow: { _ in }).parameters
                : train(net, parameters: theta, on: set, loss: .meanSquaredError, optimizer: opt, schedule: schedule,
                        steps: 40, batchSize: 7, divergence: .nonFinite, rng: &rng).parameters
        }
        func run(evaluated: Bool) -> [Double] {
            name == "sgd" ? run(evaluated: evaluated, SGD(learningRate: 0.05, momentum: 0.9))
                          : run(evaluated: evaluated, Adam(learningRate: 0.01))
        }
        let a = run(evaluated: false), b = run(evaluated: true)
        #expect(a == b, "\(name): the two faces differ by up to \(zip(a, b).map { abs($0 - $1) }.max() ?? 0)")
        #expect(a != theta)
    }
}
