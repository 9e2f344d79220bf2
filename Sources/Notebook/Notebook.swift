import Figures
import Foundation
import Publishing
import Synchronization

/// The literate runtime every chapter uses.
///
/// A chapter adds, in reading order, prose, formulas, tables, figures, remarks and exercises.
/// Each block is printed to the terminal as it comes and collected for the notebook page,
/// `output/<slug>/README.md`. Figures are written as `.gp` + `.dat` and drawn by gnuplot at
/// the end, and each drawing is checked to be complete. Everything is staged in a private folder
/// that replaces the chapter folder in one step only when the whole chapter has succeeded
/// (see `Publishing.swift`), so a run that fails, is interrupted or is killed at any moment
/// leaves the previous chapter exactly as it was.
///
/// ```swift
/// try await Notebook.run(Book.chapter("ch00-tour"), options) { nb in
///     nb.prose("Gradient descent takes steps of size α along −∇f …")
///     try await nb.figure(figure, caption: "…")
/// }
/// ```
public final class Notebook {
    public let info: ChapterInfo
    public let options: ChapterOptions
    /// `--quick`: chapters size their experiments down.
    public var quick: Bool { options.quick }
    /// `--seed`.
    public var seed: UInt64 { options.seed }

    private var page: [String] = []
    private var figureNames: [String] = []
    /// Figure name → (title, caption and what it draws), for the SVG's `<title>` and `<desc>`.
    private var figureDescriptions: [String: (title: String, description: String)] = [:]
    private var figureCount = 0
    private var tableCount = 0
    private var exerciseCount = 0
    /// Claims stated on this run (see `Claims.swift`).
    var claims: [Claim] = []
    /// Claims stated wrongly on this run (see ``ClaimMisuse``).
    var claimMisuses: [(sentence: String, problem: String)] = []
    private let outputRoot: URL
    private let chapterDirectory: URL
    private let staging: URL
    private var terminalPlots: Bool

