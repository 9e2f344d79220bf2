import RealModule

/// What a network learns from a table: a number (regression) or one of a few labels (classification).
public enum TaskKind: String, CaseIterable, Sendable {
    case regression, classification
}

/// A ``DataTable`` made ready for training: a target column chosen, a seeded train/validation split,
/// features standardised with the training split's statistics, and targets encoded for the task.
///
/// - **Split.** With validation fraction f > 0, the n rows are permuted by a generator seeded with
///   `seed` (its own stream, ``splitGenerator(seed:)``, so the split depends on nothing but the seed
///   and n) and the last v = ⌈f·n⌉ rows of the permutation are the validation split; both splits keep
///   file order. f = 0: every row trains, in file order, and there is no validation split.
/// - **Features.** x′ = (x − μ)/σ per column, μ and σ the mean and *population* standard deviation
///   (divide by n) of the **training** split only; a column constant on the training split becomes 0.
/// - **Regression.** One output, mean squared error; the target is standardised like a feature, so
///   losses are in standardised units (multiply by σ_y² for the original units).
/// - **Classification.** The sorted distinct target values (of all rows) become classes 0…K−1; K
///   outputs, softmax cross-entropy averaged over the batch (PyTorch's `CrossEntropyLoss`); targets
///   are one-hot rows.
/// - **Automatic task.** Without an explicit task, a target whose values are all integers with at
///   most ``automaticClassLimit`` distinct values is a classification, anything else a regression;
///   ``taskWasInferred`` and ``taskNote`` say so.
public struct PreparedData: Sendable {
    /// Largest number of distinct integer target values still treated as classes when the task is inferred.
    public static let automaticClassLimit = 20
    /// Largest number of classes of a classification (a softmax over K outputs, one-hot targets of K
    /// columns): checked, with the one-hot targets' size against the memory limit, before anything
    /// is allocated — 60,000 distinct targets would otherwise make 28.8 GB of one-hot rows.
    public static let classLimit = 10_000

    /// Where the data came from.
    public let source: String
    /// Names of the input columns, in file order.
    public let featureNames: [String]
    /// Name of the target column.
    public let targetName: String
    /// Regression or classification.
    public let task: TaskKind
    /// True when ``task`` was chosen from the target's values rather than given.
    public let taskWasInferred: Bool
    /// The original target value of each class 0…K−1 (classification), sorted; empty for regression.
    public let classes: [Double]
    /// The training split (standardised inputs, encoded targets).
    public let training: Dataset
    /// The validation split, or `nil` with a validation fraction of 0.
    public let validation: Dataset?
    /// 0-based data-row indices (file order) of the training split.
    public let trainingRows: [Int]
    /// 0-based data-row indices (file order) of the validation split.
    public let validationRows: [Int]
    /// μ per feature, over the training split.
    public let featureMeans: [Double]
    /// Population σ per feature, over the training split (0 for a constant column).
    public let featureStandardDeviations: [Double]
    /// μ_y of the training targets (regression; 0 for classification).
    public let targetMean: Double
    /// Population σ_y of the training targets (regression; 1 for classification).
    public let targetStandardDeviation: Double

    /// Whether every target value is an integer.
    public let targetIsIntegral: Bool
    /// Number of distinct target values (all rows).
    public let targetDistinctCount: Int

    /// Mean squared error (regression) or softmax cross-entropy (classification).
    public var loss: Loss { task == .regression ? .meanSquaredError : .softmaxCrossEntropy }
    /// Number of network outputs: 1, or the number of classes.
    public var outputCount: Int { task == .regression ? 1 : classes.count }
    /// Number of network inputs.
    public var inputCount: Int { featureNames.count }

    /// One line for the user when the task was inferred, e.g.
    /// `task: classification (target 'digit' has 10 distinct integer values; …)`.
    public var taskNote: String {
        switch task {
        case .classification:
            return "task: classification (target '\(targetName)' has \(classes.count) distinct integer values, "
                + "≤ \(PreparedData.automaticClassLimit); use --task regression to override)"
        case .regression:
            let why = targetIsIntegral
                ? "has \(targetDistinctCount) distinct values, more than \(PreparedData.automaticClassLimit)"
                : "has values that are not integers"
            return "task: regression (target '\(targetName)' \(why); use --task classification to override)"
        }
    }

