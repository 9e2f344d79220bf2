import ArgumentParser
import Descent

/// The data flags of `lab train`: `--data` and ``TrainSplitOptions``.
struct TrainDataOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A CSV file (header row, all cells numeric) or a built-in data set: \(DataTable.builtInNames.joined(separator: ", ")).",
                               valueName: "path|name"))
    var data: String

    @OptionGroup var split: TrainSplitOptions

    var target: String? { split.target }
    var task: TaskKind? { split.task }
    var validation: Double { split.validation }
    var batchSize: Int { split.batchSize }
    var seed: UInt64 { split.seed }

    func validateOptions() throws { try split.validateOptions() }

    /// Reads and prepares the data; prints the inferred task on stderr.
    func load() throws -> PreparedData { try split.load(data) }
}

/// The data flags of `lab train` after `--data` (shared with `lab find-lr`, whose `--data` is
/// optional beside `--function`).
struct TrainSplitOptions: ParsableArguments {
    @Option(help: "The target column's name (default: the last column).")
    var target: String?

    @Option(help: "regression or classification (default: classification when the target has ≤ 20 distinct integer values).")
    var task: TaskKind?

    @Option(parsing: .unconditional, help: "Fraction f ∈ [0, 1) of rows held out for validation (the last ⌈f·n⌉ of a seeded permutation); 0 = no split, rows in file order.")
    var validation: Double = 0.2

    @Option(parsing: .unconditional, help: "Mini-batch size; 0 = the whole training split (full batch).")
    var batchSize: Int = 32

    @Option(parsing: .unconditional, help: "Seed of the split (its own stream), the initial weights and the batch order.")
    var seed: UInt64 = 42

    func validateOptions() throws {
        guard validation.isFinite, validation >= 0, validation < 1 else {
            throw ValidationError("--validation must be in [0, 1) (e.g. --validation 0.2, or 0 for no split), got \(validation)")
        }
        guard batchSize >= 0 else { throw ValidationError("--batch-size must be ≥ 0 (0 = full batch), got \(batchSize)") }
    }

    /// Reads and prepares `data` (a path or a built-in name); prints the inferred task on stderr.
    func load(_ data: String) throws -> PreparedData {
        let prepared = try prepare(try loadTable(data))
        if prepared.taskWasInferred { Notes.add(prepared.taskNote) }
        return prepared
    }

    /// Splits and scales a table already read (`find-lr --repeats` splits one table for several seeds).
    func prepare(_ table: DataTable) throws -> PreparedData {
        do {
            return try PreparedData(table, target: target, task: task, validationFraction: validation, seed: seed,
                                    memoryLimit: memoryLimit())
        } catch {
            throw LabError(error.description)
        }
    }
}

/// The model flags of `lab train` (shared with `lab find-lr --data`): the network, its
/// initial weights, and the checks that it can be trained.
struct TrainModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Hidden layer widths, input side first, e.g. 32,32; 'none' = no hidden layer (a linear model).",
                               valueName: "widths"), transform: HiddenLayers.parse)
    var layers = HiddenLayers(widths: [32, 32])

    @Option(help: "Hidden-layer activation: tanh, relu or sigmoid (the output layer is linear).")
    var activation: ActivationName = .tanh

    @Option(help: "Weight initialisation (biases start at 0): xavier-uniform, xavier-normal, he-uniform, he-normal, standard (PyTorch Linear's U(±1/√fan_in)).")
    var `init`: InitializerName = .xavierUniform

    @Option(help: "Read the initial weights from this JSON file instead of drawing them.")
    var initParams: String?

    @Flag(help: "Residual skips: every hidden layer after the first computes h + φ(Wh + b) (needs equal hidden widths).")
    var residual = false

    @Flag(help: "Batch normalisation (PyTorch's BatchNorm1d) between the linear map and φ in every hidden layer.")
    var batchNorm = false

    @Option(parsing: .unconditional, help: "Threads for the large matrix products: 1 or 2. The results are the same bit for bit; 2 pays off for wide layers (256 units and more).")
    var threads = 1

    /// The checks that need no data: --residual's widths, --batch-norm's hidden layers and batches.
    func validateModel(batchSize: Int) throws {
        guard threads == 1 || threads == 2 else {
            throw ValidationError("--threads must be 1 or 2, got \(threads)")
        }
        let widths = layers.widths
        if residual && (widths.count < 2 || Set(widths).count != 1) {
            throw ValidationError("--residual needs at least two hidden layers of equal width (e.g. --layers 32,32,32), got --layers \(widths.map(String.init).joined(separator: ","))")
        }
        if batchNorm && widths.isEmpty {
            throw ValidationError("--batch-norm normalises hidden layers; add some (e.g. --layers 32,32)")
        }
        if batchNorm && batchSize == 1 {
            throw ValidationError("--batch-norm needs batches of at least 2 rows (a batch's variance), got --batch-size 1")
        }
    }

    /// Applies --threads to the kernels (validated: 1 or 2).
    func applyThreads() {
        Kernels.setThreads(threads)
    }

    /// The network these flags describe for `data`.
    func network(for data: PreparedData) -> MLP {
        data.network(hidden: layers.widths, activation: activation.activation, residual: residual, batchNorm: batchNorm)
    }

    /// Refuses batch norm on batches of one row (the training split, or an epoch's last batch).
    func checkBatches(_ data: PreparedData, batchSize b: Int) throws {
        let n = data.training.count
        if batchNorm && (n < 2 || (b > 0 && b < n && n % b == 1)) {
            throw LabError("--batch-norm: \(n < 2 ? "the training split has \(n) row" : "the last batch of every epoch would hold 1 of the \(n) training rows (--batch-size \(b))"); batch statistics need at least 2 rows")
        }
    }

    /// The weights (and batch-norm running averages) of --init-params, or nils to draw them.
    func initialState(_ network: MLP) throws -> (parameters: [Double]?, statistics: MLP.RunningStatistics?) {
        guard let path = initParams else { return (nil, nil) }
        let text = try readTextFile(path, what: "--init-params")
        do { return try network.parametersAndStatistics(fromJSON: text) } catch {
            throw LabError("\(path): \(error.description)")
        }
    }
}

struct HiddenLayers {
    let widths: [Int]
    static func parse(_ text: String) throws -> HiddenLayers {
        if text == "none" || text.isEmpty { return HiddenLayers(widths: []) }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        let widths = parts.compactMap { Int($0.trimmingCharacters(in: " ")) }
        guard widths.count == parts.count, widths.allSatisfy({ $0 >= 1 && $0 <= 100_000 }) else {
            throw ValidationError("--layers expects widths ≥ 1 separated by commas (e.g. --layers 32,32) or 'none', got '\(text)'")
        }
        return HiddenLayers(widths: widths)
    }
}

enum ActivationName: String, ExpressibleByArgument, CaseIterable {
    case tanh, relu, sigmoid
    var activation: Activation {
        switch self {
        case .tanh: return .tanh
        case .relu: return .relu
        case .sigmoid: return .sigmoid
        }
    }
}

enum InitializerName: String, ExpressibleByArgument, CaseIterable {
    case xavierUniform = "xavier-uniform", xavierNormal = "xavier-normal"
    case heUniform = "he-uniform", heNormal = "he-normal", standard
    var initializer: Initializer {
        switch self {
        case .xavierUniform: return .xavierUniform
        case .xavierNormal: return .xavierNormal
        case .heUniform: return .heUniform
        case .heNormal: return .heNormal
        case .standard: return .standard
        }
    }
}

extension TaskKind: ExpressibleByArgument {}
