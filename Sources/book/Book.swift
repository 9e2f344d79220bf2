import ArgumentParser
import Figures
import Foundation
import Notebook
import Subprocess

@main
struct BookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "book",
        abstract: "Regenerate the whole book: run every chapter (two at a time) and write output/README.md.",
        discussion: "Chapters: \(Book.chapters.map(\.slug).joined(separator: ", ")). Each is also its own executable."
    )

    @Option(help: "Folder for the book (created if missing).")
    var output: String = "output"

    @Option(help: "Seed passed to every chapter.")
    var seed: UInt64 = 42

    @Flag(help: "Small runs (for tests).")
    var quick = false

    @Flag(help: "Write .gp and .dat files but do not run gnuplot.")
    var noRender = false

    @Option(help: "Run only this chapter (its slug, e.g. ch00-tour).")
    var only: String?

    @Option(help: "Chapters run at once (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Also write the book as a static web site (HTML pages, figures, KaTeX when installed) to this folder.")
    var html: String?

    func validate() throws {
        if let only, !Book.chapters.contains(where: { $0.slug == only }) {
            throw ValidationError("unknown chapter '\(only)'; chapters are: \(Book.chapters.map(\.slug).joined(separator: ", "))")
        }
        guard jobs >= 1 else { throw ValidationError("--jobs must be ≥ 1") }
    }

    func run() async throws {
        let chapters = Book.chapters.filter { only == nil || $0.slug == only }
        let binDir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        // Refuse an unwritable output folder before any chapter starts.
        let out = URL(fileURLWithPath: output, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            let probe = out.appendingPathComponent(".book-probe-\(getpid())")
            try Data().write(to: probe)
            try FileManager.default.removeItem(at: probe)
        } catch {
            throw ValidationError("cannot write to the output folder '\(output)': \(error.localizedDescription)")
        }
        if !noRender && !Gnuplot.isAvailable {
            FileHandle.standardError.write(Data("warning: \(Gnuplot.installHint) — writing .gp and .dat only\n".utf8))
        }
        let started = DispatchTime.now()
        var timings: [(String, Double)] = []
        try await withThrowingTaskGroup(of: (String, Double).self) { group in
            var pending = chapters[...]
            func launch() {
                guard let chapter = pending.popFirst() else { return }
                let exe = binDir.appendingPathComponent(chapter.slug)
                var args = ["--output", output, "--seed", "\(seed)", "--quiet"]
                if quick { args.append("--quick") }
                if noRender || !Gnuplot.isAvailable { args.append("--no-render") }
                group.addTask {
                    guard FileManager.default.isExecutableFile(atPath: exe.path) else {
                        throw ValidationError("\(exe.path) is missing: build the chapters first (swift build -c release)")
                    }
                    let t0 = DispatchTime.now()
                    let result = try await Subprocess.run(.path(.init(exe.path)), arguments: .init(args),
                                                          output: .discarded, error: .string(limit: 1 << 20))
                    guard case .exited(0) = result.terminationStatus else {
                        throw ValidationError("\(chapter.slug) failed (\(result.terminationStatus)):\n\(result.standardError)")
                    }
                    return (chapter.slug, Double(DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1e9)
                }
            }
            for _ in 0..<jobs { launch() }
            while let done = try await group.next() {
                timings.append(done)
                FileHandle.standardError.write(Data("  \(done.0)  \(Fmt.fixed(done.1, 1)) s\n".utf8))
                launch()
            }
        }
        if only == nil { try AtomicFile.write(index(), to: out.appendingPathComponent("README.md")) }
        let total = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        FileHandle.standardError.write(Data("book: \(timings.count) chapter(s) in \(Fmt.fixed(total, 1)) s → \(output)/README.md\n".utf8))
        if let html { try writeSite(from: out, to: html) }
    }

    /// The table of contents (deterministic: no dates, no timings).
    func index() -> String {
        var s = "# \(Book.title)\n\n"
        s += "A runnable book on vanishing gradients and learning-rate tuning, after the article *\"Vanishing gradients and "
        s += "learning-rate tuning: how to find the best learning rate in deep learning\"* — each chapter measures what the "
        s += "article asserts and corrects what it gets wrong, citing the papers.\n\n"
        s += "| # | chapter | what it shows | main figure |\n|---:|:---|:---|:---|\n"
        for c in Book.chapters {
            s += "| \(c.number) | [\(c.title)](\(c.slug)/README.md) | \(c.summary) | ![\(c.mainFigure)](\(c.slug)/\(c.mainFigure).svg) |\n"
        }
        s += "\n## Regenerate\n\n```sh\nScripts/book                         # everything, figures included\n"
        s += "swift run -c release book --only ch00-tour   # one chapter\n```\n\n"
        s += "Every page, `.gp` script and `.dat` file here is byte-identical on a second run with the same seed (\(quick ? "quick run, " : "")seed \(seed)); "
        s += "`gnuplot <figure>.gp` inside a chapter folder redraws a figure without Swift.\n"
        return s
    }
}
