import RealModule
import Testing
@testable import Descent
import CKernels

@Suite("Linear algebra kernels against the reference loops")
struct KernelTests {
    static func random(_ r: Int, _ c: Int, _ rng: inout SeededGenerator) -> Matrix {
        Matrix(rows: r, columns: c, elements: (0..<(r * c)).map { _ in rng.gaussian() })
    }
    static func same(_ a: Matrix, _ b: Matrix) -> Bool {
        a.rows == b.rows && a.columns == b.columns && zip(a.elements, b.elements).allSatisfy { close($0, $1, rel: 1e-12, abs: 1e-12) }
    }
    static let shapes: [(Int, Int, Int)] = [(1, 1, 1), (3, 5, 2), (7, 1, 9), (16, 16, 16), (33, 17, 65), (128, 64, 64)]

    @Test("A·B, Aᵀ·B and A·Bᵀ", arguments: 0..<6)
    func products(i: Int) {
        let (m, n, k) = Self.shapes[i]
        var rng = SeededGenerator(seed: UInt64(i))
        let a = Self.random(m, k, &rng), b = Self.random(k, n, &rng)
        #expect(Self.same(Kernels.product(a, b), ReferenceKernels.multiply(a, b)))
        let at = Self.random(k, m, &rng)
        var c = Matrix(rows: 0, columns: 0)
        Kernels.multiplyTransposedA(at, b, into: &c)
        #expect(Self.same(c, ReferenceKernels.multiplyTransposedA(at, b)))
        let bt = Self.random(n, k, &rng)
        Kernels.multiplyTransposedB(a, bt, into: &c)
        #expect(Self.same(c, ReferenceKernels.multiplyTransposedB(a, bt)))
    }

    /// Shapes ≥ 8 × 16 reach the register-blocked loops (8 × 16 AVX-512, 4 × 8 AVX2), plus ragged edges.
    static let accumulateShapes: [(Int, Int, Int)] = [(4, 5, 3), (8, 16, 5), (16, 32, 7), (9, 17, 4), (33, 40, 65)]

    @Test("accumulate adds to C instead of overwriting, in all three products", arguments: 0..<5)
    func accumulate(i: Int) {
        let (m, n, k) = Self.accumulateShapes[i]
        var rng = SeededGenerator(seed: 9 + UInt64(i))
        let a = Self.random(m, k, &rng), b = Self.random(k, n, &rng)
        let start = Self.random(m, n, &rng)
        func plusStart(_ product: Matrix) -> Matrix {
            var e = product
            for j in e.elements.indices { e.elements[j] += start.elements[j] }
            return e
        }
        var c = start
        Kernels.multiply(a, b, into: &c, accumulate: true)
        #expect(Self.same(c, plusStart(ReferenceKernels.multiply(a, b))), "A·B \(m)×\(n)×\(k), \(Kernels.instructionSet)")
        let at = Self.random(k, m, &rng)
        c = start
        Kernels.multiplyTransposedA(at, b, into: &c, accumulate: true)
        #expect(Self.same(c, plusStart(ReferenceKernels.multiplyTransposedA(at, b))), "Aᵀ·B \(m)×\(n)×\(k)")
        let bt = Self.random(n, k, &rng)
        c = start
        Kernels.multiplyTransposedB(a, bt, into: &c, accumulate: true)
        #expect(Self.same(c, plusStart(ReferenceKernels.multiplyTransposedB(a, bt))), "A·Bᵀ \(m)×\(n)×\(k)")
    }

    /// Every element of C is one chain of fused multiply-adds over p = 0…k−1, from C's old value or from +0:
    /// `s = s.addingProduct(aᵢₚ, bₚⱼ)`. The vector paths must give exactly that, whichever loop computes the
    /// element — the 6 × 8 and 4 × 8 blocks, the 16-row column loop for narrow C (n < 8, the output layer), rows left
    /// over, Aᵀ·B's packed panels (k ≥ 256, n ≤ 64, in chunks of 256 steps), or the cache blocks of 256 steps ×
    /// 128 rows of a large product — so that a trajectory does not depend on the shape's remainders. (The portable path's loop is not fused: it is checked to 1e-12 above.)
    static let chainShapes: [(Int, Int, Int)] = [
        (1, 1, 1), (64, 1, 64), (17, 1, 33), (33, 3, 70), (16, 7, 5), (64, 9, 64), (15, 17, 256), (33, 65, 300),
        (64, 1, 600), (5, 9, 257), (4, 8, 513), (2, 64, 256), (128, 10, 32), (133, 72, 300), (261, 17, 20),
        (64, 64, 64), (32, 32, 32), (13, 16, 7), (14, 64, 9),
    ]

