import Descent
import Figures
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A table of numbers with named columns, printable as CSV, an aligned table or a plot.
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

/// `x` with `digits` significant digits, in plain or scientific notation like `%g`.
func significant(_ x: Double, _ digits: Int) -> String {
    guard x.isFinite else { return "\(x)" }
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([x]) { vsnprintf(&buffer, buffer.count, "%.\(digits)g", $0) }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Prints `table` in `format`; for `.plot`, draws `figure` with gnuplot's dumb terminal.
func emit(_ table: Table, format: Format, figure: @autoclosure () -> Figure) async throws {
    switch format {
    case .csv: print(table.csv(), terminator: "")
    case .table: print(table.aligned(), terminator: "")
    case .plot:
        guard Gnuplot.isAvailable else {
            throw LabError("--format plot needs gnuplot. \(Gnuplot.installHint). Or use --format table.")
        }
        let plot: String
        do {
            plot = try await Gnuplot.terminalPlot(figure(), width: Gnuplot.terminalWidth())
        } catch let error as GnuplotError {
            throw LabError("--format plot: \(error). The numbers are still available with --format table or --format csv.")
        }
        print(plot, terminator: "")
    }
}

/// A user-facing error: ArgumentParser prints it as one `Error: …` line and exits non-zero.
struct LabError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

func printError(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
