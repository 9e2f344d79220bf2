#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Number formatting for prose and tables, fixed and documented so pages are byte-identical
/// across runs and machines (C locale, no grouping):
///
/// - ``sig(_:_:)``: `digits` significant digits, `%g` style (0.04762, 1.2e-05);
/// - ``fixed(_:_:)``: `places` digits after the point (0.476);
/// - ``sci(_:_:)``: scientific with `digits` significant digits (4.76e-01);
/// - ``int(_:)``: integers with no separators.
///
/// Non-finite values print as `diverged (NaN)`, `+∞` or `−∞`. Data files use full round-trip
/// precision instead (Swift's `description`).
public enum Fmt {
    public static func sig(_ x: Double, _ digits: Int = 4) -> String { format(x, "%.\(digits)g") }
    public static func fixed(_ x: Double, _ places: Int = 3) -> String { format(x, "%.\(places)f") }
    public static func sci(_ x: Double, _ digits: Int = 3) -> String { format(x, "%.\(max(0, digits - 1))e") }
    public static func int(_ x: Int) -> String { "\(x)" }

    static func format(_ x: Double, _ spec: String) -> String {
        if x.isNaN { return "diverged (NaN)" }
        if x.isInfinite { return x > 0 ? "+∞" : "−∞" }
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([x]) { vsnprintf(&buffer, buffer.count, spec, $0) }
        var s = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if s.hasPrefix("-") && s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." || $0 == "e" || $0 == "+" || $0 == "-" }) {
            s.removeFirst()  // no "-0"
        }
        return s
    }
}

/// A table of text cells: numbers are formatted by the chapter (with ``Fmt``) so the page
/// shows exactly the precision the prose uses.
public struct Table: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]
    /// Right-align every column but the first (numbers), or as given.
    public var rightAligned: [Bool]

    public init(header: [String], rows: [[String]], rightAligned: [Bool]? = nil) {
        precondition(rows.allSatisfy { $0.count == header.count }, "every row needs \(header.count) cells")
        self.header = header
        self.rows = rows
        self.rightAligned = rightAligned ?? header.indices.map { $0 > 0 }
    }

    /// GitHub-flavoured Markdown.
    public var markdown: String {
        func line(_ cells: [String]) -> String { "| " + cells.map { $0.replacingPipes }.joined(separator: " | ") + " |" }
        var out = line(header) + "\n"
        out += "|" + rightAligned.map { $0 ? "---:|" : ":---|" }.joined() + "\n"
        for r in rows { out += line(r) + "\n" }
        return out
    }

    /// Aligned plain text for the terminal.
    public var text: String {
        var widths = header.map(\.displayWidth)
        for r in rows { for (j, c) in r.enumerated() { widths[j] = max(widths[j], c.displayWidth) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { j, c in
                let pad = String(repeating: " ", count: widths[j] - c.displayWidth)
                return rightAligned[j] ? pad + c : c + pad
            }.joined(separator: "  ")
        }
        var out = line(header) + "\n" + widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
        for r in rows { out += line(r) + "\n" }
        return out
    }
}

extension String {
    var displayWidth: Int { unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }.count }
    var replacingPipes: String { split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") }
}
