import Descent
import Figures
import LabKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output with every write checked: a full disk, a closed descriptor or a closed pipe
/// is an error (``LabError/incompleteOutput(_:)``), never a silently cut file. Bytes are
/// buffered (64 KiB) and written with `write(2)`.
struct StandardOutput {
    private var buffer: [UInt8] = []
    private static let capacity = 1 << 16

    init() { buffer.reserveCapacity(Self.capacity) }

    mutating func append(_ text: String) throws {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= Self.capacity { try flush() }
    }

    /// Writes everything buffered; throws on the first failed write.
    mutating func flush() throws {
        let failure = buffer.withUnsafeBytes { writeAll(STDOUT_FILENO, $0) }
        buffer.removeAll(keepingCapacity: true)
        if let failure { throw LabError.incompleteOutput(failure) }
        Notes.flush()
    }
}

/// Writes all of `bytes` to `fd`, retrying short and interrupted writes.
/// - Returns: `nil`, or the `errno` of the first failed write.
func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
    var offset = 0
    while offset < bytes.count {
        let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            return errno
        }
        offset += n
    }
    return nil
}

/// Writes all of `text` to standard output, unbuffered; a failed write is
/// ``LabError/incompleteOutput(_:)``.
func writeStdout(_ text: String) throws {
    var text = text
    if let failure = text.withUTF8({ writeAll(STDOUT_FILENO, UnsafeRawBufferPointer($0)) }) {
        throw LabError.incompleteOutput(failure)
    }
    Notes.flush()
}

/// Prints rows one at a time as CSV or an aligned table, or collects them for a plot.
///
/// CSV numbers are shortest round-trip doubles (Swift's `description`); integer columns print
/// without a fraction. The table has fixed-width columns (13 characters fit any number at
/// 6 significant digits), so it streams too. Only `--format plot` keeps the rows, to draw them.
struct RowPrinter {
    let header: [String]
    let format: Format
    let integerColumns: Set<Int>
    private let widths: [Int]
    private var out = StandardOutput()
    /// The rows by column (plot only).
    private(set) var columns: [[Double]]

    /// - Parameter largestInteger: the largest value an integer column will hold (sets its width).
    init(header: [String], format: Format, integerColumns: Set<Int> = [0], largestInteger: Int) {
        self.header = header
        self.format = format
        self.integerColumns = integerColumns
        widths = header.indices.map { j in
            max(header[j].count, integerColumns.contains(j) ? String(largestInteger).count : 13)
        }
        columns = format == .plot ? header.map { _ in [] } : []
    }

    private func line(_ items: [String]) -> String {
        items.enumerated().map { j, c in String(repeating: " ", count: max(0, widths[j] - c.count)) + c }
            .joined(separator: "  ") + "\n"
    }

    /// Prints the header.
    mutating func start() throws {
        switch format {
        case .csv: try out.append(header.joined(separator: ",") + "\n")
        case .table:
            try out.append(line(header))
            try out.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n")
        case .plot: break
        }
    }

    /// Prints (or, for a plot, keeps) one row.
    mutating func row(_ values: [Double]) throws {
        switch format {
        case .csv:
            try out.append(values.enumerated().map { j, v in integerColumns.contains(j) ? "\(Int(v))" : "\(v)" }
                .joined(separator: ",") + "\n")
        case .table:
            try out.append(line(values.enumerated().map { j, v in
                integerColumns.contains(j) ? "\(Int(v))" : significant(v, 6)
            }))
        case .plot:
            for (j, v) in values.enumerated() { columns[j].append(v) }
        }
    }

    /// Writes what is still buffered; for a plot, draws `figure(columns)` first. Throws if any
    /// write failed, so a cut-off output never exits 0.
    mutating func finish(figure: (_ columns: [[Double]]) -> Figure) async throws {
        if format == .plot { try out.append(try await renderPlot(figure(columns))) }
        try out.flush()
    }
}

