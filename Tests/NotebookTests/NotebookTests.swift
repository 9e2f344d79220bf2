import Foundation
import TestSupport
import Testing
@testable import Figures
@testable import Notebook

typealias Run = ProcessRun

/// Runs the built `name` to its end (TestSupport's runner); `killAfter` seconds in, SIGKILLs it.
func spawn(_ name: String, _ args: [String], environment: [String: String]? = nil, killAfter: Double? = nil) throws -> Run {
    let child = try RunningProcess(builtExecutable(name), args, environment: environment)
    if let killAfter {
        usleep(UInt32(killAfter * 1e6))
        child.signal(SIGKILL)
    }
    return child.finish()
}

func tempDir() throws -> URL {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("nb-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
    return d
}

/// The text files (.md, .gp, .dat) under a folder, by relative path.
func textFiles(_ root: URL) throws -> [String: String] {
    var out: [String: String] = [:]
    let e = FileManager.default.enumerator(atPath: root.path)!
    while let rel = e.nextObject() as? String {
        guard rel.hasSuffix(".md") || rel.hasSuffix(".gp") || rel.hasSuffix(".dat") else { continue }
        out[rel] = try String(contentsOf: root.appendingPathComponent(rel), encoding: .utf8)
    }
    return out
}

@Suite("Notebook runtime")
struct NotebookTests {
    @Test("a chapter run twice into two folders gives identical text files")
    func deterministic() throws {
        let a = try tempDir(), b = try tempDir()
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        #expect(try spawn("ch00-tour", ["--output", a.path, "--quiet", "--no-render"]).status == 0)
        #expect(try spawn("ch00-tour", ["--output", b.path, "--quiet", "--no-render"]).status == 0)
        let fa = try textFiles(a), fb = try textFiles(b)
        #expect(fa.keys.sorted() == ["ch00-tour/README.md", "ch00-tour/loss.dat", "ch00-tour/loss.gp",
                                     "ch00-tour/trajectories.dat", "ch00-tour/trajectories.gp"])
        #expect(fa == fb)
    }

    @Test("an unwritable output folder fails before any work, with a clear message")
    func unwritable() throws {
        let run = try spawn("ch00-tour", ["--output", "/proc/version/out"])
        #expect(run.status != 0 && !run.signaled)
        #expect(run.stderr.contains("cannot write to the output folder '/proc/version/out'"))
        #expect(run.stderr.contains("--output DIR"))
        #expect(!run.stdout.contains("Table 1"))
    }

    /// The folder after a SIGKILL must be byte for byte the old chapter or the complete new one
    /// (a page "ending in a newline" is not enough: a mix of old and new files passed that).
    /// Kills land at fixed delays and, through a gnuplot wrapper that reports when it has
    /// drawn, just after drawing, when the chapter is being published.
    @Test("a run killed at any moment leaves exactly the old chapter or exactly the complete new one",
          .enabled(if: hasRealGnuplot, "gnuplot is not installed"))
    func killed() throws {
        let dir = try tempDir(), reference = try tempDir(), fake = try tempDir()
        defer { for d in [dir, reference, fake] { try? FileManager.default.removeItem(at: d) } }
        let drawn = fake.appendingPathComponent("drawn")
        try "#!/bin/sh\n\(realGnuplot!) \"$@\"\nrc=$?\necho x >> \(drawn.path)\nexit $rc\n"
            .write(to: fake.appendingPathComponent("gnuplot"), atomically: true, encoding: .utf8)
        chmod(fake.appendingPathComponent("gnuplot").path, 0o755)
        // New = a quick run with another seed: every file (except, at most, loss.gp) differs from
        // the old chapter (another seed alone changes only the page header, and a mix would go unseen).
        let newRun = ["--output", dir.path, "--quiet", "--quick", "--seed", "2"]
        #expect(try spawn("ch00-tour", ["--output", reference.path, "--quiet", "--quick", "--seed", "2"]).status == 0)
        #expect(try spawn("ch00-tour", ["--output", dir.path, "--quiet", "--seed", "1"]).status == 0)
        let chapter = dir.appendingPathComponent("ch00-tour")
        let old = snapshot(chapter), new = snapshot(reference.appendingPathComponent("ch00-tour"))
        #expect(old.count == 9 && Set(old.keys) == Set(new.keys))
        #expect(old.filter { new[$0.key] == $0.value }.keys.allSatisfy { $0 == "loss.gp" })
        var killedEarly = 0
        enum When { case at(Double), afterDrawing(Double), firstChange }
        let kills: [When] = [0.005, 0.02, 0.05, 0.08, 0.12, 0.2].map { .at($0) }
            + [0, 0.0002, 0.0005, 0.001, 0.002, 0.004].map { .afterDrawing($0) } + [.firstChange, .firstChange, .firstChange]
        for when in kills {
            try? FileManager.default.removeItem(at: drawn)
            // Linux: the first file created, moved or deleted inside the chapter folder is the
            // moment a file-by-file publisher has published one file and not the others.
            let watch = inotify_init1(Int32(IN_CLOEXEC))
            defer { close(watch) }
            _ = inotify_add_watch(watch, chapter.path, UInt32(IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_MODIFY))
            let c = try Child("ch00-tour", newRun, environment: path(with: fake))
            switch when {
            case .at(let delay): usleep(UInt32(delay * 1e6))
            case .afterDrawing(let delay):
                let deadline = Date().addingTimeInterval(10)
                while c.process.isRunning && Date() < deadline,
                      ((try? String(contentsOf: drawn, encoding: .utf8)) ?? "").count < 4 { usleep(100) }
                usleep(UInt32(delay * 1e6))
            case .firstChange:
                var p = pollfd(fd: watch, events: Int16(POLLIN), revents: 0)
                _ = poll(&p, 1, 10_000)
            }
            c.signal(SIGKILL)
            c.wait()
            if c.signaled { killedEarly += 1 }
            let now = snapshot(chapter)
            let fromOld = now.filter { old[$0.key] != $0.value }.keys.sorted()
            let fromNew = now.filter { new[$0.key] != $0.value }.keys.sorted()
            #expect(now == old || now == new, "after a kill (\(when)): differs from the old chapter in \(fromOld), from the new in \(fromNew)")
            // Put the old state back for the next try.
            if now != old { #expect(try spawn("ch00-tour", ["--output", dir.path, "--quiet", "--seed", "1"]).status == 0) }
        }
        #expect(killedEarly > 0, "no run was killed before finishing; the test did not test anything")
        // A killed run may leave its private staging folder; the next run removes it.
        #expect(try spawn("ch00-tour", ["--output", dir.path, "--quiet", "--seed", "1"]).status == 0)
        #expect(leftovers(dir).isEmpty, "\(leftovers(dir))")
    }

    @Test("without gnuplot the scripts and data are still written, with one hint and no crash")
    func noGnuplot() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try spawn("ch00-tour", ["--output", dir.path, "--quiet"], environment: ["PATH": "/nonexistent"])
        #expect(run.status == 0)
        #expect(run.stderr.contains("apt-get install gnuplot gnuplot-nox") && run.stderr.contains("brew install gnuplot"))
        #expect(run.stderr.components(separatedBy: "apt-get install").count == 2)  // said once
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("ch00-tour").path)
        #expect(files.contains("trajectories.gp") && files.contains("trajectories.dat") && files.contains("README.md"))
        #expect(!files.contains("trajectories.svg"))
    }

    @Test("--solutions shows the solution's code and what it printed; without it, only how to see it")
    func solutions() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try spawn("ch00-tour", ["--output", dir.path, "--no-render", "--solutions"])
        #expect(run.stdout.contains("let alpha = 2 / (0.2 + 4.0)") && run.stdout.contains("α = 0.4762"))
        let page = try String(contentsOf: dir.appendingPathComponent("ch00-tour/README.md"), encoding: .utf8)
        #expect(page.contains("<details><summary>Solution</summary>") && page.contains("let run = optimize("))
        _ = try spawn("ch00-tour", ["--output", dir.path, "--no-render", "--quiet"])
        let plain = try String(contentsOf: dir.appendingPathComponent("ch00-tour/README.md"), encoding: .utf8)
        #expect(!plain.contains("let alpha") && plain.contains("--solutions"))
    }

    @Test("--help lists the shared options")
    func help() throws {
        let run = try spawn("ch00-tour", ["--help"])
        for flag in ["--output", "--seed", "--quick", "--no-render", "--plots", "--solutions", "--quiet"] {
            #expect(run.stdout.contains(flag), "\(flag)")
        }
    }
}

