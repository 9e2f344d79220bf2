import Foundation
#if canImport(FoundationXML)
import FoundationXML
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
        // swift-corelibs' XMLParser accepts some mismatched tags, so the nesting is checked here too.
        if let problem = tagProblem(Array(data)) { return "it is not well-formed XML (\(problem))" }
        let parser = XMLParser(data: data)
        let root = RootElement()
        parser.delegate = root
        guard parser.parse() else {
            return "it is not well-formed XML (\(parser.parserError.map { "\($0.localizedDescription)" } ?? "parse error"))"
        }
        guard root.name == "svg" else { return "its root element is <\(root.name ?? "none")>, not <svg>" }
        return nil
    }

    /// Checks that elements nest (every end tag closes the innermost open element), that there is
    /// exactly one root element, and that only comments, processing instructions and white space
    /// follow it. Comments, CDATA, processing instructions, the DOCTYPE and quoted attribute
    /// values are skipped. Returns what is wrong, or nil.
    static func tagProblem(_ b: [UInt8]) -> String? {
        let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), slash = UInt8(ascii: "/")
        func starts(_ i: Int, _ s: String) -> Bool { b[i...].starts(with: s.utf8) }
        func find(_ s: String, from i: Int) -> Int? {
            let pattern = Array(s.utf8)
            var j = i
            while j + pattern.count <= b.count {
                if b[j] == pattern[0] && Array(b[j..<(j + pattern.count)]) == pattern { return j }
                j += 1
            }
            return nil
        }
        var stack: [[UInt8]] = []
        var roots = 0
        var i = 0
        while i < b.count {
            guard b[i] == lt else {
                if stack.isEmpty && !(b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09) {
                    return "text outside the root element"
                }
                i += 1
                continue
            }
            if starts(i, "<!--") {
                guard let end = find("-->", from: i + 4) else { return "an unterminated comment" }
                i = end + 3
            } else if starts(i, "<![CDATA[") {
                guard let end = find("]]>", from: i + 9) else { return "an unterminated CDATA section" }
                i = end + 3
            } else if starts(i, "<?") {
                guard let end = find("?>", from: i + 2) else { return "an unterminated processing instruction" }
                i = end + 2
            } else if starts(i, "<!") {
                // DOCTYPE, possibly with an internal subset in [...].
                var depth = 0, j = i + 2
                while j < b.count && !(b[j] == gt && depth == 0) {
                    if b[j] == UInt8(ascii: "[") { depth += 1 } else if b[j] == UInt8(ascii: "]") { depth -= 1 }
                    j += 1
                }
                guard j < b.count else { return "an unterminated declaration" }
                i = j + 1
            } else {
                let closing = i + 1 < b.count && b[i + 1] == slash
                var j = i + (closing ? 2 : 1)
                let nameStart = j
                while j < b.count, ![0x20, 0x0A, 0x0D, 0x09, gt, slash].contains(b[j]) { j += 1 }
                let name = Array(b[nameStart..<j])
                guard !name.isEmpty else { return "a tag without a name" }
                var quote: UInt8? = nil
                while j < b.count {
                    if let q = quote { if b[j] == q { quote = nil } }
                    else if b[j] == UInt8(ascii: "\"") || b[j] == UInt8(ascii: "'") { quote = b[j] }
                    else if b[j] == gt { break }
                    j += 1
                }
                guard j < b.count else { return "an unterminated tag" }
                let selfClosing = !closing && b[j - 1] == slash
                if closing {
                    guard let open = stack.popLast() else { return "</\(String(decoding: name, as: UTF8.self))> closes nothing" }
                    guard open == name else {
                        return "<\(String(decoding: open, as: UTF8.self))> is closed by </\(String(decoding: name, as: UTF8.self))>"
                    }
                } else {
                    if stack.isEmpty { roots += 1 }
                    guard roots == 1 else { return "more than one root element" }
                    if !selfClosing { stack.append(name) }
                }
                i = j + 1
            }
        }
        guard stack.isEmpty else { return "<\(String(decoding: stack.last!, as: UTF8.self))> is never closed" }
        return roots == 1 ? nil : "no root element"
    }

    private final class RootElement: NSObject, XMLParserDelegate {
        var name: String?
        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            if name == nil { name = elementName }
        }
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
