extension DataTable {
    /// Parses CSV text as it arrives, in chunks of any size, into a ``DataTable``: only the
    /// current, unfinished line is kept as text, so a file's peak memory is its numbers (8 bytes a
    /// cell), not its text. ``DataTable/init(csv:source:memoryLimit:)-([UInt8],_,_)`` is one chunk.
    ///
    /// The syntax and the messages are the table's (see ``DataTable``). Besides, a NUL byte anywhere
    /// (binary data, `/dev/zero`) is refused as soon as it is read, and so is a byte-order mark
    /// anywhere but at the very start (a doubled BOM); a cell is a number only in the decimal syntax
    /// `[+-]digits[.digits][e[+-]digits]` (no hex floats like `0x1p3`, no `nan` or `inf`).
    ///
    /// Why a loader of our own, measured (a 228 MB file of 20 columns × 1.1 M rows, release
    /// builds, each loader turning every cell into a `Double`, wall time on a busy 2-core machine):
    ///
    /// | loader | time | peak RSS | BOM, CRLF, quotes | ragged row, hex float |
    /// |---|---|---|---|---|
    /// | this reader, 1 MiB chunks | 7.8 s | 289 MB (176 MB of numbers; `lab` reserves them) | ✓ | refused, line and column |
    /// | the old whole-text parser | 8.4 s | 462 MB | ✓ | refused; `0X1P3` accepted |
    /// | SwiftCSV 0.10.0 | 93 s | 1,462 MB | ✓ | `""` cell, no position; hex accepted |
    /// | CSV.swift 2.5.2 | 115 s | 286 MB | ✓ | ragged row accepted; a spurious read error at every end of file on Linux |
    ///
    /// Both libraries hand out rows of `String`s and report no line or column, which `lab` promises;
    /// SwiftCSV also reads the whole text into a `String`. What they do better — a comma inside a
    /// quoted field (RFC 4180) — cannot be a number here, and this reader refuses such a row by its
    /// field count. In `lab train`, loading and standardising that file peaked at 379 MB (the numbers
    /// and their standardised copy) instead of 460 MB with the old parser (debug builds).
    public struct CSVReader {
        /// Where the text comes from, for messages.
        public let source: String
        /// Bytes available for the numbers (see ``DataTable/bytesNeeded(rows:columns:)``).
        public let memoryLimit: Double
        private let expectedRows: Int
        /// The current line's bytes so far (without its line end).
        private var partial: [UInt8] = []
        /// Lines completed so far (the header is line 1).
        private var lineNumber = 0
        /// The column names, once the header is read.
        private var names: [String]?
        private var values: [Double] = []
        private var rows = 0
        /// The first blank line after the last non-blank one (blank lines count only if data follows).
        private var firstBlank: Int?
        /// The last non-blank line.
        private var lastNonBlank = 0
        /// Over the memory limit: lines are only counted, for the message.
        private var counting = false
        private var fields: [Range<Int>] = []

        /// - Parameters:
        ///   - source: the name used in error messages.
        ///   - memoryLimit: bytes available for the numbers; more rows than fit are refused with their count.
        ///   - expectedRows: an estimate of the data rows (e.g. from a line count), reserved at once so
        ///     the numbers are not copied as they grow; 0 = unknown.
        public init(source: String, memoryLimit: Double = .infinity, expectedRows: Int = 0) {
            self.source = source
            self.memoryLimit = memoryLimit
            self.expectedRows = max(0, expectedRows)
        }

        /// Reads the next chunk of the text.
        /// - Throws: ``DataError`` at the first bad line (a NUL byte: as soon as it arrives).
        public mutating func consume(_ chunk: UnsafeRawBufferPointer) throws(DataError) {
            let bytes = chunk.bindMemory(to: UInt8.self)
            var lineStart = 0
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                if b == 10 {
                    if partial.isEmpty {
                        try line(UnsafeBufferPointer(rebasing: bytes[lineStart..<i]))
                    } else {
                        partial.append(contentsOf: bytes[lineStart..<i])
                        let whole = partial
                        partial.removeAll(keepingCapacity: true)
                        try lineOf(whole)
                    }
                    lineStart = i + 1
                } else if b == 0 {
                    var current = partial
                    current.append(contentsOf: bytes[lineStart..<i])
                    let column = current.reduce(1) { $0 + ($1 == UInt8(ascii: ",") ? 1 : 0) }
                    throw DataError(source: source, line: lineNumber + 1, column: column,
                                    message: "a NUL byte: this is binary data, not CSV text")
                }
                i += 1
            }
            if lineStart < n { partial.append(contentsOf: bytes[lineStart..<n]) }
        }

