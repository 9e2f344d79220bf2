import ArgumentParser
import Figures
import Foundation
import Publishing
import Notebook
import Subprocess
import Synchronization

@main
struct BookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "book",
        abstract: "Regenerate the whole book: run every chapter (--jobs at once, default the number of cores) and write output/README.md.",
        discussion: "Chapters: \(Book.chapters.map(\.slug).joined(separator: ", ")). Each is also its own executable."
    )

    @Option(help: "Folder for the book (created if missing).")
    var output: String = "output"

    @Option(parsing: .unconditional, help: "Seed passed to every chapter, an integer from 0 to \(ChapterOptions.seedRange.upperBound).", transform: ChapterOptions.parseSeed)
    var seed: UInt64 = 42

    @Flag(help: "Small runs (for tests).")
    var quick = false

    @Flag(help: "Write .gp and .dat files but do not run gnuplot.")
    var noRender = false

    @Option(help: "Run only this chapter (its slug, e.g. ch00-tour); repeat it for several chapters.")
    var only: [String] = []

    @Option(help: "Chapters run at once, \(Self.jobRange.lowerBound)…\(Self.jobRange.upperBound) (default: the number of cores).")
    var jobs: Int = min(ProcessInfo.processInfo.activeProcessorCount, 64)

    static let jobRange = 1...64

    /// Seconds each chapter takes in a full `book` run on the 2-core development machine (medians of three
    /// runs, two chapters sharing the cores): only the order in which `book` starts them, longest first.
    static let typicalSeconds: [String: Double] = [
        "ch01-vanishing-gradients": 15.8, "ch05-adam": 8.3, "ch07-finding-the-learning-rate": 6.9,
        "ch08-fixing-vanishing-gradients": 6.7, "ch02-fixed-vs-decayed-rates": 4.8, "ch10-batch-size-and-warm-up": 4.6,
        "ch11-faq": 4.1, "ch09-momentum": 2.3, "ch03-adagrad": 1.1, "ch04-rmsprop": 0.9, "ch06-linear-regression": 0.7,
        "ch00-tour": 0.4,
    ]

    @Option(help: ArgumentHelp("Also write the book as a static web site (HTML pages, figures, KaTeX when installed) to this "
                + "folder: a new or empty folder, or one an earlier --html wrote (it is replaced whole). Checked before any chapter runs."))
    var html: String?

    @Flag(help: ArgumentHelp("With --html: export the book that is in --output as the web site, without running any "
                + "chapter (output/ is not touched)."))
    var noRun = false

    func validate() throws {
        if noRun {
            guard html != nil else {
                throw ValidationError("--no-run exports the book that is there as a web site; give the folder with --html DIR")
            }
            guard only.isEmpty, !quick, !noRender else {
                throw ValidationError("--no-run runs no chapter, so --only, --quick and --no-render do nothing; leave them out")
            }
        }
        for slug in only where !Book.chapters.contains(where: { $0.slug == slug }) {
            throw ValidationError("unknown chapter '\(slug)'; chapters are: "
                + Book.chapters.map(\.slug).joined(separator: ", "))
        }
        guard Self.jobRange.contains(jobs) else {
            throw ValidationError("--jobs must be from \(Self.jobRange.lowerBound) to \(Self.jobRange.upperBound) (got \(jobs))")
        }
        guard !output.isEmpty else {
            throw ValidationError("--output '' names no folder (it would write into the current folder); give a folder, e.g. --output output")
        }
    }

    func run() async throws {
        let chapters = Book.chapters.filter { only.isEmpty || only.contains($0.slug) }
        let binDir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        // `--html DIR` is checked first too: a run that cannot publish its site does no work.
        let site = try html.map { try SitePlan($0, output: output, only: only) }
        if noRun, let site {
            let page = URL(fileURLWithPath: output, isDirectory: true).appendingPathComponent("README.md")
            guard FileManager.default.fileExists(atPath: page.path) else {
                throw BookError("--no-run: there is no book in '\(output)' (no \(page.path)); run `book` first, "
                    + "or give the book's folder with --output")
            }
            let children = Children()
            children.forwardSignals()
            try writeSite(from: URL(fileURLWithPath: output, isDirectory: true), plan: site, children: children)
            return
        }
        // Refuse an unwritable output folder before any chapter starts, leaving no folder behind.
        let out = URL(fileURLWithPath: output, isDirectory: true)
        let created = try OutputFolder.create(output)
        do {
            // A few kilobytes, not an empty file: a full disk still has room for an empty file.
            let probe = out.appendingPathComponent(".book-probe-\(getpid())")
            defer { try? FileManager.default.removeItem(at: probe) }
            try Data(count: OutputFolder.probeBytes).write(to: probe)
        } catch {
            OutputFolder.removeCreated(created)
            let why = FileProblem.errnoCode(of: error).map { "\(FileProblem.reason($0)); \(FileProblem.advice($0))" }
            throw NotebookError.unwritableOutput(output, why ?? "\(error)")
        }
        if !noRender && !Gnuplot.isAvailable {
            FileHandle.standardError.write(Data("warning: \(Gnuplot.installHint) — writing .gp and .dat only\n".utf8))
        }
        let children = Children()
        children.forwardSignals()
        let started = DispatchTime.now()
        var timings: [(String, Double)] = []
        var failures: [(slug: String, error: BookError)] = []
        await withTaskGroup(of: (String, Result<Double, BookError>).self) { group in
            // Longest first, so that the chapters left running at the end are short ones and no core idles
            // through a long tail (the chapters are independent: the order changes no result).
            var pending = chapters.sorted { Self.typicalSeconds[$0.slug, default: 0] > Self.typicalSeconds[$1.slug, default: 0] }[...]
            func launch() {
                guard failures.isEmpty, children.interruption == nil, let chapter = pending.popFirst() else { return }
                let exe = binDir.appendingPathComponent(chapter.slug)
                var args = ["--output", output, "--seed", "\(seed)", "--quiet"]
                if quick { args.append("--quick") }
                if noRender || !Gnuplot.isAvailable { args.append("--no-render") }
                group.addTask {
                    (chapter.slug, await Self.runChapter(chapter.slug, exe: exe, arguments: args, output: output, children: children))
                }
            }
            for _ in 0..<jobs { launch() }
            while let (slug, result) = await group.next() {
                switch result {
                case .success(let seconds):
                    timings.append((slug, seconds))
                    FileHandle.standardError.write(Data("  \(slug)  \(Fmt.fixed(seconds, 1)) s\n".utf8))
                case .failure(let error):
                    failures.append((slug, error))
                }
                launch()
            }
        }
        if let sig = children.interruption {
            FileHandle.standardError.write(Data(("book: interrupted by \(sig == SIGINT ? "SIGINT" : "SIGTERM"); passed it on to the "
                + "running chapters and waited for them; each chapter folder holds a complete run\n").utf8))
            throw ExitCode(128 + sig)
        }
        // One error: the first failure; the others (often the same cause, e.g. a full disk) are named.
        if let first = failures.first {
            let others = failures.dropFirst().map(\.slug)
            throw BookError(first.error.description
                + (others.isEmpty ? "" : " (also failed: \(others.joined(separator: ", ")))"))
        }
        if only.isEmpty {
            let page = out.appendingPathComponent("README.md")
            do {
                try AtomicFile.write(index(), to: page)
            } catch {
                throw BookError(FileProblem.sentence(error, doing: "writing the contents page", path: page.path) ?? "\(error)")
            }
        }
        let total = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        FileHandle.standardError.write(Data("book: \(timings.count) chapter(s) in \(Fmt.fixed(total, 1)) s → \(output)/README.md\n".utf8))
        if let site { try writeSite(from: out, plan: site, children: children) }
    }

    /// Runs one chapter executable; its seconds, or why it failed.
    static func runChapter(_ slug: String, exe: URL, arguments: [String], output: String? = nil,
                           children: Children) async -> Result<Double, BookError> {
        guard FileManager.default.isExecutableFile(atPath: exe.path) else {
            return .failure(BookError("\(exe.path) is missing: build the chapters first (swift build -c release)"))
        }
        let t0 = DispatchTime.now()
        do {
            let result = try await Subprocess.run(.path(.init(exe.path)), arguments: .init(arguments), input: .none,
                                                  output: .discarded, error: .string(limit: 1 << 20)) { execution in
                children.started(execution.processIdentifier.value)
            }
            children.finished(result.processIdentifier.value)
            // A chapter that trapped or was killed could not remove its staging folder; it is dead
            // now, so nobody else owns that folder.
            if case .signaled = result.terminationStatus, let output {
                let staging = URL(fileURLWithPath: output, isDirectory: true)
                    .appendingPathComponent(".staging-\(slug)-\(result.processIdentifier.value)")
                try? FileManager.default.removeItem(at: staging)
            }
            guard case .exited(0) = result.terminationStatus else {
                // The chapter's own error lines, without ArgumentParser's "Error: " (book adds its own).
                let lines = result.standardError.split(separator: "\n").map { line in
                    line.hasPrefix("Error: ") ? String(line.dropFirst(7)) : String(line)
                }.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                let status: String
                switch result.terminationStatus {
                case .exited(let code): status = "exit status \(code)"
                case .signaled(let sig): status = "killed by signal \(sig)"
                }
                // One reason: one line; several (e.g. one per false claim): one line each below.
                let detail = lines.count == 1 ? ": " + lines[0] : lines.isEmpty ? "" : ":\n" + lines.joined(separator: "\n")
                return .failure(BookError("chapter \(slug) failed (\(status))" + detail))
            }
        } catch {
            return .failure(BookError("\(slug) could not be started: \(error)"))
        }
        return .success(Double(DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1e9)
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
        s += "\n## Regenerate\n\n```sh\n"
        s += "Scripts/book                           # every chapter, figures included (builds first)\n"
        s += "Scripts/book --only ch00-tour          # one chapter\n"
        s += "swift run -c release ch00-tour         # the same chapter, run as its own executable\n```\n\n"
        s += "Each chapter page's header repeats these two commands for that chapter (with `--seed` and `--quick` "
        s += "when its run used them). "
        s += "Every page, `.gp` script and `.dat` file here is byte-identical on a second run with the same seed (\(quick ? "quick run, " : "")seed \(seed)); "
        s += "`gnuplot <figure>.gp` inside a chapter folder redraws a figure without Swift.\n"
        return s
    }
}

