import ArgumentParser
import Descent

/// The data flags of `lab train` (shared with `lab find-lr --data`).
struct TrainDataOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A CSV file (header row, all cells numeric) or a built-in data set: \(DataTable.builtInNames.joined(separator: ", ")).",
                               valueName: "path|name"))
    var data: String

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

    /// Reads and prepares the data; prints the inferred task on stderr.
    func load() throws -> PreparedData {
        let table = try loadTable(data)
        do {
            let prepared = try PreparedData(table, target: target, task: task, validationFraction: validation, seed: seed,
                                            memoryLimit: memoryLimit())
            if prepared.taskWasInferred { Notes.add(prepared.taskNote) }
            return prepared
        } catch {
            throw LabError(error.description)
        }
    }
}

/// The model flags of `lab train` (shared with `lab find-lr --data`).
struct TrainModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Hidden layer widths, input side first, e.g. 32,32; 'none' = no hidden layer (a linear model).",
                               valueName: "widths"), transform: HiddenLayers.parse)
    var layers = HiddenLayers(widths: [32, 32])

    @Option(help: "Hidden-layer activation: tanh, relu or sigmoid (the output layer is linear).")
    var activation: ActivationName = .tanh

    @Option(help: "Weight initialisation (biases start at 0): xavier-uniform, xavier-normal, he-uniform, he-normal, standard (PyTorch Linear's U(±1/√fan_in)).")
    var `init`: InitializerName = .xavierUniform
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
