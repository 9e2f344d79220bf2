/// A table of numbers with named columns: what a CSV file with a header row holds, or a built-in
/// data set (``DataTable/builtIn(_:)``).
///
/// Descent parses text it is given and never opens files: the caller reads the bytes and passes
/// them with the name to use in error messages.
///
/// CSV accepted: a header row of column names, then one row per example, every cell a finite
/// number (Swift's `Double` syntax: `3`, `-0.5`, `1e-3`); fields separated by `,`; spaces around a
/// field and a pair of double quotes around it are ignored; `\n` or `\r\n` line ends; a UTF-8
/// byte-order mark and blank lines at the end are ignored. Anything else is a ``DataError`` that
/// names the source, the line and the column.
public struct DataTable: Sendable, Equatable {
    /// Column names, in file order.
    public let columns: [String]
    /// The cells, row-major: cell (i, j) is `values[i * columns.count + j]`.
    public let values: [Double]
    /// Where the table came from (a path or a built-in name), for messages.
    public let source: String

    /// A table over existing row-major `values`.
    public init(columns: [String], values: [Double], source: String) {
        precondition(!columns.isEmpty && values.count % columns.count == 0, "values must fill whole rows")
        self.columns = columns
        self.values = values
        self.source = source
    }

    /// Number of data rows (the header not counted).
    public var rowCount: Int { values.count / columns.count }

    /// Column `j` as an array.
    public func column(_ j: Int) -> [Double] {
        stride(from: j, to: values.count, by: columns.count).map { values[$0] }
    }

    /// How many bytes of memory a table of `rows` × `columns` needs while it is prepared for
    /// training: the parsed cells plus the standardised copy, 8 bytes per number each.
    public static func bytesNeeded(rows: Int, columns: Int) -> Double {
        Double(rows) * Double(columns) * 8 * 2
    }

    /// Parses CSV `bytes` (UTF-8).
    ///
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - source: the name used in error messages (the path as the user typed it).
    ///   - memoryLimit: bytes available; a file whose rows would need more
    ///     (``bytesNeeded(rows:columns:)``) is refused before any cell is parsed, with the row count.
    /// - Throws: ``DataError`` naming the line and column of the first bad cell.
    /// - Complexity: O(bytes).
    public init(csv bytes: [UInt8], source: String, memoryLimit: Double = .infinity) throws(DataError) {
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        // Lines as byte ranges without their line end.
        var lines: [Range<Int>] = []
        var lineStart = start
        for i in start..<bytes.count where bytes[i] == UInt8(ascii: "\n") {
            lines.append(lineStart..<i)
            lineStart = i + 1
        }
        if lineStart < bytes.count { lines.append(lineStart..<bytes.count) }
        func trimmed(_ r: Range<Int>) -> Range<Int> {
            var lo = r.lowerBound, hi = r.upperBound
            if hi > lo && bytes[hi - 1] == UInt8(ascii: "\r") { hi -= 1 }
            while lo < hi && (bytes[lo] == 0x20 || bytes[lo] == 0x09) { lo += 1 }
            while hi > lo && (bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09) { hi -= 1 }
            return lo..<hi
        }
        while let last = lines.last, trimmed(last).isEmpty { lines.removeLast() }
        guard let headerLine = lines.first else {
            throw DataError(source: source, message: "the file is empty; expected a header row of column names, then rows of numbers")
        }
        // Fields of line `r` as trimmed byte ranges, quotes removed.
        func fields(_ r: Range<Int>) -> [Range<Int>] {
            var out: [Range<Int>] = []
            var lo = r.lowerBound
            for i in r.lowerBound...r.upperBound where i == r.upperBound || bytes[i] == UInt8(ascii: ",") {
                var f = trimmed(lo..<i)
                if f.count >= 2 && bytes[f.lowerBound] == UInt8(ascii: "\"") && bytes[f.upperBound - 1] == UInt8(ascii: "\"") {
                    f = trimmed((f.lowerBound + 1)..<(f.upperBound - 1))
                }
                out.append(f)
                lo = i + 1
            }
            return out
        }
        func text(_ r: Range<Int>) -> String { String(decoding: bytes[r], as: UTF8.self) }

        let names = fields(trimmed(headerLine)).map(text)
        for (j, name) in names.enumerated() {
            if name.isEmpty {
                throw DataError(source: source, line: 1, column: j + 1, message: "the header has an empty column name")
            }
            if let first = names.firstIndex(of: name), first < j {
                throw DataError(source: source, line: 1, column: j + 1,
                                message: "column name '\(name)' is used twice (columns \(first + 1) and \(j + 1))")
            }
            if Double(name) != nil && names.count > 1 {
                throw DataError(source: source, line: 1, column: j + 1,
                                message: "the first row must be a header of column names, but '\(name)' is a number")
            }
        }
        let rows = lines.count - 1
        guard rows > 0 else {
            throw DataError(source: source, line: 1, message: "the header (\(names.count) columns) is not followed by any data rows")
        }
        let needed = DataTable.bytesNeeded(rows: rows, columns: names.count)
        guard needed <= memoryLimit else {
            throw DataError(source: source, message:
                "\(rows) rows × \(names.count) columns need \(formatBytes(needed)) of memory as 64-bit numbers, " +
                "more than the \(formatBytes(memoryLimit)) available; use fewer rows")
        }
        var values: [Double] = []
        values.reserveCapacity(rows * names.count)
        for (index, line) in lines.enumerated().dropFirst() {
            let lineNumber = index + 1
            let cells = fields(trimmed(line))
            if cells.count == 1 && cells[0].isEmpty {
                throw DataError(source: source, line: lineNumber, message: "empty line inside the data (expected \(names.count) numbers)")
            }
            guard cells.count == names.count else {
                throw DataError(source: source, line: lineNumber, column: min(cells.count, names.count) + 1,
                                message: "\(cells.count) fields, but the header has \(names.count) columns")
            }
            for (j, cell) in cells.enumerated() {
                let s = text(cell)
                func bad(_ what: String) -> DataError {
                    DataError(source: source, line: lineNumber, column: j + 1, message: "column '\(names[j])': \(what)")
                }
                if s.isEmpty { throw bad("empty cell (every cell must be a number)") }
                guard let v = Double(s), !s.hasPrefix("0x"), !s.hasPrefix("-0x"), !s.hasPrefix("+0x") else {
                    throw bad("'\(s)' is not a number")
                }
                guard v.isFinite else { throw bad("'\(s)' is not a finite number (NaN and infinities are not data)") }
                values.append(v)
            }
        }
        self.init(columns: names, values: values, source: source)
    }

