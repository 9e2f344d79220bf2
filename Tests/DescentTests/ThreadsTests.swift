import Testing
@testable import Descent

/// `Kernels.setThreads(2)` splits a large product's columns with a helper thread. Each element of C is
/// still one chain of multiply-adds in the same order, so a training run must be the same bit for bit.
@Suite("Two threads: the same results as one, bit for bit", .serialized)
struct ThreadsTests {
    /// A layer of 256 units on a batch of 64: 64 · 256 · 256 ≈ 4.2·10⁶ multiply-adds, above the
    /// 2²¹ where a product is split.
    static func trajectory(_ optimizer: some Optimizer, threads: Int) -> [UInt64] {
        #expect(Kernels.setThreads(threads))
        defer { Kernels.setThreads(1) }
        var rng = SeededGenerator(seed: 7)
        let data = Datasets.spirals(count: 256, rng: &rng)
        let net = MLP(inputs: 2, hidden: [256, 256, 64], outputs: 1, activation: .tanh)
        let theta = net.initialParameters(.xavierUniform, using: &rng)
        var order = SeededGenerator(seed: 8)
        let r = train(net, parameters: theta, on: data, loss: .binaryCrossEntropyWithLogits, optimizer: optimizer,
                      steps: 4, batchSize: 64, rng: &order)
        return r.parameters.map(\.bitPattern) + r.losses.map(\.bitPattern)
    }

    static let optimizers: [(String, any Optimizer)] = [
        ("sgd", SGD(learningRate: 0.05)), ("sgd+nesterov", SGD(learningRate: 0.05, momentum: 0.9, nesterov: true)),
        ("adam", Adam(learningRate: 1e-3)), ("rmsprop", RMSprop(learningRate: 1e-3)),
        ("adagrad", AdaGrad(learningRate: 0.01)), ("article-adam", ArticleAdam()), ("article-rmsprop", ArticleRMSprop()),
        ("article-adagrad", ArticleAdaGrad()), ("keras-adam", KerasAdam()),
    ]

    /// The threaded path is the AVX2 one: on an AVX-512 machine these run in KernelPathTests' child
    /// process with DESCENT_KERNELS=avx2, and are skipped (visibly) in the parent.
    static let threadedPath = Kernels.instructionSet == "avx2"

    @Test("every optimizer's trajectory with two threads equals one thread's",
          .enabled(if: threadedPath, "the threaded products are AVX2's (run under DESCENT_KERNELS=avx2 by KernelPathTests)"),
          arguments: 0..<9)
    func sameTrajectory(i: Int) {
        let (name, optimizer) = Self.optimizers[i]
        func run(_ t: Int) -> [UInt64] { Self.trajectory(optimizer, threads: t) }
        let one = run(1), two = run(2)
        #expect(one.count == two.count && zip(one, two).allSatisfy { $0 == $1 },
                "\(name): \(zip(one, two).filter { $0 != $1 }.count) of \(one.count) values differ")
    }

    @Test("each product, wide, narrow-edged and accumulating, is the same with two threads",
          .enabled(if: threadedPath, "the threaded products are AVX2's (run under DESCENT_KERNELS=avx2 by KernelPathTests)"))
    func sameProducts() {
        defer { Kernels.setThreads(1) }
        var rng = SeededGenerator(seed: 31)
        for (m, n, k) in [(64, 256, 256), (130, 1027, 40), (512, 24, 300), (33, 17, 8000)] {
            let a = KernelTests.random(m, k, &rng), at = KernelTests.random(k, m, &rng), b = KernelTests.random(k, n, &rng)
            let bt = KernelTests.random(n, k, &rng), start = KernelTests.random(m, n, &rng)
            var results: [[UInt64]] = []
            for threads in [1, 2] {
                #expect(Kernels.setThreads(threads))
                var out: [UInt64] = []
                for accumulate in [false, true] {
                    var c = start
                    Kernels.multiply(a, b, into: &c, accumulate: accumulate)
                    out += c.elements.map(\.bitPattern)
                    c = start
                    Kernels.multiplyTransposedA(at, b, into: &c, accumulate: accumulate)
                    out += c.elements.map(\.bitPattern)
                    c = start
                    Kernels.multiplyTransposedB(a, bt, into: &c, accumulate: accumulate)
                    out += c.elements.map(\.bitPattern)
                }
                results.append(out)
            }
            #expect(results[0] == results[1], "\(m)×\(n)×\(k): \(zip(results[0], results[1]).filter { $0 != $1 }.count) differ")
        }
    }

    @Test("only 1 and 2 are accepted; anything else leaves the count as it was")
    func counts() {
        defer { Kernels.setThreads(1) }
        #expect(Kernels.threads == 1)
        #expect(!Kernels.setThreads(0) && !Kernels.setThreads(3) && !Kernels.setThreads(-1))
        #expect(Kernels.threads == 1)
        if Kernels.instructionSet != "portable" {
            #expect(Kernels.setThreads(2) && Kernels.threads == 2)
            #expect(!Kernels.setThreads(64) && Kernels.threads == 2)
        }
    }
}
