/// A dense row-major matrix of `Double`s: element (i, j) is `elements[i * columns + j]`.
///
/// Only what the networks in this book need: construction, element access, and the
/// products in ``Kernels``. Shapes are checked with `precondition`.
public struct Matrix: Equatable, Sendable, CustomStringConvertible {
    /// Number of rows.
    public private(set) var rows: Int
    /// Number of columns.
    public private(set) var columns: Int
    /// The elements in row-major order; `count == rows * columns`.
    public var elements: [Double]

    /// A `rows × columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.elements = Array(repeating: value, count: rows * columns)
    }

    /// A matrix over existing row-major `elements`.
    public init(rows: Int, columns: Int, elements: [Double]) {
        precondition(elements.count == rows * columns, "expected \(rows * columns) elements, got \(elements.count)")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A matrix from nested rows, e.g. `Matrix([[1, 2], [3, 4]])`.
    public init(_ nestedRows: [[Double]]) {
        let c = nestedRows.first?.count ?? 0
        precondition(nestedRows.allSatisfy { $0.count == c }, "all rows must have the same length")
        self.init(rows: nestedRows.count, columns: c, elements: nestedRows.flatMap { $0 })
    }

    /// Element (i, j).
    @inlinable public subscript(i: Int, j: Int) -> Double {
        get { elements[i * columns + j] }
        set { elements[i * columns + j] = newValue }
    }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Double] {
        Array(elements[(i * columns)..<((i + 1) * columns)])
    }

    /// Column `j` as an array.
    public func column(_ j: Int) -> [Double] {
        (0..<rows).map { self[$0, j] }
    }

    /// The transpose.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0..<rows { for j in 0..<columns { t[j, i] = self[i, j] } }
        return t
    }

    /// Changes the shape to `rows × columns`, keeping capacity; contents become unspecified
    /// zeros when the element count changes. Used by workspaces whose batch size varies.
    public mutating func reshape(rows: Int, columns: Int) {
        if rows * columns != elements.count {
            elements = Array(repeating: 0, count: rows * columns)
        }
        self.rows = rows
        self.columns = columns
    }

    public var description: String {
        (0..<rows).map { i in row(i).map { "\($0)" }.joined(separator: " ") }.joined(separator: "\n")
    }

    /// The rows at `indices`, in that order, as a new matrix.
    public func rows(at indices: some Collection<Int>) -> Matrix {
        var out = Matrix(rows: indices.count, columns: columns)
        gatherRows(indices, into: &out)
        return out
    }

    /// Copies the rows at `indices` into `out` (reshaped to `indices.count × columns`).
    public func gatherRows(_ indices: some Collection<Int>, into out: inout Matrix) {
        out.reshape(rows: indices.count, columns: columns)
        let c = columns
        out.elements.withUnsafeMutableBufferPointer { dst in
            elements.withUnsafeBufferPointer { src in
                var r = 0
                for i in indices {
                    precondition(i >= 0 && i < rows, "row index \(i) out of range 0..<\(rows)")
                    // One row is contiguous: a block copy (the element loop was scalar, 10 % of a small net's step).
                    (dst.baseAddress! + r * c).update(from: src.baseAddress! + i * c, count: c)
                    r += 1
                }
            }
        }
    }
}
