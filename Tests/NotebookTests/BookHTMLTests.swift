import Foundation
import Testing
@testable import Notebook

// Issue 19: `book --html DIR` is checked before any chapter runs, and the site is published the way
// chapters are: whole or not at all.

/// The committed book's pages (contents page and each chapter's README.md, no figures) in a new
/// folder: what `book --only X --html DIR` needs besides chapter X.
func bookSkeleton() throws -> URL {
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let out = try tempDir()
    let fm = FileManager.default
    try fm.copyItem(at: repo.appendingPathComponent("output/README.md"), to: out.appendingPathComponent("README.md"))
    for chapter in Book.chapters {
        let folder = out.appendingPathComponent(chapter.slug)
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        try fm.copyItem(at: repo.appendingPathComponent("output/\(chapter.slug)/README.md"),
                        to: folder.appendingPathComponent("README.md"))
    }
    return out
}

/// The non-empty lines of `text`.
func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

/// A finished `book` run's error lines: stderr without its progress lines (each chapter's time, the
/// chapters' summary) and warnings.
func errorLines(_ stderr: String) -> [String] {
    lines(stderr).filter { line in
        !(line.hasPrefix("  ch") && line.hasSuffix(" s")) && !line.hasPrefix("warning:")
            && !(line.hasPrefix("book: ") && line.contains(" chapter(s) in "))
    }
}

@Suite("book --html: checked first, published whole")
struct BookHTMLTests {
    /// Runs `book --only ch00-tour --quick --no-render --output out --html site` with `extra`.
    func book(_ out: URL, html: String, cwd: URL? = nil, _ extra: [String] = []) throws -> Child {
        try runChild("book", ["--output", out.path, "--only", "ch00-tour", "--quick", "--no-render", "--html", html] + extra,
                     cwd: cwd).child
    }

