import CKernels

/// The matrix kernels a multi-layer perceptron needs, on row-major storage.
///
/// | kernel | formula | used for |
/// |---|---|---|
/// | ``multiply(_:_:into:accumulate:)`` | C = A·B | forward pass Z = X·W |
/// | ``multiplyTransposedA(_:_:into:accumulate:)`` | C = Aᵀ·B | weight gradient ∂W = Xᵀ·δ |
/// | ``multiplyTransposedB(_:_:into:accumulate:)`` | C = A·Bᵀ | back-propagation δX = δ·Wᵀ |
/// | ``addBias(_:to:)`` | Cᵢⱼ += bⱼ | forward pass |
/// | ``columnSums(_:)`` | sⱼ = Σᵢ Aᵢⱼ | bias gradient |
///
/// The pointer versions take explicit shapes and never allocate, so a training step
/// that uses them allocates nothing. ``ReferenceKernels`` holds the plain triple loops
/// the tests compare these against.
public enum Kernels {
    /// C (m×n) = A (m×k) · B (k×n), or C += A·B when `accumulate`.
    ///
    /// - Complexity: 2·m·n·k floating-point operations, in a register-blocked AVX-512 or
    ///   AVX2+FMA kernel chosen at run time (``instructionSet``), portable C elsewhere.
    @inlinable
    public static func gemm(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
        accumulate: Bool = false
    ) {
        descent_gemm(m, n, k, a, k, 1, b, c, accumulate ? 1 : 0)
    }

    /// C (m×n) = Aᵀ·B for A stored k×m and B stored k×n, or C += Aᵀ·B when `accumulate`.
    @inlinable
    public static func gemmTN(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
        accumulate: Bool = false
    ) {
        descent_gemm(m, n, k, a, 1, m, b, c, accumulate ? 1 : 0)
    }

    /// C (m×n) = A·Bᵀ for A stored m×k and B stored n×k, or C += A·Bᵀ when `accumulate`.
    /// `scratch` (at least n·k elements) receives Bᵀ so the row-major kernel can stream it.
    @inlinable
    public static func gemmNT(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
        scratch: UnsafeMutablePointer<Double>, accumulate: Bool = false
    ) {
        descent_transpose(n, k, b, scratch)
        descent_gemm(m, n, k, a, k, 1, scratch, c, accumulate ? 1 : 0)
    }

    /// Threads a large matrix product may use: 1 (the default) or 2. With 2, an AVX2 product of at
    /// least 2²¹ multiply-adds (a layer of 256 units on a batch of 32 and up) splits C's columns with
    /// one helper thread; each element is still one chain of operations in the same order, so every
    /// result equals one thread's bit for bit. Process-wide: set it before training, not during.
    public static var threads: Int { Int(descent_threads()) }

    /// Sets ``threads``; returns false, and changes nothing, for a count other than 1 or 2 (or 2 where
    /// the kernels have no threaded path: not x86).
    @discardableResult
    public static func setThreads(_ count: Int) -> Bool {
        count >= 1 && count <= 2 && descent_set_threads(Int32(count)) == 1
    }

    /// The instruction set the kernels use: `avx512`, `avx2` or `portable` — the best this CPU
    /// supports, or the one named by the environment variable `DESCENT_KERNELS` (read once, at
    /// the first kernel call; an unknown or unsupported value is ignored with a note on stderr).
    public static var instructionSet: String { String(cString: descent_kernel_isa()) }

    /// The instruction sets this CPU can run, e.g. `["portable", "avx2", "avx512"]`: the values
    /// `DESCENT_KERNELS` accepts here.
    public static var supportedInstructionSets: [String] {
        String(cString: descent_kernel_isas_supported()).split(separator: " ").map(String.init)
    }

    /// C (m×n) += b (n) on every row.
    @inlinable
    public static func addBias(m: Int, n: Int, _ bias: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>) {
        descent_add_bias(m, n, bias, c)
    }

    /// s (n) = Σᵢ A[i, :] for A (m×n).
    @inlinable
    public static func columnSums(m: Int, n: Int, _ a: UnsafePointer<Double>, _ s: UnsafeMutablePointer<Double>) {
        descent_column_sums(m, n, a, s)
    }

    // MARK: Matrix conveniences (allocate their result)

    /// C = A·B, or C += A·B when `accumulate`.
    public static func multiply(_ a: Matrix, _ b: Matrix, into c: inout Matrix, accumulate: Bool = false) {
        precondition(a.columns == b.rows, "A·B needs A.columns == B.rows (\(a.columns) vs \(b.rows))")
        if !accumulate { c.reshape(rows: a.rows, columns: b.columns) }
        precondition(c.rows == a.rows && c.columns == b.columns, "C has the wrong shape")
        a.elements.withUnsafeBufferPointer { pa in
            b.elements.withUnsafeBufferPointer { pb in
                c.elements.withUnsafeMutableBufferPointer { pc in
                    gemm(m: a.rows, n: b.columns, k: a.columns, pa.baseAddress!, pb.baseAddress!, pc.baseAddress!, accumulate: accumulate)
                }
            }
        }
    }