    static func fmaChain(_ a: (Int, Int) -> Double, _ b: Matrix, m: Int, k: Int, start: Matrix?) -> Matrix {
        var c = Matrix(rows: m, columns: b.columns)
        for i in 0..<m {
            for j in 0..<b.columns {
                var s = start?[i, j] ?? 0
                for p in 0..<k { s = s.addingProduct(a(i, p), b[p, j]) }
                c[i, j] = s
            }
        }
        return c
    }

    @Test("the vector paths compute each element as one fused multiply-add chain over p, bit for bit",
          .enabled(if: Kernels.instructionSet != "portable", "the portable path has no fused chains to compare"),
          arguments: 0..<19)
    func fusedChains(i: Int) {
        let (m, n, k) = Self.chainShapes[i]
        var rng = SeededGenerator(seed: 40 + UInt64(i))
        let a = Self.random(m, k, &rng), at = Self.random(k, m, &rng), b = Self.random(k, n, &rng)
        let bt = Self.random(n, k, &rng), start = Self.random(m, n, &rng)
        /// How many elements of `x` differ from `y` in any bit.
        func differing(_ x: Matrix, _ y: Matrix) -> Int { zip(x.elements, y.elements).filter { $0.bitPattern != $1.bitPattern }.count }
        for accumulate in [false, true] {
            let from: Matrix? = accumulate ? start : nil
            var c = start
            Kernels.multiply(a, b, into: &c, accumulate: accumulate)
            #expect(differing(c, Self.fmaChain({ a[$0, $1] }, b, m: m, k: k, start: from)) == 0,
                    "A·B \(m)×\(n)×\(k) accumulate \(accumulate), \(Kernels.instructionSet)")
            c = start
            Kernels.multiplyTransposedA(at, b, into: &c, accumulate: accumulate)
            #expect(differing(c, Self.fmaChain({ at[$1, $0] }, b, m: m, k: k, start: from)) == 0,
                    "Aᵀ·B \(m)×\(n)×\(k) accumulate \(accumulate), \(Kernels.instructionSet)")
            c = start
            Kernels.multiplyTransposedB(a, bt, into: &c, accumulate: accumulate)
            #expect(differing(c, Self.fmaChain({ a[$0, $1] }, bt.transposed, m: m, k: k, start: from)) == 0,
                    "A·Bᵀ \(m)×\(n)×\(k) accumulate \(accumulate), \(Kernels.instructionSet)")
        }
    }

    @Test("the transpose kernel moves every element, for every shape up to 21 × 21 and the ragged edges of 4 × 4 blocks")
    func transposeKernel() {
        for rows in 1...21 {
            for cols in 1...21 {
                let src = (0..<(rows * cols)).map { Double($0) + 0.5 }
                var dst = [Double](repeating: -1, count: rows * cols)
                descent_transpose(rows, cols, src, &dst)
                let expected = (0..<(rows * cols)).map { d in src[(d % rows) * cols + d / rows] }
                #expect(dst == expected, "\(rows) × \(cols), \(Kernels.instructionSet)")
            }
        }
    }

    @Test("bias add and column sums")
    func biasAndSums() {
        var rng = SeededGenerator(seed: 10)
        let a = Self.random(6, 4, &rng)
        let bias = [1.0, -2, 3, 0.5]
        var c = a
        Kernels.addBias(bias, to: &c)
        #expect(Self.same(c, ReferenceKernels.addBias(bias, to: a)))
        #expect(zip(Kernels.columnSums(a), ReferenceKernels.columnSums(a)).allSatisfy { close($0, $1, rel: 1e-13) })
        #expect(Matrix([[1, 2], [3, 4]]).transposed == Matrix([[1, 3], [2, 4]]))
    }

    /// Lengths around the vector widths (8 lanes AVX-512, 4 AVX2) and the digits network's 3,466.
    static let adamLengths = [1, 3, 4, 7, 8, 9, 17, 3466]

    @Test("the Adam kernel is bit for bit the scalar update (PyTorch's order of operations)", arguments: adamLengths)
    func adamKernel(n: Int) {
        var rng = SeededGenerator(seed: 11 + UInt64(n))
        var adam = Adam(learningRate: 0.003, beta1: 0.9, beta2: 0.999, eps: 1e-8)
        var p = (0..<n).map { _ in rng.gaussian() }
        var (q, m, v) = (p, [Double](repeating: 0, count: n), [Double](repeating: 0, count: n))
        for t in 1...3 {
            let g = (0..<n).map { _ in rng.gaussian() * (t == 2 ? 1e-9 : 1) }
            adam.step(&p, gradient: g)
            let stepSize = 0.003 / (1 - Double.pow(0.9, Double(t)))
            let bc2Root = (1 - Double.pow(0.999, Double(t))).squareRoot()
            for i in 0..<n {
                m[i] = m[i] + (1 - 0.9) * (g[i] - m[i])
                v[i] = 0.999 * v[i] + (1 - 0.999) * g[i] * g[i]
                q[i] -= stepSize * m[i] / (v[i].squareRoot() / bc2Root + 1e-8)
            }
            #expect(p.map(\.bitPattern) == q.map(\.bitPattern), "n = \(n), step \(t), \(Kernels.instructionSet)")
            #expect(adam.firstMoment.map(\.bitPattern) == m.map(\.bitPattern) && adam.secondMoment.map(\.bitPattern) == v.map(\.bitPattern))
        }
    }

    /// Inputs for the activations: every scale from subnormal to overflow, both signs, the
    /// branch points (|x| = 0.02 for tanh's series, 20 for its clamp, −708 for exp's floor),
    /// ±0, ±∞ and NaN, at every position within a 4- and 8-lane vector.
    static func activationInputs() -> [Double] {
        var rng = SeededGenerator(seed: 2026)
        var xs: [Double] = [0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                            .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        for edge in [0.02, 20, 708, 709, 745, 1e-300] {
            for d in [edge.nextDown, edge, edge.nextUp] { xs += [d, -d, d / 2, -2 * d] }
        }
        for _ in 0..<200_000 {
            let scale = Double.pow(10, rng.uniform(-12, 3))
            xs.append(rng.gaussian() * scale)
        }
        return xs
    }

    @Test("tanh and sigmoid: the vector loop equals the scalar loop bit for bit, and the libm value to 4e-15",
          arguments: [0, 1])
    func activationKernels(kind: Int32) {
        let xs = Self.activationInputs()
        for offset in 0..<8 {
            let x = Array(xs.dropFirst(offset))
            var fast = [Double](repeating: 0, count: x.count), reference = fast
            if kind == 0 { descent_tanh(x.count, x, &fast) } else { descent_sigmoid(x.count, x, &fast) }
            if descent_activation_scalar_reference(kind, x.count, x, &reference) == 1 {
                let differing = fast.indices.filter {
                    fast[$0].bitPattern != reference[$0].bitPattern && !(fast[$0].isNaN && reference[$0].isNaN)
                }
                #expect(differing.isEmpty, "kind \(kind), \(Kernels.instructionSet): \(differing.count) differ, first x = \(differing.first.map { x[$0] } ?? 0)")
            }
            let worst = zip(x, fast).map { xi, yi -> Double in
                let exact = kind == 0 ? Double.tanh(xi) : 1 / (1 + Double.exp(-xi))
                if exact.isNaN { return yi.isNaN ? 0 : .infinity }
                // Below 1e-300 (sigmoid of x < −690) the kernel may flush to 0: an absolute error there.
                return abs(exact) < 1e-300 ? (abs(yi - exact) <= 1e-300 ? 0 : .infinity) : abs(yi - exact) / abs(exact)
            }.max() ?? 0
            #expect(worst <= 4e-15, "kind \(kind), \(Kernels.instructionSet): worst relative error \(worst)")
        }
    }
}