@Suite("book runner")
struct BookTests {
    @Test("book --quick writes every chapter and the contents page, deterministically")
    func quickBook() throws {
        let a = try tempDir(), b = try tempDir()
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let run = try spawn("book", ["--output", a.path, "--quick", "--no-render"])
        #expect(run.status == 0, "\(run.stderr)")
        _ = try spawn("book", ["--output", b.path, "--quick", "--no-render"])
        let index = try String(contentsOf: a.appendingPathComponent("README.md"), encoding: .utf8)
        for c in Book.chapters {
            #expect(index.contains("(\(c.slug)/README.md)") && index.contains("\(c.slug)/\(c.mainFigure).svg"))
            #expect(FileManager.default.fileExists(atPath: a.appendingPathComponent("\(c.slug)/\(c.mainFigure).gp").path),
                    "\(c.slug) has no main figure \(c.mainFigure)")
        }
        #expect(try textFiles(a) == textFiles(b))
    }

    @Test("book --only, repeated, runs exactly the chapters named and leaves the contents page alone")
    func severalChapters() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("book-only-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try spawn("book", ["--output", dir.path, "--quick", "--no-render",
                                     "--only", "ch00-tour", "--only", "ch03-adagrad"])
        #expect(run.status == 0, "\(run.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(written == ["ch00-tour", "ch03-adagrad"], "\(written)")
        let bad = try spawn("book", ["--only", "ch00-tour", "--only", "ch99-nothing"])
        #expect(bad.status != 0 && bad.stderr.contains("unknown chapter 'ch99-nothing'"))
    }

    @Test("book refuses an unknown chapter and an unwritable folder")
    func errors() throws {
        let bad = try spawn("book", ["--only", "ch99-nothing"])
        #expect(bad.status != 0 && bad.stderr.contains("unknown chapter 'ch99-nothing'"))
        let unwritable = try spawn("book", ["--output", "/proc/version/x", "--quick"])
        #expect(unwritable.status != 0 && unwritable.stderr.contains("cannot write to the output folder"))
    }
}