    @Test("--html '' is refused before any chapter runs, and nothing is written into the current folder")
    func emptyPath() throws {
        let cwd = try tempDir(), out = try bookSkeleton()
        defer { try? FileManager.default.removeItem(at: cwd); try? FileManager.default.removeItem(at: out) }
        let before = snapshot(out)
        let run = try book(out, html: "", cwd: cwd)
        #expect(run.status != 0 && !run.signaled)
        #expect(lines(run.stderr) == ["Error: --html '' names no folder (it would write the site into the current folder); "
                                      + "give a folder, e.g. --html site"], "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cwd.path).isEmpty)
        #expect(snapshot(out) == before, "a chapter ran before the refusal")
    }

    @Test("a bad --html folder is refused in one sentence before any chapter runs, touching nothing",
          arguments: ["file", "no-parent", "the-book", "inside-the-book", "contains-the-book", "link-to-the-book",
                      "link-into-the-book", "foreign-folder", "dangling-link"])
    func refusedFirst(kind: String) throws {
        let base = try tempDir()
        defer { try? FileManager.default.removeItem(at: base) }
        let skeleton = try bookSkeleton()
        let out = base.appendingPathComponent("book")
        try FileManager.default.moveItem(at: skeleton, to: out)
        let fm = FileManager.default
        let site: String
        let expected: String
        switch kind {
        case "file":
            site = base.appendingPathComponent("site").path
            try "mine".write(toFile: site, atomically: true, encoding: .utf8)
            expected = "it is a file, not a folder"
        case "no-parent":
            site = base.appendingPathComponent("missing/site").path
            expected = "does not exist"
        case "the-book":
            site = out.path
            expected = "the book's output folder"
        case "inside-the-book":
            site = out.appendingPathComponent("site").path
            expected = "the book's output folder"
        case "contains-the-book":
            site = base.path
            expected = "lies inside it"
        case "link-to-the-book":
            site = base.appendingPathComponent("site").path
            try fm.createSymbolicLink(atPath: site, withDestinationPath: out.path)
            expected = "the book's output folder"
        case "link-into-the-book":
            site = base.appendingPathComponent("site").path
            try fm.createSymbolicLink(atPath: site, withDestinationPath: out.appendingPathComponent("ch00-tour").path)
            expected = "the book's output folder"
        case "foreign-folder":
            site = base.appendingPathComponent("site").path
            try fm.createDirectory(atPath: site, withIntermediateDirectories: false)
            try "keep".write(toFile: site + "/notes.txt", atomically: true, encoding: .utf8)
            expected = "holds other files"
        default:  // dangling-link
            site = base.appendingPathComponent("site").path
            try fm.createSymbolicLink(atPath: site, withDestinationPath: base.appendingPathComponent("nowhere").path)
            expected = "symbolic link to nothing"
        }
        let before = snapshot(base)
        let run = try book(out, html: site)
        #expect(run.status != 0 && !run.signaled)
        #expect(lines(run.stderr).count == 1 && run.stderr.contains(expected), "\(kind): \(run.stderr)")
        #expect(snapshot(base) == before, "\(kind): something was written (a chapter ran, or the site)")
    }

    @Test("--only X --html DIR on an output without the rest of the book is refused before X runs")
    func onlyOnFreshOutput() throws {
        let base = try tempDir()
        defer { try? FileManager.default.removeItem(at: base) }
        let out = base.appendingPathComponent("fresh")
        let run = try book(out, html: base.appendingPathComponent("site").path)
        #expect(run.status != 0 && !run.signaled)
        #expect(lines(run.stderr).count == 1 && run.stderr.contains("--only with --html: the site needs the whole book"),
                "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path).isEmpty, "something was written")
    }

    @Test("--no-run --html DIR exports the book that is there: no chapter runs, output/ is untouched")
    func exportsWithoutRunning() throws {
        let base = try tempDir(), out = try bookSkeleton()
        defer { try? FileManager.default.removeItem(at: base); try? FileManager.default.removeItem(at: out) }
        let before = snapshot(out), site = base.appendingPathComponent("site")
        let run = try runChild("book", ["--output", out.path, "--html", site.path, "--no-run"]).child
        #expect(run.status == 0, "\(run.stderr)")
        #expect(snapshot(out) == before, "output/ changed: a chapter ran")
        #expect(!lines(run.stderr).contains { $0.hasPrefix("  ch") }, "a chapter ran: \(run.stderr)")
        for chapter in Book.chapters {
            #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("\(chapter.slug)/index.html").path),
                    "\(chapter.slug)")
        }
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("index.html").path))
        #expect(leftovers(base).isEmpty, "\(leftovers(base))")
    }

    @Test("--no-run is refused with one sentence, writing nothing, without --html, with chapter options, or without a book",
          arguments: ["no-html", "only", "quick", "no-render", "no-book"])
    func noRunRefused(kind: String) throws {
        let base = try tempDir(), out = try bookSkeleton()
        defer { try? FileManager.default.removeItem(at: base); try? FileManager.default.removeItem(at: out) }
        let site = base.appendingPathComponent("site").path
        let empty = base.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: false)
        let (args, expected): ([String], String) = switch kind {
        case "no-html": (["--output", out.path], "give the folder with --html DIR")
        case "only": (["--output", out.path, "--html", site, "--only", "ch00-tour"], "leave them out")
        case "quick": (["--output", out.path, "--html", site, "--quick"], "leave them out")
        case "no-render": (["--output", out.path, "--html", site, "--no-render"], "leave them out")
        default: (["--output", empty.path, "--html", site], "there is no book in")
        }
        let before = snapshot(base), beforeOut = snapshot(out)
        let run = try runChild("book", args + ["--no-run"]).child
        #expect(run.status != 0 && !run.signaled, "\(kind)")
        // One sentence: the first line (ArgumentParser adds its usage line after a usage error).
        #expect(lines(run.stderr).first.map { $0.hasPrefix("Error: ") && $0.contains(expected) } == true,
                "\(kind): \(run.stderr)")
        #expect(snapshot(base) == before && snapshot(out) == beforeOut, "\(kind): something was written")
    }

    @Test("the site is written through a link to a folder of its own, and replaces an earlier site whole")
    func publishes() throws {
        let base = try tempDir(), out = try bookSkeleton()
        defer { try? FileManager.default.removeItem(at: base); try? FileManager.default.removeItem(at: out) }
        let real = base.appendingPathComponent("real-site"), link = base.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: real.path)
        // The link points to an empty folder: the site is made there.
        let first = try book(out, html: link.path)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(FileManager.default.fileExists(atPath: real.appendingPathComponent("ch00-tour/index.html").path))
        try "stale".write(to: real.appendingPathComponent("stale.txt"), atomically: true, encoding: .utf8)
        let second = try book(out, html: link.path)
        #expect(second.status == 0, "\(second.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: real.path)
        #expect(!names.contains("stale.txt") && names.contains("index.html"), "\(names)")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)) == real.path, "the link was replaced")
        #expect(leftovers(base).isEmpty, "\(leftovers(base))")
    }

    @Test("SIGTERM or SIGKILL while the site is written: the old site whole or the new one whole; no staging after SIGTERM",
          arguments: [SIGTERM, SIGKILL])
    func killedWhileWriting(sig: Int32) throws {
        let base = try tempDir(), out = try bookSkeleton()
        defer { try? FileManager.default.removeItem(at: base); try? FileManager.default.removeItem(at: out) }
        let site = base.appendingPathComponent("site")
        let reference = base.appendingPathComponent("reference")
        #expect(try book(out, html: reference.path).status == 0)
        let referenceFiles = snapshot(reference)
        // An old site that differs from the new one in every page.
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: false)
        for name in ["index.html", "style.css"] {
            try "old".write(to: site.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let old = snapshot(site)
        for _ in 0..<3 {
            let c = try Child("book", ["--output", out.path, "--only", "ch00-tour", "--quick", "--no-render", "--html", site.path])
            // The event: the site is being written (a staging folder beside it, or files in it).
            let writing = eventually {
                !c.process.isRunning || snapshot(site) != old || leftovers(base).contains { name in
                    FileManager.default.fileExists(atPath: base.appendingPathComponent("\(name)/index.html").path)
                }
            }
            #expect(writing)
            c.signal(sig)
            #expect(c.wait())
            let now = snapshot(site)
            #expect(now == old || now == referenceFiles, "a partial site: \(now.count) entries, reference \(referenceFiles.count)")
            if sig != SIGKILL {
                #expect(leftovers(base).isEmpty, "left \(leftovers(base))")
            }
            // Back to the old site for the next round (a run that finished published the new one).
            try? FileManager.default.removeItem(at: site)
            try FileManager.default.createDirectory(at: site, withIntermediateDirectories: false)
            for name in ["index.html", "style.css"] {
                try "old".write(to: site.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
        }
        // A killed run's staging folder is removed by the next run.
        let next = try book(out, html: site.path)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(leftovers(base).isEmpty, "left \(leftovers(base))")
    }
}

@Suite("book on a full disk: one sentence, non-zero, nothing half-written",
       .enabled(if: TmpFS.available, "cannot mount a tmpfs here (needs root)"))
struct BookFullDiskTests {
    @Test("--html on a full disk: one error line, the old site (or none) and no staging folder",
          arguments: [0, 30, 100])
    func htmlOnFullDisk(freeKB: Int) throws {
        let out = try bookSkeleton()
        defer { try? FileManager.default.removeItem(at: out) }
        let disk = try TmpFS(kilobytes: 2048)
        defer { disk.unmount() }
        let site = disk.root.appendingPathComponent("site")
        try disk.fill(leavingKB: freeKB)
        let (run, _) = try runChild("book", ["--output", out.path, "--only", "ch00-tour", "--quick", "--no-render",
                                             "--html", site.path])
        #expect(run.status != 0 && !run.signaled)
        #expect(errorLines(run.stderr).count == 1, "\(run.stderr)")
        #expect(run.stderr.contains("disk is full") && run.stderr.contains("--html DIR"), "\(run.stderr)")
        // The pages alone (≈ 300 kB) do not fit: refused before the chapter runs, not after.
        #expect(!lines(run.stderr).contains { $0.hasPrefix("  ch00-tour") }, "the chapter ran first: \(run.stderr)")
        #expect(!run.stderr.contains("failed at \(out.path)"), "the message names the book's file, not the one that could not be written")
        #expect(!FileManager.default.fileExists(atPath: site.path), "a partial site")
        #expect(leftovers(disk.root).filter { $0 != ".filler" }.isEmpty, "\(leftovers(disk.root))")
    }

    /// The book's output on a small tmpfs filled to different points: before the start, while
    /// chapters write their data, while the contents page is written.
    @Test("the output folder on a full disk: one error line, non-zero, no staging folder, no half chapter",
          arguments: [(0, 1), (0, 2), (8, 2), (60, 2), (120, 2)])
    func outputOnFullDisk(freeKB: Int, jobs: Int) throws {
        let disk = try TmpFS(kilobytes: 2048)
        defer { disk.unmount() }
        let out = disk.root.appendingPathComponent("book")
        try disk.fill(leavingKB: freeKB)
        let (run, _) = try runChild("book", ["--output", out.path, "--only", "ch00-tour", "--only", "ch02-fixed-vs-decayed-rates",
                                             "--quick", "--no-render", "--jobs", "\(jobs)"])
        #expect(run.status != 0 && !run.signaled)
        #expect(errorLines(run.stderr).count == 1, "\(run.stderr)")
        #expect(run.stderr.contains("disk is full"), "\(run.stderr)")
        #expect(!run.stderr.contains("Domain=") && !run.stderr.contains("Usage:"), "\(run.stderr)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
        #expect(names.allSatisfy { !$0.hasPrefix(".") }, "left \(names)")
        for name in names {
            // A chapter folder that exists was published whole: its page is there.
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("\(name)/README.md").path), "\(name) is half written")
        }
    }
}
