/// The order in which every training loop here visits its rows: epoch after epoch, each a fresh
/// uniformly random permutation of the n rows (``SeededGenerator/permutation(_:)``, drawn when the
/// epoch starts), cut into batches of B rows in that order.
///
///     epoch e:  π_e = permutation(n) from the generator,   batch j = π_e[jB ..< min((j+1)B, n)]
///
/// The last batch of an epoch holds the n − B·⌊n/B⌋ rows left over, unless `dropLast` (PyTorch's
/// `DataLoader(drop_last=True)`: every batch has B rows, the leftovers wait for no one and the next
/// epoch starts). With `fullBatchInOrder`, B = 0 or B ≥ n is full-batch gradient descent: every
/// batch is all rows, in their order, and nothing is drawn (`lab train`'s convention).
///
/// A value: copy it (with the generator) to look at the next batch without consuming it.
public struct MiniBatches: Sendable, Equatable {
    /// n, the rows visited.
    public let rows: Int
    /// B, the rows per batch.
    public let size: Int
    /// Whether an epoch's short last batch is skipped.
    public let dropLast: Bool
    /// Whether the next batch is all rows, in order (no draws).
    public let isFullBatch: Bool
    private var order: [Int] = []
    private var cursor = 0

    /// - Precondition: n ≥ 1, B ≥ 1 (B ≥ 0 with `fullBatchInOrder`); with `dropLast`, B ≤ n.
    public init(rows: Int, size: Int, dropLast: Bool = false, fullBatchInOrder: Bool = false) {
        precondition(rows >= 1, "no rows to batch")
        precondition(size >= 1 || (fullBatchInOrder && size == 0), "a batch needs at least one row")
        precondition(!dropLast || size <= rows, "dropping the short batch of \(rows) rows in batches of \(size) leaves none")
        self.rows = rows
        self.size = size
        self.dropLast = dropLast
        self.isFullBatch = fullBatchInOrder && (size == 0 || size >= rows)
    }

    /// The rows of the next batch, drawing the next epoch's order from `rng` when one starts; nil
    /// when every batch is all rows in order (``isFullBatch``).
    public mutating func next(using rng: inout SeededGenerator) -> ArraySlice<Int>? {
        if isFullBatch { return nil }
        if cursor >= order.count || (dropLast && cursor + size > order.count) {
            order = rng.permutation(rows)
            cursor = 0
        }
        let end = min(cursor + size, order.count)
        defer { cursor = end }
        return order[cursor..<end]
    }
}

/// The inputs and targets of one batch, gathered into buffers that are reused (no allocation once
/// they have grown to the batch size).
public struct BatchBuffer: Sendable {
    public private(set) var inputs: Matrix
    public private(set) var targets: Matrix

    public init(for data: Dataset) {
        inputs = Matrix(rows: 0, columns: data.inputs.columns)
        targets = Matrix(rows: 0, columns: data.targets.columns)
    }

    /// Copies the rows `batch` of `data` in.
    public mutating func gather(_ batch: some Collection<Int>, of data: Dataset) {
        data.inputs.gatherRows(batch, into: &inputs)
        data.targets.gatherRows(batch, into: &targets)
    }
}

extension MLP.Workspace {
    /// The loss and gradient (in ``gradient``) of `parameters` on the rows `batch` of `data`, gathered
    /// through `buffer`; on all of `data`, in place, when `batch` is nil (a full batch).
    public func lossAndGradient(_ parameters: [Double], rows batch: ArraySlice<Int>?, of data: Dataset, loss: Loss,
                                buffer: inout BatchBuffer) -> Double {
        guard let batch else { return lossAndGradient(parameters, input: data.inputs, target: data.targets, loss: loss) }
        buffer.gather(batch, of: data)
        return lossAndGradient(parameters, input: buffer.inputs, target: buffer.targets, loss: loss)
    }
}