/// A whole table of numbers with named columns (for outputs that are small by nature; long
/// runs stream through ``RowPrinter`` instead).
struct Table {
    var header: [String]
    var rows: [[Double]]

    /// CSV with numbers as shortest round-trip doubles (Swift's `description`);
    /// integer-valued columns listed in `integerColumns` print without a fraction.
    func csv(integerColumns: Set<Int> = [0]) -> String {
        var out = header.joined(separator: ",") + "\n"
        for row in rows {
            out += row.enumerated().map { j, v in integerColumns.contains(j) ? "\(Int(v))" : "\(v)" }
                .joined(separator: ",") + "\n"
        }
        return out
    }

    /// Right-aligned columns, numbers to 6 significant digits.
    func aligned(integerColumns: Set<Int> = [0]) -> String {
        let cells = rows.map { row in
            row.enumerated().map { j, v in integerColumns.contains(j) ? "\(Int(v))" : significant(v, 6) }
        }
        var widths = header.map(\.count)
        for row in cells { for (j, c) in row.enumerated() { widths[j] = max(widths[j], c.count) } }
        func line(_ items: [String]) -> String {
            items.enumerated().map { j, c in String(repeating: " ", count: widths[j] - c.count) + c }
                .joined(separator: "  ")
        }
        var out = line(header) + "\n"
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in cells { out += line(row) + "\n" }
        return out
    }
}

/// Prints `table` in `format` through checked writes; for `.plot`, draws `figure` with gnuplot's
/// dumb terminal.
func emit(_ table: Table, format: Format, figure: @autoclosure () -> Figure) async throws {
    var out = StandardOutput()
    switch format {
    case .csv: try out.append(table.csv())
    case .table: try out.append(table.aligned())
    case .plot: try out.append(try await renderPlot(figure()))
    }
    try out.flush()
}

/// `x` with `digits` significant digits, in plain or scientific notation like `%g`.
func significant(_ x: Double, _ digits: Int) -> String {
    guard x.isFinite else { return "\(x)" }
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([x]) { vsnprintf(&buffer, buffer.count, "%.\(digits)g", $0) }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Draws `figure` with gnuplot's dumb terminal.
func renderPlot(_ figure: Figure) async throws -> String {
    guard Gnuplot.isAvailable else {
        throw LabError("--format plot needs gnuplot. \(Gnuplot.installHint). Or use --format table.")
    }
    do {
        return try nonEmptyPlot(try await Gnuplot.terminalPlot(figure, width: Gnuplot.terminalWidth()))
    } catch let error as GnuplotError {
        throw LabError("--format plot: \(error). The numbers are still available with --format table or --format csv.")
    }
}

/// `plot`, unless gnuplot printed nothing (it exited 0 but drew no plot): that is an error, not an
/// empty plot.
func nonEmptyPlot(_ plot: String) throws -> String {
    guard plot.contains(where: { !$0.isWhitespace }) else {
        throw LabError("--format plot: gnuplot exited 0 but printed no plot. "
                       + "The numbers are still available with --format table or --format csv.")
    }
    return plot
}

/// Notes for the user on stderr (the inferred task) that wait for the first successful write to
/// standard output: when the run fails before that (a bad --save-params, a full disk), the error
/// is the only line.
enum Notes {
    nonisolated(unsafe) private static var pending: [String] = []

    static func add(_ line: String) { pending.append(line) }

    /// Prints the pending notes.
    static func flush() {
        let lines = pending
        pending = []
        for line in lines { printError(line) }
    }

    /// Forgets the pending notes (the output failed).
    static func drop() { pending = [] }
}

/// A user-facing error: ArgumentParser prints it as one `Error: …` line and exits non-zero.
struct LabError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }

    /// A write to standard output failed with `code` (errno).
    static func incompleteOutput(_ code: Int32) -> LabError {
        LabError("output incomplete: writing to standard output failed (\(String(cString: strerror(code)))); "
                 + "the rows before the failure were written, the rest were not")
    }
}

func printError(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