        /// The column names, once the header line has been read.
        public var columnNames: [String]? { names }

        /// Hands over the rows read so far (row-major, ``columnNames`` wide) and forgets them, so a
        /// caller that processes rows as they arrive (`lab predict`) keeps only one chunk's numbers;
        /// the memory limit then applies to the rows between two calls. Line numbers in messages
        /// still count from the start of the text.
        public mutating func takeRows() -> [Double] {
            let taken = values
            values = []
            values.reserveCapacity(taken.count)
            rows = 0
            return taken
        }

        /// The table, after the last chunk.
        /// - Throws: ``DataError`` for an empty file, a header without rows, or more rows than fit in memory.
        public mutating func finish() throws(DataError) -> DataTable {
            if !partial.isEmpty {
                let whole = partial
                partial = []
                try lineOf(whole)
            }
            guard let names else {
                throw DataError(source: source, message: "the file is empty; expected a header row of column names, then rows of numbers")
            }
            let rowCount = lastNonBlank - 1
            guard rowCount > 0 else {
                throw DataError(source: source, line: 1, message: "the header (\(names.count) columns) is not followed by any data rows")
            }
            if counting {
                let needed = DataTable.bytesNeeded(rows: rowCount, columns: names.count)
                throw DataError(source: source, message:
                    "\(rowCount) rows × \(names.count) columns need \(formatBytes(needed)) of memory as 64-bit numbers, " +
                    "more than the \(formatBytes(memoryLimit)) available; use fewer rows")
            }
            return DataTable(columns: names, values: values, source: source)
        }