/// A failure while running the book: printed as `Error: …` without the usage line (it is not a
/// mistake in the command line).
struct BookError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The running chapter processes. SIGINT and SIGTERM are passed on to them, and `book` waits for
/// them to stop (each cleans up its staging folder and leaves its chapter folder complete) instead
/// of dying first and leaving them to publish on their own.
final class Children: @unchecked Sendable {
    private struct State {
        var pids = Set<pid_t>()
        var signalled: Int32?
        /// The site being written (`--html`): on a signal its staging folder is removed and book
        /// exits at once; a swap in progress (``publishing``) finishes first.
        var site: StagedFolder?
    }
    private let state = Mutex(State())
    private var sources: [DispatchSourceSignal] = []
    /// Held while the site's staging folder replaces the old site; a signal waits for it.
    let publishing = Mutex(())

    /// The signal that interrupted the book, if any.
    var interruption: Int32? { state.withLock { $0.signalled } }

    func started(_ pid: pid_t) {
        state.withLock { state in
            state.pids.insert(pid)
            if let signalled = state.signalled { kill(pid, signalled) }
        }
    }

    func finished(_ pid: pid_t) {
        _ = state.withLock { $0.pids.remove(pid) }
    }

    func writingSite(_ folder: StagedFolder?) {
        state.withLock { $0.site = folder }
    }

    func forwardSignals() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in
                let site = state.withLock { state in
                    if state.signalled == nil { state.signalled = sig }
                    for pid in state.pids { kill(pid, sig) }
                    return state.site
                }
                guard let site else { return }
                publishing.withLock { _ in  // never released: the process ends here
                    // The main flow may still be adding a file: retry until the folder is gone.
                    for _ in 0..<50 where FileManager.default.fileExists(atPath: site.staging.path) {
                        site.discard()
                        usleep(2_000)
                    }
                    let message = "book: interrupted by \(sig == SIGINT ? "SIGINT" : "SIGTERM") while writing the web site; "
                        + "\(site.target.path) is as it was or the complete new site, nothing in between\n"
                    message.withCString { _ = write(STDERR_FILENO, $0, strlen($0)) }
                    _exit(128 + sig)
                }
            }
            source.resume()
            sources.append(source)
        }
    }
}