    /// The generator the split is drawn from: seeded with `seed` XOR a fixed constant, so it is a
    /// stream of its own and not the one that draws the initial weights from the same seed.
    public static func splitGenerator(seed: UInt64) -> SeededGenerator {
        SeededGenerator(seed: seed ^ 0x5EED_5EED_5EED_5EED)
    }

    /// The row indices of each split for `rows` rows (see the type's documentation).
    public static func split(rows n: Int, validationFraction f: Double, seed: UInt64)
        -> (training: [Int], validation: [Int])
    {
        precondition(f >= 0 && f < 1, "the validation fraction must be in [0, 1)")
        guard f > 0 else { return (Array(0..<n), []) }
        let v = validationCount(rows: n, fraction: f)
        var rng = splitGenerator(seed: seed)
        let permutation = rng.permutation(n)
        return (permutation[0..<(n - v)].sorted(), permutation[(n - v)...].sorted())
    }

    /// v = ⌈f·n⌉.
    public static func validationCount(rows n: Int, fraction f: Double) -> Int {
        Int((f * Double(n)).rounded(.up))
    }

    /// Prepares `table` for training.
    ///
    /// - Parameters:
    ///   - table: the parsed data, one column per feature plus the target.
    ///   - target: the target column's name; `nil` = the last column.
    ///   - task: `nil` = inferred (see the type's documentation).
    ///   - validationFraction: f ∈ [0, 1); ⌈f·n⌉ rows are held out, at least one row must train.
    ///   - seed: seeds the split.
    ///   - memoryLimit: bytes available for the standardised copy and the one-hot targets.
    /// - Throws: ``DataError`` for an unknown target, fewer than two columns, a single class, more
    ///   than ``classLimit`` classes or one-hot targets larger than `memoryLimit`, a constant
    ///   regression target, or a split that leaves no training row.
    public init(_ table: DataTable, target: String? = nil, task: TaskKind? = nil,
                validationFraction: Double = 0, seed: UInt64, memoryLimit: Double = .infinity) throws(DataError) {
        let source = table.source
        guard table.columns.count >= 2 else {
            throw DataError(source: source, line: 1, message:
                "only one column ('\(table.columns[0])'); training needs at least one input column and a target")
        }
        let targetIndex: Int
        if let target {
            guard let j = table.columns.firstIndex(of: target) else {
                throw DataError(source: source, line: 1, message:
                    "no column named '\(target)' for the target; the columns are \(table.columns.joined(separator: ", "))")
            }
            targetIndex = j
        } else {
            targetIndex = table.columns.count - 1
        }
        guard validationFraction >= 0 && validationFraction < 1 && validationFraction.isFinite else {
            throw DataError(source: source, message: "the validation fraction must be in [0, 1), got \(validationFraction)")
        }
        let n = table.rowCount
        let v = validationFraction > 0 ? PreparedData.validationCount(rows: n, fraction: validationFraction) : 0
        guard n - v >= 1 else {
            throw DataError(source: source, message:
                "a validation fraction of \(validationFraction) holds out \(v) of \(n) rows, leaving none to train on")
        }
        let c = table.columns.count
        let featureColumns = (0..<c).filter { $0 != targetIndex }
        let y = table.column(targetIndex)
        let targetName = table.columns[targetIndex]

        // The task.
        var distinct = Array(Set(y)).sorted()
        let distinctCount = distinct.count
        let integers = y.allSatisfy { $0 == $0.rounded() }
        let inferred = task == nil
        let kind = task ?? (integers && distinct.count <= PreparedData.automaticClassLimit ? .classification : .regression)
        if kind == .classification && distinct.count < 2 {
            throw DataError(source: source, message:
                "target '\(targetName)' has one value only (\(distinct.first.map { "\($0)" } ?? "none")); "
                + "a classification needs at least two classes")
        }
        if kind == .classification {
            guard distinct.count <= PreparedData.classLimit else {
                throw DataError(source: source, message:
                    "target '\(targetName)' has \(distinct.count) distinct values; a classification has at most "
                    + "\(PreparedData.classLimit) classes (the class limit); use --task regression or a target with fewer classes")
            }
            let bytes = Double(n) * Double(distinct.count + c) * 8
            guard bytes <= memoryLimit else {
                throw DataError(source: source, message:
                    "\(n) rows × \(distinct.count) classes need \(formatBytes(bytes)) of memory as one-hot targets and inputs, "
                    + "more than the \(formatBytes(memoryLimit)) available; use fewer rows or classes")
            }
        }
        if kind == .regression { distinct = [] }

        let (trainRows, validationRows) = PreparedData.split(rows: n, validationFraction: validationFraction, seed: seed)

        // Training-split statistics.
        let d = featureColumns.count
        var (means, stds) = featureStatistics(table, rows: trainRows, columns: featureColumns)
        // Columns whose plain statistics overflow (|x| near 1e154 or more: the squares are infinite)
        // or underflow (subnormal values: the squares are 0) are computed again on x/2ᵉ, 2ᵉ ≤ max |x|.
        // The statistics of x/scale (scale 1 for ordinary columns) standardise: (x/scale − μ′)/σ′.
        var scales = [Double](repeating: 1, count: featureColumns.count)
        var scaledMeans = means, scaledStds = stds
        for k in featureColumns.indices where needsScaling(means[k], stds[k]) {
            let column = featureColumns[k]
            (scaledMeans[k], scaledStds[k], scales[k]) = scaledStatistics(trainRows.count) { table.values[trainRows[$0] * c + column] }
            means[k] = scaledMeans[k] * scales[k]
            stds[k] = scaledStds[k] * scales[k]
        }
        var yMean = 0.0, yStd = 1.0, yScale = 1.0, yScaledMean = 0.0, yScaledStd = 1.0
        if kind == .regression {
            (yMean, yStd) = populationStatistics(trainRows.map { y[$0] })
            (yScaledMean, yScaledStd) = (yMean, yStd)
            if needsScaling(yMean, yStd) {
                (yScaledMean, yScaledStd, yScale) = scaledStatistics(trainRows.count) { y[trainRows[$0]] }
                (yMean, yStd) = (yScaledMean * yScale, yScaledStd * yScale)
            }
            guard yScaledStd > 0 else {
                throw DataError(source: source, message:
                    "target '\(targetName)' is constant (\(yMean)) on the training rows: there is nothing to learn")
            }
        }

        func dataset(_ rows: [Int]) -> Dataset {
            // Row by row, as the table is stored; a constant column stays 0.
            let x = [Double](unsafeUninitializedCapacity: rows.count * d) { x, count in
                table.values.withUnsafeBufferPointer { values in
                    for (r, i) in rows.enumerated() {
                        let row = values.baseAddress! + i * c, out = x.baseAddress! + r * d
                        for k in 0..<d {
                            out[k] = scaledStds[k] > 0 ? standardized(row[featureColumns[k]], scaledMeans[k], scaledStds[k], scales[k]) : 0
                        }
                    }
                }
                count = rows.count * d
            }
            let targets: Matrix
            if kind == .regression {
                targets = Matrix(rows: rows.count, columns: 1, elements: rows.map { standardized(y[$0], yScaledMean, yScaledStd, yScale) })
            } else {
                var t = Matrix(rows: rows.count, columns: distinct.count)
                for (r, i) in rows.enumerated() {
                    t[r, PreparedData.classIndex(of: y[i], in: distinct)] = 1
                }
                targets = t
            }
            return Dataset(inputs: Matrix(rows: rows.count, columns: d, elements: x), targets: targets)
        }

        self.source = source
        self.featureNames = featureColumns.map { table.columns[$0] }
        self.targetName = targetName
        self.task = kind
        self.taskWasInferred = inferred
        self.targetIsIntegral = integers
        self.targetDistinctCount = distinctCount
        self.classes = distinct
        self.training = dataset(trainRows)
        self.validation = validationRows.isEmpty ? nil : dataset(validationRows)
        self.trainingRows = trainRows
        self.validationRows = validationRows
        self.featureMeans = means
        self.featureStandardDeviations = stds
        self.targetMean = yMean
        self.targetStandardDeviation = yStd
    }