        /// `r` without a trailing `\\r`, spaces and tabs.
        private static func trimmed(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Range<Int> {
            var lo = r.lowerBound, hi = r.upperBound
            if hi > lo && p[hi - 1] == UInt8(ascii: "\r") { hi -= 1 }
            while lo < hi && (p[lo] == 0x20 || p[lo] == 0x09) { lo += 1 }
            while hi > lo && (p[hi - 1] == 0x20 || p[hi - 1] == 0x09) { hi -= 1 }
            return lo..<hi
        }

        /// The fields of `r` as trimmed byte ranges, one pair of quotes removed, into `fields`.
        private mutating func split(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) {
            fields.removeAll(keepingCapacity: true)
            var lo = r.lowerBound
            for i in r.lowerBound...r.upperBound where i == r.upperBound || p[i] == UInt8(ascii: ",") {
                var f = Self.trimmed(p, lo..<i)
                if f.count >= 2 && p[f.lowerBound] == UInt8(ascii: "\"") && p[f.upperBound - 1] == UInt8(ascii: "\"") {
                    f = Self.trimmed(p, (f.lowerBound + 1)..<(f.upperBound - 1))
                }
                fields.append(f)
                lo = i + 1
            }
        }

        /// `line(_:)` of an array's bytes.
        private mutating func lineOf(_ bytes: [UInt8]) throws(DataError) {
            var failure: DataError?
            bytes.withUnsafeBufferPointer { p in
                do throws(DataError) { try line(p) } catch { failure = error }
            }
            if let failure { throw failure }
        }

        /// One whole line, without its `\\n`.
        private mutating func line(_ p: UnsafeBufferPointer<UInt8>) throws(DataError) {
            lineNumber += 1
            var start = 0
            if lineNumber == 1 && p.count >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { start = 3 }
            let r = Self.trimmed(p, start..<p.count)
            if r.isEmpty {
                if firstBlank == nil { firstBlank = lineNumber }
                return
            }
            defer { lastNonBlank = lineNumber }
            if counting { return }
            // A byte-order mark inside the text (a doubled BOM, or one in a cell).
            if p.count - 2 > start {
                for k in start..<(p.count - 2) where p[k] == 0xEF && p[k + 1] == 0xBB && p[k + 2] == 0xBF {
                    let column = p[start..<k].reduce(1) { $0 + ($1 == UInt8(ascii: ",") ? 1 : 0) }
                    throw DataError(source: source, line: lineNumber, column: column, message:
                        "a byte-order mark (U+FEFF) inside the text (only one, at the very start of the file, is allowed)")
                }
            }
            guard let names else {
                if firstBlank != nil {  // line 1 was blank: the header has an empty name
                    throw DataError(source: source, line: 1, column: 1, message: "the header has an empty column name")
                }
                try header(p, r)
                return
            }
            if let blank = firstBlank {
                throw DataError(source: source, line: blank, message: "empty line inside the data (expected \(names.count) numbers)")
            }
            let c = names.count
            if DataTable.bytesNeeded(rows: rows + 1, columns: c) > memoryLimit {
                counting = true
                values = []
                return
            }
            split(p, r)
            guard fields.count == c else {
                throw DataError(source: source, line: lineNumber, column: min(fields.count, c) + 1,
                                message: "\(fields.count) fields, but the header has \(c) columns")
            }
            for j in 0..<c {
                let cell = fields[j]
                func bad(_ what: String) -> DataError {
                    DataError(source: source, line: lineNumber, column: j + 1, message: "column '\(names[j])': \(what)")
                }
                if cell.isEmpty { throw bad("empty cell (every cell must be a number)") }
                let cellBytes = UnsafeBufferPointer(rebasing: p[cell])
                guard isDecimalNumber(cellBytes) else {
                    let s = String(decoding: cellBytes, as: UTF8.self)
                    if let v = Double(s), !v.isFinite, isNonFiniteWord(cellBytes) {
                        throw bad("'\(s)' is not a finite number (NaN and infinities are not data)")
                    }
                    throw bad("'\(s)' is not a number")
                }
                let s = String(decoding: cellBytes, as: UTF8.self)
                guard let v = Double(s) else { throw bad("'\(s)' is not a number") }
                guard v.isFinite else { throw bad("'\(s)' is not a finite number (NaN and infinities are not data)") }
                values.append(v)
            }
            rows += 1
        }

        private mutating func header(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) throws(DataError) {
            split(p, r)
            let names = fields.map { String(decoding: UnsafeBufferPointer(rebasing: p[$0]), as: UTF8.self) }
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
            self.names = names
            if expectedRows > 0 && DataTable.bytesNeeded(rows: expectedRows, columns: names.count) <= memoryLimit {
                values.reserveCapacity(expectedRows * names.count)
            }
        }
    }
}

/// `[+-]?(digits[.digits?] | .digits)([eE][+-]?digits)?`: the decimal numbers a CSV cell may hold.
func isDecimalNumber(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    let n = p.count
    func isDigit(_ k: Int) -> Bool { k < n && p[k] >= UInt8(ascii: "0") && p[k] <= UInt8(ascii: "9") }
    if i < n && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) { i += 1 }
    var digits = 0
    while isDigit(i) { i += 1; digits += 1 }
    if i < n && p[i] == UInt8(ascii: ".") {
        i += 1
        while isDigit(i) { i += 1; digits += 1 }
    }
    guard digits > 0 else { return false }
    if i < n && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
        i += 1
        if i < n && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) { i += 1 }
        guard isDigit(i) else { return false }
        while isDigit(i) { i += 1 }
    }
    return i == n
}

/// `nan`, `inf` or `infinity` (any case, optional sign): what `Double` reads as not finite.
private func isNonFiniteWord(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
    var s = String(decoding: p, as: UTF8.self).lowercased()
    if s.hasPrefix("+") || s.hasPrefix("-") { s.removeFirst() }
    return s == "nan" || s == "inf" || s == "infinity"
}