    /// Parses CSV `text`; see ``init(csv:source:memoryLimit:)-(_,_,_)``.
    public init(csv text: String, source: String, memoryLimit: Double = .infinity) throws(DataError) {
        try self.init(csv: Array(text.utf8), source: source, memoryLimit: memoryLimit)
    }

    /// The table as CSV text: the header, then one line per row, numbers in shortest round-trip form.
    public func csv() -> String {
        var out = columns.joined(separator: ",") + "\n"
        for i in 0..<rowCount {
            out += (0..<columns.count).map { j in
                let v = values[i * columns.count + j]
                return v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : "\(v)"
            }.joined(separator: ",") + "\n"
        }
        return out
    }
}

/// Bad data: what is wrong and where (source, 1-based line and column when they apply).
public struct DataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file path or built-in name.
    public let source: String
    /// 1-based line in the file (the header is line 1), when one line is at fault.
    public let line: Int?
    /// 1-based column, when one column is at fault.
    public let column: Int?
    /// What is wrong, phrased for the user.
    public let message: String

    public init(source: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.source = source
        self.line = line
        self.column = column
        self.message = message
    }

    /// `source, line L, column C: message`.
    public var description: String {
        var place = source
        if let line { place += ", line \(line)" }
        if let column { place += ", column \(column)" }
        return "\(place): \(message)"
    }
}

/// `bytes` in B, kB, MB, GB or TB (decimal), three significant digits.
func formatBytes(_ bytes: Double) -> String {
    guard bytes.isFinite else { return "unlimited" }
    var v = bytes
    for unit in ["B", "kB", "MB", "GB"] {
        if v < 1000 { return unit == "B" ? "\(Int(v)) B" : "\((v * 10).rounded() / 10) \(unit)" }
        v /= 1000
    }
    return "\((v * 10).rounded() / 10) TB"
}
