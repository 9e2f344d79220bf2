#if canImport(FoundationEssentials)
import FoundationEssentials  // not all of Foundation: `lab` links Figures and starts faster without ICU and libxml2
#else
import Foundation
#endif

/// Writes a figure's `.gp` and `.dat` files, and renders them through a ``FigureRenderer``.
public enum FigureWriter {
    /// Writes `<name>.gp` and `<name>.dat` into `directory` (each atomically: temporary file
    /// + rename). Returns the two file names.
    @discardableResult
    public static func write(_ figure: Figure, to directory: URL) throws -> [String] {
        try AtomicFile.write(GnuplotScript.data(figure), to: directory.appendingPathComponent(figure.name + ".dat"))
        try AtomicFile.write(GnuplotScript.script(figure), to: directory.appendingPathComponent(figure.name + ".gp"))
        return [figure.name + ".gp", figure.name + ".dat"]
    }

    /// Renders every named figure (whose `.gp`/`.dat` are in `directory`) with `renderer`,
    /// at most `parallelism` at a time, and checks that each `<name>.svg` and `<name>.png` it
    /// wrote is complete (``FigureCheck``); earlier drawings of these figures are removed first,
    /// so an old file can never pass for a new one. Throws the first failure, naming the figure.
    public static func render(_ names: [String], in directory: URL, renderer: any FigureRenderer,
                              parallelism: Int = ProcessInfo.processInfo.activeProcessorCount) async throws {
        for name in names {
            for ext in ["svg", "png"] { try? FileManager.default.removeItem(at: directory.appendingPathComponent("\(name).\(ext)")) }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = names[...]
            func launch() {
                guard let name = pending.popFirst() else { return }
                group.addTask {
                    try await renderer.render(figure: name, in: directory)
                    try FigureCheck.verify(figure: name, in: directory)
                }
            }
            for _ in 0..<max(1, parallelism) { launch() }
            while try await group.next() != nil { launch() }
        }
    }
}

/// Draws `<name>.svg` and `<name>.png` from `<name>.gp` in a folder.
public protocol FigureRenderer: Sendable {
    /// Runs `<figure>.gp` inside `directory`.
    func render(figure name: String, in directory: URL) async throws
}

/// The default renderer: one `gnuplot <name>.gp` child process per figure.
public struct GnuplotRenderer: FigureRenderer {
    public init() {}
    public func render(figure name: String, in directory: URL) async throws {
        do {
            _ = try await Gnuplot.run(arguments: [name + ".gp"], workingDirectory: directory.path)
        } catch GnuplotError.failed(let status, let message) {
            throw GnuplotError.failed(status: status, message: "\(name).gp: \(message)")
        }
    }
}

/// Whole-file writes that never leave a half-written file: the text goes to a temporary file
/// in the same folder, which is then renamed over the target.
public enum AtomicFile {
    public static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url, options: .atomic)
    }
}

/// Checks that a drawn figure is complete: a full disk or a gnuplot that exits 0 without drawing
/// must not pass for a figure.
public enum FigureCheck {
    /// Throws ``FigureError/incomplete(path:reason:)`` unless `<name>.svg` and `<name>.png` in
    /// `directory` are both complete.
    public static func verify(figure name: String, in directory: URL) throws {
        for ext in ["svg", "png"] {
            let url = directory.appendingPathComponent("\(name).\(ext)")
            if let reason = problem(with: url) { throw FigureError.incomplete(path: url.path, reason: reason) }
        }
    }

    /// Why the file at `url` is not a complete figure, or nil when it is. A PNG must start with
    /// the PNG signature and end with its `IEND` chunk; an SVG must parse as XML with an `<svg>`
    /// root and end with `</svg>`.
    public static func problem(with url: URL) -> String? {
        guard let data = try? Data(contentsOf: url) else { return "it was not written" }
        guard !data.isEmpty else { return "it is empty" }
        if url.pathExtension == "png" { return pngProblem(data) }
        if url.pathExtension == "svg" { return svgProblem(data) }
        return nil
    }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// Length 0, type `IEND`, and that chunk's CRC.
    static let pngEnd: [UInt8] = [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]

    static func pngProblem(_ data: Data) -> String? {
        guard Array(data.prefix(8)) == pngSignature else { return "it is not a PNG file" }
        guard Array(data.suffix(12)) == pngEnd else { return "it is cut off (no IEND chunk at the end)" }
        return nil
    }