    /// C = Aᵀ·B, or C += Aᵀ·B when `accumulate`.
    public static func multiplyTransposedA(_ a: Matrix, _ b: Matrix, into c: inout Matrix, accumulate: Bool = false) {
        precondition(a.rows == b.rows, "Aᵀ·B needs A.rows == B.rows (\(a.rows) vs \(b.rows))")
        if !accumulate { c.reshape(rows: a.columns, columns: b.columns) }
        precondition(c.rows == a.columns && c.columns == b.columns, "C has the wrong shape")
        a.elements.withUnsafeBufferPointer { pa in
            b.elements.withUnsafeBufferPointer { pb in
                c.elements.withUnsafeMutableBufferPointer { pc in
                    gemmTN(m: a.columns, n: b.columns, k: a.rows, pa.baseAddress!, pb.baseAddress!, pc.baseAddress!, accumulate: accumulate)
                }
            }
        }
    }

    /// C = A·Bᵀ, or C += A·Bᵀ when `accumulate`.
    public static func multiplyTransposedB(_ a: Matrix, _ b: Matrix, into c: inout Matrix, accumulate: Bool = false) {
        precondition(a.columns == b.columns, "A·Bᵀ needs A.columns == B.columns (\(a.columns) vs \(b.columns))")
        if !accumulate { c.reshape(rows: a.rows, columns: b.rows) }
        precondition(c.rows == a.rows && c.columns == b.rows, "C has the wrong shape")
        a.elements.withUnsafeBufferPointer { pa in
            b.elements.withUnsafeBufferPointer { pb in
                c.elements.withUnsafeMutableBufferPointer { pc in
                    let scratch = UnsafeMutablePointer<Double>.allocate(capacity: max(1, b.rows * b.columns))
                    defer { scratch.deallocate() }
                    gemmNT(m: a.rows, n: b.rows, k: a.columns, pa.baseAddress!, pb.baseAddress!, pc.baseAddress!,
                           scratch: scratch, accumulate: accumulate)
                }
            }
        }
    }

    /// C[i, :] += bias for every row i.
    public static func addBias(_ bias: [Double], to c: inout Matrix) {
        precondition(bias.count == c.columns, "bias has \(bias.count) entries for \(c.columns) columns")
        let (m, n) = (c.rows, c.columns)
        bias.withUnsafeBufferPointer { pb in
            c.elements.withUnsafeMutableBufferPointer { pc in addBias(m: m, n: n, pb.baseAddress!, pc.baseAddress!) }
        }
    }

    /// The sum of each column.
    public static func columnSums(_ a: Matrix) -> [Double] {
        var s = [Double](repeating: 0, count: a.columns)
        a.elements.withUnsafeBufferPointer { pa in
            s.withUnsafeMutableBufferPointer { ps in columnSums(m: a.rows, n: a.columns, pa.baseAddress!, ps.baseAddress!) }
        }
        return s
    }

    /// The product A·B as a new matrix.
    public static func product(_ a: Matrix, _ b: Matrix) -> Matrix {
        var c = Matrix(rows: a.rows, columns: b.columns)
        multiply(a, b, into: &c)
        return c
    }
}

/// Plain, obviously correct versions of ``Kernels``, for tests: each element is a
/// textbook sum Cᵢⱼ = Σₚ AᵢₚBₚⱼ.
public enum ReferenceKernels {
    /// A·B.
    public static func multiply(_ a: Matrix, _ b: Matrix) -> Matrix {
        precondition(a.columns == b.rows)
        var c = Matrix(rows: a.rows, columns: b.columns)
        for i in 0..<a.rows { for j in 0..<b.columns {
            var s = 0.0
            for p in 0..<a.columns { s += a[i, p] * b[p, j] }
            c[i, j] = s
        } }
        return c
    }
    /// Aᵀ·B.
    public static func multiplyTransposedA(_ a: Matrix, _ b: Matrix) -> Matrix { multiply(a.transposed, b) }
    /// A·Bᵀ.
    public static func multiplyTransposedB(_ a: Matrix, _ b: Matrix) -> Matrix { multiply(a, b.transposed) }
    /// A with `bias` added to every row.
    public static func addBias(_ bias: [Double], to a: Matrix) -> Matrix {
        var c = a
        for i in 0..<a.rows { for j in 0..<a.columns { c[i, j] += bias[j] } }
        return c
    }
    /// Σᵢ A[i, j] for each j.
    public static func columnSums(_ a: Matrix) -> [Double] {
        (0..<a.columns).map { j in (0..<a.rows).reduce(0.0) { $0 + a[$1, j] } }
    }
}
