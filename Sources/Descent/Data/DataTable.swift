/// A table of numbers with named columns: what a CSV file with a header row holds, or a built-in
/// data set (``DataTable/builtIn(_:)``).
///
/// Descent parses text it is given and never opens files: the caller reads the bytes and passes
/// them with the name to use in error messages.
///
/// CSV accepted: a header row of column names, then one row per example, every cell a finite
/// number (Swift's `Double` syntax: `3`, `-0.5`, `1e-3`); fields separated by `,`; spaces around a
/// field and a pair of double quotes around it are ignored; `\n` or `\r\n` line ends; a UTF-8
/// byte-order mark and blank lines at the end are ignored. Numbers are decimal only: a hex float
/// (`0x1p3`), a NUL byte or a second byte-order mark is refused. Anything else is a ``DataError``
/// that names the source, the line and the column. Text can be parsed as it is read, in chunks,
/// with ``CSVReader``.
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
    ///     (``bytesNeeded(rows:columns:)``) is refused with the row count, its cells no longer parsed.
    /// - Throws: ``DataError`` naming the line and column of the first bad cell.
    /// - Complexity: O(bytes).
    public init(csv bytes: [UInt8], source: String, memoryLimit: Double = .infinity) throws(DataError) {
        var reader = CSVReader(source: source, memoryLimit: memoryLimit)
        var failure: DataError?
        bytes.withUnsafeBytes { buffer in
            do throws(DataError) { try reader.consume(buffer) } catch { failure = error }
        }
        if let failure { throw failure }
        self = try reader.finish()
    }

    /// Parses CSV `text`; see ``init(csv:source:memoryLimit:)-([UInt8],_,_)``.
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

    /// `source, line L, column C: message`, on one line: control characters (a line break, a
    /// carriage return, a NUL quoted from binary data) are shown as `\u{…}` escapes, and a message
    /// longer than ``maximumMessageLength`` characters is cut with "…".
    public var description: String {
        var place = source
        if let line { place += ", line \(line)" }
        if let column { place += ", column \(column)" }
        return DataError.printable("\(place): \(message)")
    }

    /// Longest message ``description`` prints (a cell quoted from a file may be megabytes long).
    public static let maximumMessageLength = 400

    static func printable(_ text: String) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= maximumMessageLength { out += "…"; break }
            let v = scalar.value
            if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || v == 0x2028 || v == 0x2029 {
                out += "\\u{\(String(v, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return out
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