    /// Prepares a run: checks, before any work is done, that the output folder can be created
    /// and written and that nothing but a folder sits where the chapter folder goes. A failure
    /// leaves no folder behind that this run created.
    public init(_ info: ChapterInfo, options: ChapterOptions) throws {
        self.info = info
        self.options = options
        let fm = FileManager.default
        outputRoot = URL(fileURLWithPath: options.output, isDirectory: true)
        chapterDirectory = outputRoot.appendingPathComponent(info.slug, isDirectory: true)
        staging = outputRoot.appendingPathComponent(".staging-\(info.slug)-\(getpid())", isDirectory: true)
        let created = try OutputFolder.create(options.output)
        do {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: chapterDirectory.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw NotebookError.unwritableOutput(options.output, "\(chapterDirectory.path) is a file, where the chapter's folder goes; "
                                                     + "move it away, or choose another folder with --output DIR")
            }
            ChapterSwap.recover(in: outputRoot, slug: info.slug)
            ChapterSwap.removeAbandonedStaging(in: outputRoot, slug: info.slug)
            RunSignals.install()
            RunSignals.track(staging)
            lockDescriptor = try Self.makeStaging(staging)
            let probe = staging.appendingPathComponent(".probe")
            defer { try? fm.removeItem(at: probe) }
            try Data(count: OutputFolder.probeBytes).write(to: probe)
        } catch {
            try? fm.removeItem(at: staging)
            RunSignals.untrack(staging)
            OutputFolder.removeCreated(created)
            if let known = error as? NotebookError { throw known }
            let why = FileProblem.errnoCode(of: error).map { "\(FileProblem.reason($0)); \(FileProblem.advice($0))" }
            throw NotebookError.unwritableOutput(options.output, why ?? "\(error)")
        }
        terminalPlots = options.plots || isatty(STDOUT_FILENO) == 1
        let header = "Chapter \(info.number) — \(info.title)"
        page.append("# \(header)\n")
        page.append("*[Descent](../README.md) · article \(info.articleSection) · seed \(options.seed)"
                    + "\(options.quick ? " · quick run" : "") · regenerate with \(Self.regenerate(info.slug, options))*\n")
        say("\n\(header)\n\(String(repeating: "═", count: header.displayWidth))\n")
    }

    /// The two equivalent commands that regenerate a page, as the contents page documents them:
    /// `Scripts/book --only <slug>` (builds first) and the chapter's own executable, each with the
    /// seed and `--quick` of this run when they differ from the defaults.
    static func regenerate(_ slug: String, _ options: ChapterOptions) -> String {
        let extra = (options.seed == ChapterOptions.defaultSeed ? "" : " --seed \(options.seed)")
            + (options.quick ? " --quick" : "")
        return "`Scripts/book --only \(slug)\(extra)` or `swift run -c release \(slug)\(extra)`"
    }

    /// Creates the staging folder `staging` and takes the exclusive lock on its `.lock` that it
    /// holds for the life of the run; returns the lock's descriptor.
    static func makeStaging(_ staging: URL) throws -> Int32 {
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
        let fd = open(staging.appendingPathComponent(".lock").path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        if fd >= 0 { _ = flock(fd, LOCK_EX) }
        return fd
    }

    /// Held for the life of the run; see ``ChapterSwap/removeAbandonedStaging(in:slug:)``.
    private var lockDescriptor: Int32 = -1

    /// Runs a chapter body and publishes its page; on failure the previous chapter folder stays
    /// exactly as it was. File-system errors are reported as one sentence (what, where, what to do).
    public static func run(_ info: ChapterInfo, _ options: ChapterOptions, _ body: (Notebook) async throws -> Void) async throws {
        let nb = try Notebook(info, options: options)
        do {
            try await body(nb)
            try await nb.publish()
        } catch {
            try? FileManager.default.removeItem(at: nb.staging)
            RunSignals.untrack(nb.staging)
            let unchanged = "nothing was published, \(nb.chapterDirectory.path) is unchanged"
            if let sentence = FileProblem.sentence(error, doing: "writing chapter \(info.slug)", path: nb.staging.path) {
                throw NotebookError.io(sentence + " (\(unchanged))")
            }
            if error is GnuplotError || error is FigureError || error is PublishError {
                throw NotebookError.io("\(info.slug): \(error) (\(unchanged))")
            }
            throw error
        }
    }

    // MARK: Blocks

    /// A paragraph (or several, separated by blank lines). Markdown and `$…$` maths allowed.
    public func prose(_ markdown: String) {
        page.append(markdown.trimmed + "\n")
        say(wrap(markdown.trimmed) + "\n")
    }

    /// A section heading.
    public func section(_ title: String) {
        page.append("## \(title)\n")
        say("\n\(title)\n\(String(repeating: "─", count: title.displayWidth))\n")
    }

    /// The article's formula next to the corrected one, with the citation.
    /// `correctedHeader` names the right column (a citation has no PyTorch side: pass "the paper").
    public func formula(article: String, corrected: String, citation: String,
                        correctedHeader: String = "the paper / PyTorch") {
        page.append("| the article writes | \(correctedHeader) |\n|:---|:---|\n| \(article.replacingPipes) | \(corrected.replacingPipes) |\n\n<sub>\(citation)</sub>\n")
        say("  article:   \(article)\n  corrected: \(corrected)\n  (\(citation))\n")
    }

    /// A display equation (Markdown `$$…$$` on the page).
    public func equation(_ latex: String, plain: String) {
        page.append("$$\(latex)$$\n")
        say("    \(plain)\n")
    }

    /// A numbered table with a caption.
    public func table(_ table: Table, caption: String) {
        tableCount += 1
        page.append("**Table \(tableCount).** \(caption)\n\n" + table.markdown)
        say("Table \(tableCount). \(caption)\n" + table.text)
    }

    /// A "what to notice" remark.
    public func notice(_ text: String) {
        page.append("> **What to notice.** \(text.trimmed)\n")
        say(wrap("▶ What to notice. " + text.trimmed) + "\n")
    }

    /// A highlighted box (e.g. "Remedies"), with a title and Markdown body.
    public func callout(_ title: String, _ markdown: String) {
        let body = markdown.trimmed.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }.joined(separator: "\n")
        page.append("> **\(title)**\n>\n\(body)\n")
        say("┌ \(title)\n" + wrap(markdown.trimmed, indent: "│ ") + "\n└\n")
    }

    /// A numbered figure: writes `<name>.gp` and `<name>.dat`, embeds `<name>.svg` with its
    /// caption, and draws it in the terminal when asked. A series with nothing finite to draw
    /// (a diverged run) is named in the caption instead of leaving a silent gap.
    public func figure(_ figure: Figure, caption: String) async throws {
        precondition(!figureNames.contains(figure.name), "two figures named \(figure.name)")
        figureCount += 1
        try FigureWriter.write(figure, to: staging)
        figureNames.append(figure.name)
        var fullCaption = caption.trimmed
        let empty = figure.emptySeries
        if !empty.isEmpty { fullCaption += " (Not drawn, no finite values — diverged: \(empty.joined(separator: "; ")).)" }
        figureDescriptions[figure.name] = (figure.title, "Figure \(figureCount). \(fullCaption) \(figure.textDescription)")
        let live = PlaygroundViews.url(slug: info.slug, figure: figure.name).map { " · [try it in the playground](\($0))" } ?? ""
        // The caption is set in italics (*…*): an asterisk of its own ("β*") would end them early.
        let italic = fullCaption.replacingOccurrences(of: "*", with: "\\*")
        page.append("![\(figure.title)](\(figure.name).svg)\n\n*Figure \(figureCount). \(italic)* " +
                    "<sub>[data](\(figure.name).dat) · [gnuplot script](\(figure.name).gp)\(live)</sub>\n")
        say("Figure \(figureCount): \(figure.title) → \(options.output)/\(info.slug)/\(figure.name).svg\n" + wrap(fullCaption, indent: "  ") + "\n")
        if terminalPlots && !options.quiet && Gnuplot.isAvailable && !figure.plots.contains(where: { $0.heatmap != nil }) {
            var plain = figure
            for i in plain.plots.indices { plain.plots[i].contour = nil }
            do {
                print(try await Gnuplot.terminalPlot(plain, width: min(Gnuplot.terminalWidth(), 110), height: 24))
            } catch {
                // The page does not need the terminal plot; a hanging gnuplot should cost its limit once, not per figure.
                if case GnuplotError.timedOut = error { terminalPlots = false }
            }
        }
    }

    /// An exercise. The solution is the code between `// solution: <id>` and `// end solution`
    /// in the calling file, and `run` is that same code: with `--solutions` both the code and
    /// what it prints are shown, so the two cannot drift apart.
    public func exercise(_ question: String, solution id: String, file: String = #filePath,
                         run: () throws -> String) rethrows {
        exerciseCount += 1
        page.append("**Exercise \(exerciseCount).** \(question.trimmed)\n")
        say(wrap("Exercise \(exerciseCount). " + question.trimmed) + "\n")
        if options.solutions {
            let code = Self.solutionSource(id: id, file: file) ?? "// (source of solution '\(id)' not found next to the binary)"
            let answer = try run()
            page.append("<details><summary>Solution</summary>\n\n```swift\n\(code)\n```\n\nIt prints:\n\n```\n\(answer.trimmed)\n```\n</details>\n")
            say("  Solution:\n" + code.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n  → " + answer.trimmed + "\n")
        } else {
            page.append("<sub>Solution: run `swift run -c release \(info.slug) --solutions`.</sub>\n")
        }
    }

    static func solutionSource(id: String, file: String) -> String? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.trimmed == "// solution: \(id)" }),
              let end = lines[start...].firstIndex(where: { $0.trimmed == "// end solution" }) else { return nil }
        let body = lines[(start + 1)..<end]
        let indent = body.filter { !$0.trimmed.isEmpty }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return body.map { String($0.dropFirst(min(indent, $0.count))) }.joined(separator: "\n")
    }

    // MARK: Key values

    /// One line of key values on stdout — what the chapter measured, unrounded, for its tests and
    /// for a reader checking a run — unless `--quiet` (the book passes it).
    public func log(_ line: String) {
        guard !options.quiet else { return }
        print(line)
    }

    // MARK: Progress

    /// Runs `work`, which reports `total` units through the handle; a progress bar appears on
    /// stderr when the work takes longer than a second and stderr is a terminal.
    public func step<T>(_ label: String, total: Int, _ work: (Progress) throws -> T) rethrows -> T {
        let progress = Progress(label: label, total: total, enabled: !options.quiet && isatty(STDERR_FILENO) == 1)
        defer {
            progress.finish()
            // DESCENT_STEP_TIMES=1 prints each step's wall time, to see where a chapter spends it.
            if ProcessInfo.processInfo.environment["DESCENT_STEP_TIMES"] != nil {
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - progress.start.uptimeNanoseconds) / 1e9
                FileHandle.standardError.write(Data("[\(info.slug)] \(label): \(Fmt.fixed(seconds, 2)) s\n".utf8))
            }
        }
        return try work(progress)
    }

    // MARK: Publishing

    func publish() async throws {
        guard claimMisuses.isEmpty else { throw ClaimMisuse(slug: info.slug, misused: claimMisuses) }
        let failed = failedClaims
        try ClaimsLog.append(claims, slug: info.slug, options: options)
        if options.quick {
            // A quick run is smaller than the book's: its page says so, and lists the claims that
            // did not hold at that size instead of failing (in full mode a false claim fails the run).
            page.insert(Self.quickBanner(claimCount: claimCount, failed: failed), at: min(2, page.count))
            if !failed.isEmpty {
                FileHandle.standardError.write(Data((ClaimsFailed(slug: info.slug, failed: failed).description
                    .replacingOccurrences(of: "claim does not hold on this run", with: "claim does not hold on this quick run (listed in the page's banner)") + "\n").utf8))
            }
        } else {
            guard failed.isEmpty else { throw ClaimsFailed(slug: info.slug, failed: failed) }
        }
        page.append("---\n*Generated by `\(info.slug)`; \(plural(claimCount, "claim")) checked on this run; numbers in prose and tables are rounded as shown, data files keep full precision.*\n")
        try AtomicFile.write(page.joined(separator: "\n"), to: staging.appendingPathComponent("README.md"))
        // The new folder holds exactly what this run made: when figures are not drawn, drawings of
        // earlier runs are not carried over (they would show other data than the .dat next to them).
        var notDrawn = ""
        if !figureNames.isEmpty {
            if options.noRender {
                notDrawn = "; figures not drawn (--no-render), drawings of earlier runs removed"
            } else if Gnuplot.isAvailable {
                try await FigureWriter.render(figureNames, in: staging, renderer: DescribedSVGRenderer(base: GnuplotRenderer(), descriptions: figureDescriptions))
            } else {
                Notebook.warnOnce(Gnuplot.installHint + " — wrote the .gp and .dat files; figures were not drawn, and drawings "
                                  + "of earlier runs were removed so that none shows other data than its .dat file.")
            }
        }
        try moveIntoPlace()
        say("\nWrote \(options.output)/\(info.slug)/README.md (\(plural(figureCount, "figure")), \(plural(tableCount, "table"))\(notDrawn)).\n")
    }

    /// The banner under a quick run's title: the run is smaller than the book's, and which of its
    /// claims did not hold at that size.
    static func quickBanner(claimCount: Int, failed: [Claim]) -> String {
        var text = "> **Quick run** (`--quick`): every experiment is smaller than the book's, so its numbers differ from "
            + "the full page and a claim checked on it can fail by chance. "
        if failed.isEmpty {
            text += "All \(claimCount) claims held on this run."
        } else {
            text += "\(failed.count) of \(claimCount) claims did not hold on this run (a full run fails on any of them):\n>\n"
                + failed.map { "> - \"\($0.sentence.replacingOccurrences(of: "\n", with: " "))\"" + ($0.evidence.isEmpty ? "" : " (\($0.evidence))") }
                    .joined(separator: "\n")
        }
        return text + "\n"
    }

    /// Swaps the complete staging folder in for the chapter folder, in one step
    /// (see ``ChapterSwap``), then removes the previous chapter.
    private func moveIntoPlace() throws {
        let retired = outputRoot.appendingPathComponent(".retired-\(info.slug)-\(getpid())", isDirectory: true)
        try RunSignals.publishing.withLock { _ in
            // The lock file stays open (its flock lasts until exit) but leaves the folder being published.
            unlink(staging.appendingPathComponent(".lock").path)
            let outcome = try ChapterSwap.swap(staging, into: chapterDirectory, retired: retired)
            // After an exchange the staging path holds the previous chapter.
            if outcome == .exchanged { try? FileManager.default.removeItem(at: staging) }
            RunSignals.untrack(staging)
        }
    }

    // MARK: Terminal

    func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    func say(_ text: String) {
        guard !options.quiet else { return }
        print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
    }

    func wrap(_ text: String, width: Int = 92, indent: String = "") -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { paragraph -> String in
            var lines: [String] = [], line = ""
            for word in paragraph.split(separator: " ") {
                if !line.isEmpty && line.displayWidth + word.count + 1 > width - indent.count {
                    lines.append(line)
                    line = ""
                }
                line += (line.isEmpty ? "" : " ") + word
            }
            lines.append(line)
            return lines.map { indent + $0 }.joined(separator: "\n")
        }.joined(separator: "\n")
    }

    nonisolated(unsafe) private static var warned = Set<String>()
    static func warnOnce(_ message: String) {
        guard !warned.contains(message) else { return }
        warned.insert(message)
        FileHandle.standardError.write(Data(("warning: " + message + "\n").utf8))
    }
}