    /// The class index of `value` among the sorted `classes` (binary search).
    static func classIndex(of value: Double, in classes: [Double]) -> Int {
        var lo = 0, hi = classes.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if classes[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// A ``SupervisedTask`` on the training split: an MLP `inputs → hidden → outputs` with
    /// `activation` in the hidden layers and identity outputs, this data's loss.
    /// `batchSize` 0 means the whole training split.
    public func supervisedTask(hidden: [Int], activation: Activation, initializer: Initializer,
                               batchSize: Int) -> SupervisedTask {
        SupervisedTask(data: training, network: network(hidden: hidden, activation: activation), loss: loss,
                       batchSize: batchSize == 0 ? training.count : min(batchSize, training.count),
                       initializer: initializer)
    }

    /// The MLP `inputs → hidden → outputs` for this data, optionally with residual skips on every
    /// hidden layer after the first and batch norm on every hidden layer (see ``MLP``).
    public func network(hidden: [Int], activation: Activation, residual: Bool = false, batchNorm: Bool = false) -> MLP {
        MLP(inputs: inputCount, hidden: hidden, outputs: outputCount, activation: activation,
            residual: residual, batchNorm: batchNorm)
    }
}

/// ``populationStatistics(_:)`` of each of `columns` over `rows` of `table`, computed row by row (the
/// table is row-major) with the same operations in the same order as column by column, so the
/// results are bit for bit ``populationStatistics(_:)``'s.
func featureStatistics(_ table: DataTable, rows: [Int], columns: [Int])
    -> (means: [Double], standardDeviations: [Double])
{
    let d = columns.count, c = table.columns.count
    guard let firstRow = rows.first else {
        return ([Double](repeating: 0, count: d), [Double](repeating: 0, count: d))
    }
    return table.values.withUnsafeBufferPointer { values in
        func cell(_ i: Int, _ k: Int) -> Double { values[i * c + columns[k]] }
        let first = (0..<d).map { cell(firstRow, $0) }
        var constant = [Bool](repeating: true, count: d)
        var sums = [Double](repeating: 0, count: d)
        for i in rows {
            for k in 0..<d {
                let v = cell(i, k)
                sums[k] += v
                if v != first[k] { constant[k] = false }
            }
        }
        let n = Double(rows.count)
        let means = (0..<d).map { constant[$0] ? first[$0] : sums[$0] / n }
        var squares = [Double](repeating: 0, count: d)
        for i in rows {
            for k in 0..<d {
                let deviation = cell(i, k) - means[k]
                squares[k] += deviation * deviation
            }
        }
        let stds = (0..<d).map { constant[$0] ? 0 : (squares[$0] / n).squareRoot() }
        return (means, stds)
    }
}

/// Whether a column's plain statistics may have failed: an infinite or NaN mean or σ (the sum or
/// the squares overflowed), or σ = 0 (a constant column, or squares that underflowed).
func needsScaling(_ mean: Double, _ standardDeviation: Double) -> Bool {
    !(mean.isFinite && standardDeviation.isFinite) || standardDeviation == 0
}

/// (x/2ᵉ − μ′)/σ′ with μ′, σ′ the statistics of x/2ᵉ; for scale 1 exactly (x − μ)/σ.
@inline(__always)
func standardized(_ x: Double, _ scaledMean: Double, _ scaledStandardDeviation: Double, _ scale: Double) -> Double {
    scale == 1 ? (x - scaledMean) / scaledStandardDeviation : (x / scale - scaledMean) / scaledStandardDeviation
}

/// Mean and population σ of x/2ᵉ, and the scale 2ᵉ (the largest power of two ≤ max |x|), for
/// `count` values: on x/2ᵉ ∈ (−2, 2) neither the sum nor the squares can overflow, and subnormal
/// values become normal. A constant column gives (value, 0, 1).
func scaledStatistics(_ count: Int, _ value: (Int) -> Double) -> (mean: Double, standardDeviation: Double, scale: Double) {
    guard count > 0 else { return (0, 0, 1) }
    let first = value(0)
    var largest = 0.0, constant = true
    for i in 0..<count {
        let v = value(i)
        largest = max(largest, abs(v))
        if v != first { constant = false }
    }
    if constant { return (first, 0, 1) }
    let scale = Double(sign: .plus, exponent: largest.exponent, significand: 1)
    var sum = 0.0
    for i in 0..<count { sum += value(i) / scale }
    let m = sum / Double(count)
    var squares = 0.0
    for i in 0..<count {
        let deviation = value(i) / scale - m
        squares += deviation * deviation
    }
    return (m, (squares / Double(count)).squareRoot(), scale)
}

/// Mean and population standard deviation (two passes); a constant column gives exactly (value, 0)
/// even where rounding would make the computed mean differ from the value in the last bit.
func populationStatistics(_ v: [Double]) -> (mean: Double, standardDeviation: Double) {
    guard let first = v.first else { return (0, 0) }
    if v.allSatisfy({ $0 == first }) { return (first, 0) }
    let m = v.reduce(0, +) / Double(v.count)
    let s = (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count)).squareRoot()
    return (m, s)
}