    static func svgProblem(_ data: Data) -> String? {
        var end = data.endIndex
        while end > data.startIndex, [0x20, 0x0A, 0x0D, 0x09].contains(data[end - 1]) { end -= 1 }
        guard data[data.startIndex..<end].suffix(6).elementsEqual("</svg>".utf8) else { return "it is cut off (it does not end with </svg>)" }
        let bytes = Array(data)
        let (problem, root) = structure(bytes)
        if let problem = utf8Problem(bytes) ?? problem { return "it is not well-formed XML (\(problem))" }
        guard root == "svg" else { return "its root element is <\(root ?? "none")>, not <svg>" }
        return nil
    }

    /// Where `b` is not valid UTF-8 (XML's default encoding, and the one gnuplot writes), or nil.
    static func utf8Problem(_ b: [UInt8]) -> String? {
        var decoder = UTF8()
        var bytes = b.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&bytes) {
            case .scalarValue(let c): offset += UTF8.width(c)
            case .emptyInput: return nil
            case .error: return "invalid UTF-8 near byte \(offset)"
            }
        }
    }

    /// The name of the first element (the root) in `b`, after the prolog's declarations and
    /// comments, or nil.
    static func rootName(_ b: [UInt8]) -> String? { structure(b).root }

    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    /// Whether `c` may appear in an XML name (ASCII letters, digits, `_ : . -`, and any byte of a
    /// multi-byte UTF-8 character); `first` excludes digits, `.` and `-`.
    static func isNameByte(_ c: UInt8, first: Bool) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "_"), UInt8(ascii: ":"), 0x80...0xFF: return true
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"): return !first
        default: return false
        }
    }

    /// The offset just past the reference starting with `&` at `i` (`&name;`, `&#123;`, `&#x1F;`),
    /// or nil when it is not a well-formed reference.
    static func referenceEnd(_ b: [UInt8], at i: Int) -> Int? {
        var j = i + 1
        if j < b.count, b[j] == UInt8(ascii: "#") {
            j += 1
            let hex = j < b.count && b[j] == UInt8(ascii: "x")
            if hex { j += 1 }
            let digitsStart = j
            func isDigit(_ c: UInt8) -> Bool {
                (c >= 0x30 && c <= 0x39) || (hex && (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "f"))
            }
            while j < b.count, isDigit(b[j]) { j += 1 }
            guard j > digitsStart else { return nil }
        } else {
            guard j < b.count, isNameByte(b[j], first: true) else { return nil }
            while j < b.count, isNameByte(b[j], first: false) { j += 1 }
        }
        guard j < b.count, b[j] == UInt8(ascii: ";") else { return nil }
        return j + 1
    }

    /// Checks that elements nest (every end tag closes the innermost open element), that there is
    /// exactly one root element, and that only comments, processing instructions and white space
    /// follow it; that every tag is a name followed by `name="value"` attributes (a value holds no
    /// `<`); and that every `&` in text or a value starts a reference (`&amp;`, `&#60;`). Comments,
    /// CDATA, processing instructions and the DOCTYPE are skipped. Returns what is wrong, or nil.
    static func tagProblem(_ b: [UInt8]) -> String? { structure(b).problem }

    /// What ``tagProblem(_:)`` reports, and the root element's name (as far as the scan got).
    static func structure(_ b: [UInt8]) -> (problem: String?, root: String?) {
        let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), slash = UInt8(ascii: "/"), amp = UInt8(ascii: "&")
        func starts(_ i: Int, _ s: String) -> Bool { b[i...].starts(with: s.utf8) }
        func find(_ s: String, from i: Int) -> Int? {
            let pattern = Array(s.utf8)
            var j = i
            while j + pattern.count <= b.count {
                if b[j] == pattern[0] && b[j..<(j + pattern.count)].elementsEqual(pattern) { return j }
                j += 1
            }
            return nil
        }
        func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
        var stack: [ArraySlice<UInt8>] = []
        var roots = 0
        var root: String?
        func problem(_ text: String) -> (problem: String?, root: String?) { (text, root) }
        var i = 0
        while i < b.count {
            guard b[i] == lt else {
                if stack.isEmpty && !isSpace(b[i]) { return problem("text outside the root element") }
                if b[i] == amp {
                    guard let end = referenceEnd(b, at: i) else { return problem("a bare & (not a reference like &amp;)") }
                    i = end
                } else {
                    i += 1
                }
                continue
            }
            if starts(i, "<!--") {
                guard let end = find("-->", from: i + 4) else { return problem("an unterminated comment") }
                i = end + 3
            } else if starts(i, "<![CDATA[") {
                guard let end = find("]]>", from: i + 9) else { return problem("an unterminated CDATA section") }
                i = end + 3
            } else if starts(i, "<?") {
                guard let end = find("?>", from: i + 2) else { return problem("an unterminated processing instruction") }
                i = end + 2
            } else if starts(i, "<!") {
                // DOCTYPE, possibly with an internal subset in [...].
                var depth = 0, j = i + 2
                while j < b.count && !(b[j] == gt && depth == 0) {
                    if b[j] == UInt8(ascii: "[") { depth += 1 } else if b[j] == UInt8(ascii: "]") { depth -= 1 }
                    j += 1
                }
                guard j < b.count else { return problem("an unterminated declaration") }
                i = j + 1
            } else {
                let closing = i + 1 < b.count && b[i + 1] == slash
                var j = i + (closing ? 2 : 1)
                let nameStart = j
                while j < b.count, ![0x20, 0x0A, 0x0D, 0x09, gt, slash].contains(b[j]) { j += 1 }
                let name = b[nameStart..<j]
                guard let first = name.first, isNameByte(first, first: true), name.allSatisfy({ isNameByte($0, first: false) })
                else { return problem(name.isEmpty ? "a tag without a name" : "<\(text(name))> is not a valid tag name") }
                // Attributes: (space+ name space* = space* quoted-value)* space* /? >
                var selfClosing = false
                while true {
                    let spaced = j < b.count && isSpace(b[j])
                    while j < b.count, isSpace(b[j]) { j += 1 }
                    guard j < b.count else { return problem("an unterminated tag") }
                    if b[j] == gt { break }
                    if b[j] == slash, !closing {
                        guard j + 1 < b.count, b[j + 1] == gt else { return problem("a stray / in <\(text(name))>") }
                        selfClosing = true
                        j += 1
                        break
                    }
                    guard !closing else { return problem("</\(text(name))> has attributes") }
                    guard spaced, isNameByte(b[j], first: true) else { return problem("a malformed attribute in <\(text(name))>") }
                    let attributeStart = j
                    while j < b.count, isNameByte(b[j], first: false) { j += 1 }
                    let attribute = text(b[attributeStart..<j])
                    while j < b.count, isSpace(b[j]) { j += 1 }
                    guard j < b.count, b[j] == UInt8(ascii: "=") else { return problem("attribute \(attribute) of <\(text(name))> has no value") }
                    j += 1
                    while j < b.count, isSpace(b[j]) { j += 1 }
                    guard j < b.count, b[j] == UInt8(ascii: "\"") || b[j] == UInt8(ascii: "'") else {
                        return problem("the value of attribute \(attribute) of <\(text(name))> is not quoted")
                    }
                    let quote = b[j]
                    j += 1
                    while j < b.count, b[j] != quote {
                        if b[j] == lt { return problem("a < in the value of attribute \(attribute) of <\(text(name))>") }
                        if b[j] == amp {
                            guard let end = referenceEnd(b, at: j) else { return problem("a bare & in the value of attribute \(attribute)") }
                            j = end
                        } else {
                            j += 1
                        }
                    }
                    guard j < b.count else { return problem("an unterminated tag") }
                    j += 1
                }
                if closing {
                    guard let open = stack.popLast() else { return problem("</\(text(name))> closes nothing") }
                    guard open.elementsEqual(name) else { return problem("<\(text(open))> is closed by </\(text(name))>") }
                } else {
                    if stack.isEmpty {
                        roots += 1
                        if root == nil { root = text(name) }
                    }
                    guard roots == 1 else { return problem("more than one root element") }
                    if !selfClosing { stack.append(name) }
                }
                i = j + 1
            }
        }
        guard let open = stack.last else { return roots == 1 ? (nil, root) : problem("no root element") }
        return problem("<\(text(open))> is never closed")
    }
}

/// A drawn figure that cannot be used.
public enum FigureError: Error, Equatable, CustomStringConvertible {
    case incomplete(path: String, reason: String)
    public var description: String {
        switch self {
        case .incomplete(let path, let reason):
            return "gnuplot did not produce a complete figure \(path): \(reason). "
                + "If the disk is full, free some space; otherwise run the .gp script by hand to see what gnuplot does"
        }
    }
}