/// Errors a chapter run reports to the reader.
/// A progress handle: call ``advance(_:)`` as units of work finish — from any thread (the runs
/// of a seed set advance it from ``Notebook/parallelMap(_:_:)``'s workers).
public final class Progress: Sendable {
    private struct Count {
        var done = 0
        var shown = false
        var lastDraw: UInt64 = 0
    }
    private let count = Mutex(Count())
    let label: String
    let total: Int
    let enabled: Bool
    let start = DispatchTime.now()

    init(label: String, total: Int, enabled: Bool) {
        self.label = label
        self.total = max(1, total)
        self.enabled = enabled
    }

    /// Marks `n` more units done; redraws at most ten times a second, after the first second.
    public func advance(_ n: Int = 1) {
        count.withLock { c in
            c.done += n
            guard enabled else { return }
            let now = DispatchTime.now().uptimeNanoseconds
            let elapsed = now - start.uptimeNanoseconds
            guard elapsed > 1_000_000_000, now - c.lastDraw > 100_000_000 || c.done >= total else { return }
            c.lastDraw = now
            c.shown = true
            let width = 30
            let filled = min(width, width * c.done / total)
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let seconds = Double(elapsed) / 1e9
            FileHandle.standardError.write(Data("\r\(label) \(bar) \(min(c.done, total))/\(total) \(Fmt.fixed(seconds, 1)) s ".utf8))
        }
    }

    func finish() {
        if count.withLock({ $0.shown }) { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

extension Substring {
    var trimmed: String { String(self).trimmed }
}
