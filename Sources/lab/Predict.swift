import ArgumentParser
import Descent
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `lab predict`: a saved network applied to new rows, in the target's own units or labels.
///
/// For each row: x′ₖ = (xₖ − μₖ)/σₖ (0 where σₖ = 0) for the file's features, looked up by name;
/// z = the network's output (batch norm with its running averages, as PyTorch's `model.eval()`);
/// regression ŷ = μ_y + σ_y·z; classification p = softmax(z), the label of the largest p (the first
/// on a tie). μ, σ, the labels and the network come from the parameter file (``ParameterFile``,
/// ``DataScaling``).
struct Predict: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict with a network saved by 'lab train --save-params' or '--save-best'.",
        discussion: """
            Reads the parameter file (the network, its activation and options, and the data scaling \
            it was trained with: see 'lab train --help') and writes one prediction per data row, in \
            file order. Features are looked up by name and z-scored with the training split's means \
            and standard deviations from the file (a column constant in training gives 0); the CSV \
            may also hold the target column (ignored), any other column is an error, and so is a \
            missing feature.

            Regression: one column named after the target, in its original units \
            (target_mean + target_std × the network's output). Classification: the predicted label \
            (column named after the target; the first of equally likely classes), then p_<label>, \
            the softmax probability of each class, in the file's class order. Batch norm uses the \
            running averages (PyTorch's model.eval()).

            The CSV is read 1 MiB at a time and each chunk's rows are written before the next is \
            read, so files of any length stream in constant memory; a bad line (a non-numeric or \
            empty cell, NaN, a wrong number of fields) stops with an error naming its line and \
            column, exit 1; rows of earlier chunks may already have been written (a file under \
            1 MiB: nothing is). A file saved before this \
            version (without "model" and "scaling") is refused with how to re-save it.

            Examples:
              lab train --data moons --optimizer adam --lr 0.01 --steps 500 --save-params moons.json
              lab predict --params moons.json --data moons --format table
            """
    )

    @Option(help: ArgumentHelp("A parameter file written by 'lab train --save-params' or '--save-best'.", valueName: "file"))
    var params: String

    @Option(help: ArgumentHelp("A CSV file (header row, all cells numeric) with the network's feature columns, or a built-in data set: \(DataTable.builtInNames.joined(separator: ", ")).",
                               valueName: "path|name"))
    var data: String

    @Option(help: "Output format: csv (streamed) or table (aligned, streamed).")
    var format: PredictFormat = .csv

    enum PredictFormat: String, ExpressibleByArgument, CaseIterable {
        case csv, table
        var format: Format { self == .csv ? .csv : .table }
    }

    func run() async throws {
        let file = try ParameterFile(path: params)
        var writer = PredictionWriter(file, format: format.format, data: data)
        var info = stat()
        if stat(data, &info) != 0, let table = DataTable.builtIn(data) {
            try writer.header(table.columns)
            try writer.rows(table.values)
            return try await writer.finish()
        }
        var reader = DataTable.CSVReader(source: data, memoryLimit: memoryLimit())
        do {
            try readChunks(data, what: "--data", limit: .infinity) { chunk in
                try reader.consume(chunk)
                if let names = reader.columnNames, !writer.started { try writer.header(names) }
                try writer.rows(reader.takeRows())
            }
            let rest = try reader.finish()
            if !writer.started { try writer.header(rest.columns) }
            try writer.rows(rest.values)
        } catch let error as DataError {
            throw LabError(error.description)
        }
        try await writer.finish()
    }
}

/// Turns rows of the data's columns into prediction rows on standard output.
struct PredictionWriter {
    let file: ParameterFile
    let data: String
    private var printer: RowPrinter
    /// For each feature of the network, its column in the data.
    private var columns: [Int] = []
    private var width = 0
    private(set) var started = false

    init(_ file: ParameterFile, format: Format, data: String) {
        self.file = file
        self.data = data
        let s = file.scaling
        if s.task == .regression {
            printer = RowPrinter(header: [s.target], format: format, integerColumns: [], largestInteger: 0)
        } else {
            let classes = s.classes ?? []
            let integral = classes.allSatisfy { $0 == $0.rounded() && abs($0) < 1e15 }
            // The widest label's digit count (a minus sign counted as one more digit).
            let largest = integral ? classes.map { Int(abs($0)) * ($0 < 0 ? 10 : 1) + ($0 < 0 ? 9 : 0) }.max() ?? 0 : 0
            printer = RowPrinter(header: [s.target] + classes.map { "p_" + label($0) }, format: format,
                                 integerColumns: integral ? [0] : [], largestInteger: largest)
        }
    }

    /// Maps the data's header onto the network's features and prints the output header.
    mutating func header(_ names: [String]) throws {
        let s = file.scaling
        let missing = s.features.filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw LabError("--data '\(data)': no column \(quoted(missing)); the network's features are \(quoted(s.features)) "
                           + "(the data has \(quoted(names)))")
        }
        let extra = names.filter { !s.features.contains($0) && $0 != s.target }
        guard extra.isEmpty else {
            throw LabError("--data '\(data)': column \(quoted(extra)) is neither one of the network's features "
                           + "(\(quoted(s.features))) nor its target '\(s.target)'; remove \(extra.count == 1 ? "it" : "them")")
        }
        columns = s.features.map { names.firstIndex(of: $0)! }
        width = names.count
        started = true
        try printer.start()
    }

    /// Predicts and prints rows given row-major, `width` numbers each.
    mutating func rows(_ values: [Double]) throws {
        guard !values.isEmpty else { return }
        let n = values.count / width, d = columns.count
        let s = file.scaling
        var x = Matrix(rows: n, columns: d)
        for i in 0..<n {
            for k in 0..<d { x[i, k] = s.standardized(values[i * width + columns[k]], feature: k) }
        }
        let network = file.network
        let z = network.predict(file.parameters, x, statistics: network.statisticsCount > 0 ? file.statistics : nil)
        let classes = s.classes ?? []
        for i in 0..<n {
            if s.task == .regression {
                try printer.row([s.targetValue(z[i, 0])])
            } else {
                let logits = (0..<z.columns).map { z[i, $0] }
                let p = DataScaling.softmax(logits)
                // The largest logit, the first on a tie (torch.argmax's choice).
                let best = logits.indices.max { logits[$0] < logits[$1] || (logits[$0] == logits[$1] && $0 > $1) }!
                try printer.row([classes[best]] + p)
            }
        }
    }

    mutating func finish() async throws {
        try await printer.finish { _ in fatalError("predict draws no plot") }
    }
}

/// A class label as written in the output: an integer without a fraction.
private func label(_ v: Double) -> String {
    v == v.rounded() && abs(v) < 1e15 ? "\(Int(v))" : "\(v)"
}

private func quoted(_ names: [String]) -> String { names.map { "'\($0)'" }.joined(separator: ", ") }
