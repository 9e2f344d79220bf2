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
        let parser = XMLParser(data: data)
        let root = RootElement()
        parser.delegate = root
        guard parser.parse() else {
            return "it is not well-formed XML (\(parser.parserError.map { "\($0.localizedDescription)" } ?? "parse error"))"
        }
        guard root.name == "svg" else { return "its root element is <\(root.name ?? "none")>, not <svg>" }
        return nil
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