@Suite("Formatting")
struct FormattingTests {
    @Test("fixed, documented precision")
    func numbers() {
        #expect(Fmt.sig(0.47619047619) == "0.4762")
        #expect(Fmt.sig(1.2e-5, 2) == "1.2e-05")
        #expect(Fmt.fixed(2.0 / 3) == "0.667")
        #expect(Fmt.sci(12345.678, 3) == "1.23e+04")
        #expect(Fmt.fixed(-0.0001, 2) == "0.00")
        #expect(Fmt.sig(.nan) == "diverged (NaN)" && Fmt.sig(.infinity) == "+∞")
    }

    @Test("tables: markdown and aligned text")
    func tables() {
        let t = Table(header: ["α", "loss"], rows: [["0.1", "2.5"], ["10", "a|b"]])
        #expect(t.markdown == "| α | loss |\n|:---|---:|\n| 0.1 | 2.5 |\n| 10 | a\\|b |\n")
        #expect(t.text == "α    loss\n───  ────\n0.1   2.5\n10    a|b\n")
    }

    @Test("solution source is the code between the markers, dedented")
    func solutionSource() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sol-\(UUID().uuidString).swift")
        try "func f() {\n    // solution: one\n    let a = 1\n      let b = 2\n    // end solution\n}\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(Notebook.solutionSource(id: "one", file: file.path) == "let a = 1\n  let b = 2")
        #expect(Notebook.solutionSource(id: "two", file: file.path) == nil)
    }
}
