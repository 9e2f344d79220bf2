import Foundation

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
    /// at most `parallelism` at a time. Throws the first failure, naming the figure.
    public static func render(_ names: [String], in directory: URL, renderer: any FigureRenderer,
                              parallelism: Int = ProcessInfo.processInfo.activeProcessorCount) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = names[...]
            func launch() {
                guard let name = pending.popFirst() else { return }
                group.addTask { try await renderer.render(figure: name, in: directory) }
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
