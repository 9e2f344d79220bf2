import Foundation
import Publishing
import TestSupport
import Testing
@testable import Figures
@testable import Notebook

// Faults as inputs: fake gnuplots on PATH, folders in the way, signals, a full
// disk on a small tmpfs, bad options. Each test names the bug it guards against.

/// A running chapter, `book` or `lab` whose output goes to files, so it can be signalled (TestSupport).
typealias Child = RunningProcess

extension RunningProcess {
    /// Starts the built `name` with `environment` added to this process's, in `cwd`.
    convenience init(_ name: String, _ args: [String], environment: [String: String]? = nil, cwd: URL? = nil) throws {
        try self.init(builtExecutable(name), args, environment: TestSupport.environment(with: environment ?? [:]),
                      currentDirectory: cwd)
    }
}

/// Runs `name` to completion (at most `timeout` seconds, then SIGKILL).
func runChild(_ name: String, _ args: [String], environment: [String: String]? = nil, cwd: URL? = nil,
              timeout: Double = watchdog) throws -> (child: Child, finished: Bool) {
    let c = try Child(name, args, environment: environment, cwd: cwd)
    let finished = c.wait(atMost: timeout)
    return (c, finished)
}

/// A folder with one executable `gnuplot` shell script in it.
func fakeGnuplot(_ body: String) throws -> URL {
    let dir = try tempDir()
    let file = dir.appendingPathComponent("gnuplot")
    try ("#!/bin/sh\n" + body + "\n").write(to: file, atomically: true, encoding: .utf8)
    chmod(file.path, 0o755)
    return dir
}

/// PATH with the fake gnuplot first.
func path(with fake: URL) -> [String: String] { ["PATH": "\(fake.path):/usr/bin:/bin:/usr/local/bin"] }

/// The real gnuplot, when installed.
let realGnuplot = Gnuplot.executablePath(environment: ["PATH": "/usr/bin:/usr/local/bin:/opt/homebrew/bin:/bin"])
let hasRealGnuplot = realGnuplot != nil

/// Every file under `root` (recursively) with its bytes, by relative path; folders as "<dir>/".
func snapshot(_ root: URL) -> [String: Data] {
    var out: [String: Data] = [:]
    guard let e = FileManager.default.enumerator(atPath: root.path) else { return out }
    while let rel = e.nextObject() as? String {
        var isDir: ObjCBool = false
        let url = root.appendingPathComponent(rel)
        _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir)
        out[isDir.boolValue ? rel + "/" : rel] = isDir.boolValue ? Data() : (try? Data(contentsOf: url)) ?? Data()
    }
    return out
}

func leftovers(_ root: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { $0.hasPrefix(".") }
}

@Suite("Publishing: a chapter is published whole or not at all")
struct PublishingTests {
    @Test("a folder in the way of one file: the new chapter replaces the old one whole, nothing mixed")
    func folderInTheWay() throws {
        let dir = try tempDir(), reference = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: reference) }
        #expect(try spawn("ch00-tour", ["--output", reference.path, "--quiet", "--no-render", "--seed", "2"]).status == 0)
        #expect(try spawn("ch00-tour", ["--output", dir.path, "--quiet", "--no-render", "--seed", "1"]).status == 0)
        let blocker = dir.appendingPathComponent("ch00-tour/trajectories.dat")
        try FileManager.default.removeItem(at: blocker)
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: false)
        try "x".write(to: blocker.appendingPathComponent("keep"), atomically: true, encoding: .utf8)
        let run = try spawn("ch00-tour", ["--output", dir.path, "--quiet", "--no-render", "--seed", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(snapshot(dir.appendingPathComponent("ch00-tour")) == snapshot(reference.appendingPathComponent("ch00-tour")),
                "the chapter folder is not exactly the new run")
        #expect(leftovers(dir).isEmpty)
    }

    @Test("replaced, not written in place: a hard link to an old file keeps the old bytes; new files are new inodes")
    func newInodes() throws {
        let dir = try tempDir(), side = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: side) }
        #expect(try spawn("ch00-tour", ["--output", dir.path, "--quiet", "--no-render", "--seed", "1"]).status == 0)
        let chapter = dir.appendingPathComponent("ch00-tour")
        var before: [String: (Data, UInt64)] = [:]
        for name in ["README.md", "trajectories.dat", "loss.gp"] {
            let file = chapter.appendingPathComponent(name)
            #expect(link(file.path, side.appendingPathComponent(name).path) == 0)
            before[name] = (try Data(contentsOf: file), try inode(file))
        }
        #expect(try spawn("ch00-tour", ["--output", dir.path, "--quiet", "--no-render", "--seed", "2"]).status == 0)
        for (name, (bytes, oldInode)) in before {
            #expect(try Data(contentsOf: side.appendingPathComponent(name)) == bytes, "\(name): the old file was written in place")
            #expect(try inode(chapter.appendingPathComponent(name)) != oldInode, "\(name) is the same inode as before")
        }
        #expect(try String(contentsOf: chapter.appendingPathComponent("README.md"), encoding: .utf8).contains("seed 2 ·"))
    }

    func inode(_ url: URL) throws -> UInt64 {
        var st = stat()
        #expect(stat(url.path, &st) == 0)
        return UInt64(st.st_ino)
    }

    @Test("SIGTERM during a run: exit status 143, staging folder removed, the old chapter intact, gnuplot stopped",
          .enabled(if: hasRealGnuplot, "gnuplot is not installed"))
    func sigterm() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try spawn("ch00-tour", ["--output", dir.path, "--quiet", "--seed", "1"]).status == 0)
        let old = snapshot(dir.appendingPathComponent("ch00-tour"))
        for sig in [SIGTERM, SIGINT] {
            // The fake gnuplot says when it runs, then blocks until it is killed: the test waits for
            // that event, not for a time (a 10 s wait for a 3 s sleep failed under load).
            let gate = try drawingGate()
            defer { try? FileManager.default.removeItem(at: gate.fake) }
            var env = path(with: gate.fake)
            env["DESCENT_GNUPLOT_TIMEOUT"] = "3600"  // only the signal may end the fake gnuplot
            let c = try Child("ch00-tour", ["--output", dir.path, "--quiet", "--seed", "2"], environment: env)
            #expect(gate.waitUntilDrawing(unless: c), "the chapter never reached gnuplot: \(c.stderr)")
            c.signal(sig)
            #expect(c.wait(atMost: watchdog), "the chapter did not stop after the signal")
            #expect(!c.signaled && c.status == 128 + sig, "status \(c.status), signaled \(c.signaled)")
            #expect(leftovers(dir).isEmpty, "left \(leftovers(dir))")
            #expect(snapshot(dir.appendingPathComponent("ch00-tour")) == old)
            #expect(eventually { !running(gate.marker) }, "the fake gnuplot's sleep still runs")
        }
    }

    /// Issue 19: two identical `book` runs into a new folder failed once with "a folder on the way
    /// does not exist". A run of a chapter removed the staging folder of a concurrent run of the
    /// same chapter that had created its `.lock` but not yet locked it. Here one thread makes
    /// staging folders (for a live process that is not this one, as a concurrent run's would be)
    /// while another cleans up abandoned ones, a bounded number of times.
    @Test("cleaning up abandoned staging folders never removes the folder of a run that is starting")
    func concurrentStagingCleanup() throws {
        let root = try tempDir()
        defer { try? FileManager.default.removeItem(at: root) }
        let other = getppid()  // alive, and not this process
        let staging = root.appendingPathComponent(".staging-chR-\(other)")
        let rounds = 4000
        let lost = Locked(0), done = Locked(false)
        let maker = Thread {
            for _ in 0..<rounds {
                guard let fd = try? Notebook.makeStaging(staging) else { lost.mutate { $0 += 1 }; continue }
                // The run now writes into its folder: it must still be there.
                if !FileManager.default.createFile(atPath: staging.appendingPathComponent(".probe").path, contents: Data()) {
                    lost.mutate { $0 += 1 }
                }
                close(fd)
                try? FileManager.default.removeItem(at: staging)
            }
            done.mutate { $0 = true }
        }
        maker.start()
        while !done.value { ChapterSwap.removeAbandonedStaging(in: root, slug: "chR") }
        #expect(lost.value == 0, "a starting run lost its staging folder \(lost.value) times in \(rounds)")
    }

    @Test("the rename-pair fallback publishes, and a run killed between its renames is repaired by the next run")
    func fallback() throws {
        let root = try tempDir()
        defer { try? FileManager.default.removeItem(at: root) }
        let chapter = root.appendingPathComponent("chX"), staging = root.appendingPathComponent(".staging-chX-1")
        let retired = root.appendingPathComponent(".retired-chX-\(getpid())")
        func folder(_ url: URL, _ text: String) throws {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try text.write(to: url.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        }
        func page() -> String? { try? String(contentsOf: chapter.appendingPathComponent("README.md"), encoding: .utf8) }
        try folder(staging, "first")
        #expect(try ChapterSwap.swap(staging, into: chapter, retired: retired, exchange: false) == .moved)
        try folder(staging, "second")
        #expect(try ChapterSwap.swap(staging, into: chapter, retired: retired, exchange: false) == .renamedPair)
        #expect(page() == "second" && leftovers(root).isEmpty)
        // Killed after the first rename of the pair: no chapter folder, a retired one of a dead run.
        let deadPID = Int32(99_999_999)
        let dead = root.appendingPathComponent(".retired-chX-\(deadPID)")
        try FileManager.default.moveItem(at: chapter, to: dead)
        ChapterSwap.recover(in: root, slug: "chX")
        #expect(page() == "second" && leftovers(root).isEmpty, "the old chapter was not put back")
        // Killed after the second rename: both exist; the retired one is removed.
        try folder(dead, "older")
        ChapterSwap.recover(in: root, slug: "chX")
        #expect(page() == "second" && leftovers(root).isEmpty)
        // The exchange path, where the system has it.
        if ChapterSwap.renameat2 != nil {
            try folder(staging, "third")
            #expect(try ChapterSwap.swap(staging, into: chapter, retired: retired) == .exchanged)
            #expect(page() == "third")
            #expect((try? String(contentsOf: staging.appendingPathComponent("README.md"), encoding: .utf8)) == "second")
        }
    }
}

/// A value shared between threads.
final class Locked<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T { lock.lock(); defer { lock.unlock() }; return stored }
    func mutate(_ change: (inout T) -> Void) { lock.lock(); defer { lock.unlock() }; change(&stored) }
}

/// How long a test waits for an event before it gives up: a guard against a hung child only,
/// never a measurement (a loaded machine may take many times longer than an idle one).
let watchdog = watchdogSeconds

/// Polls `condition` until it holds (true) or the watchdog expires (false).
func eventually(_ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(watchdog)
    while !condition() {
        if Date() > deadline { return false }
        usleep(10_000)
    }
    return true
}

/// A fake gnuplot that creates `started` when a chapter runs it and then sleeps (`marker`, an hour)
/// until it is killed: tests wait for the file, then act while the chapter is drawing.
struct DrawingGate {
    let fake: URL, started: URL, marker: String

    /// Waits until the fake gnuplot runs; false if `child` ended first or the watchdog expired.
    func waitUntilDrawing(unless child: Child) -> Bool {
        eventually { FileManager.default.fileExists(atPath: started.path) || !child.process.isRunning }
            && FileManager.default.fileExists(atPath: started.path)
    }
}

func drawingGate() throws -> DrawingGate {
    let marker = uniqueSleep(3600)
    let started = FileManager.default.temporaryDirectory.appendingPathComponent("gate-\(UUID().uuidString)")
    let fake = try fakeGnuplot("touch '\(started.path)'\n\(marker)\nexec \(realGnuplot ?? "gnuplot") \"$@\"")
    return DrawingGate(fake: fake, started: started, marker: marker)
}

/// `sleep <seconds>.<random digits>`: a command line no other process has, to find it in /proc.
func uniqueSleep(_ seconds: Int) -> String { "sleep \(seconds).\(UInt32.random(in: 100_000...999_999))" }

/// Whether a process whose command line contains `marker` runs.
func running(_ marker: String) -> Bool {
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int(entry) != nil {
        guard let raw = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
        if String(decoding: raw.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(marker) { return true }
    }
    return false
}

@Suite("Figures drawn by gnuplot are checked before they count")
struct VerifiedFigureTests {
    @Test("a gnuplot that exits 0 without drawing, or cuts a PNG or an SVG short, fails the chapter and keeps the old one",
          .enabled(if: hasRealGnuplot, "gnuplot is not installed"),
          arguments: [
            ("exit 0", "it was not written"),
            // Each fake touches only its own figure's files ($1 is <name>.gp): two run at once.
            ("\(realGnuplot ?? "gnuplot") \"$@\" && f=\"${1%.gp}.png\" && head -c 3000 \"$f\" > \"$f.t\" && mv \"$f.t\" \"$f\"", "no IEND"),
            ("\(realGnuplot ?? "gnuplot") \"$@\" && f=\"${1%.gp}.svg\" && head -c 3000 \"$f\" > \"$f.t\" && mv \"$f.t\" \"$f\"", "</svg>"),
            ("\(realGnuplot ?? "gnuplot") \"$@\" && : > \"${1%.gp}.png\"", "empty"),
          ])
    func incomplete(script: String, reason: String) throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try spawn("ch00-tour", ["--output", dir.path, "--quiet", "--seed", "1"]).status == 0)
        let old = snapshot(dir.appendingPathComponent("ch00-tour"))
        let fake = try fakeGnuplot(script)
        defer { try? FileManager.default.removeItem(at: fake) }
        let (run, _) = try runChild("ch00-tour", ["--output", dir.path, "--quiet", "--seed", "2"], environment: path(with: fake))
        #expect(run.status != 0 && !run.signaled)
        #expect(run.stderr.contains("did not produce a complete figure") && run.stderr.contains(reason), "\(run.stderr)")
        #expect(run.stderr.contains("is unchanged"))
        #expect(snapshot(dir.appendingPathComponent("ch00-tour")) == old, "the old chapter was touched")
        #expect(leftovers(dir).isEmpty)
    }

    @Test("--no-render and a missing gnuplot leave no old drawing next to new data, and say so",
          .enabled(if: hasRealGnuplot, "gnuplot is not installed"))
    func noStaleDrawings() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let chapter = dir.appendingPathComponent("ch00-tour")
        for (args, env, said) in [(["--no-render"], [String: String](), "drawings of earlier runs removed"),
                                  ([], ["PATH": "/nonexistent"], "drawings of earlier runs were removed")] {
            #expect(try spawn("ch00-tour", ["--output", dir.path, "--quiet", "--seed", "1"]).status == 0)
            #expect(FileManager.default.fileExists(atPath: chapter.appendingPathComponent("loss.svg").path))
            let (run, _) = try runChild("ch00-tour", ["--output", dir.path, "--seed", "2"] + args, environment: env)
            #expect(run.status == 0, "\(run.stderr)")
            let names = try FileManager.default.contentsOfDirectory(atPath: chapter.path)
            #expect(!names.contains { $0.hasSuffix(".svg") || $0.hasSuffix(".png") }, "stale drawings kept: \(names.sorted())")
            #expect((run.stdout + run.stderr).contains(said), "\(run.stdout)\n\(run.stderr)")
        }
    }

    @Test("a hanging gnuplot is stopped after DESCENT_GNUPLOT_TIMEOUT: chapter and book fail naming the script")
    func timeout() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Hangs for an hour: only the time limit ends it. No elapsed time is asserted:
        // the message says the limit stopped gnuplot, and the watchdog only guards against a hang.
        let marker = uniqueSleep(3600)
        // A shell that waits on a child: only killing the process group ends the child too.
        let fake = try fakeGnuplot("\(marker)\nexit 0")
        defer { try? FileManager.default.removeItem(at: fake) }
        var env = path(with: fake)
        env["DESCENT_GNUPLOT_TIMEOUT"] = "1"
        let (chapter, chapterFinished) = try runChild("ch00-tour", ["--output", dir.path, "--quiet"], environment: env,
                                                      timeout: watchdog)
        #expect(chapterFinished, "the chapter waited for the hanging gnuplot")
        #expect(chapter.status != 0 && chapter.stderr.contains("within 1 s") && chapter.stderr.contains(".gp"), "\(chapter.stderr)")
        #expect(chapter.stderr.contains("DESCENT_GNUPLOT_TIMEOUT"))
        let (book, bookFinished) = try runChild("book", ["--output", dir.path, "--only", "ch00-tour"], environment: env,
                                                timeout: watchdog)
        #expect(bookFinished, "book waited for the hanging gnuplot")
        #expect(book.status != 0 && book.stderr.contains("within 1 s") && !book.stderr.contains("Usage:"), "\(book.stderr)")
        #expect(eventually { !running(marker) }, "the hanging gnuplot's child still runs")
        env["DESCENT_GNUPLOT_TIMEOUT"] = "soon"
        let (bad, _) = try runChild("ch00-tour", ["--output", dir.path, "--quiet"], environment: env, timeout: watchdog)
        #expect(bad.status != 0 && bad.stderr.contains("DESCENT_GNUPLOT_TIMEOUT='soon' is not a number of seconds"))
    }
}

@Suite("Full disk (a 1.25 MB tmpfs)", .enabled(if: TmpFS.available, "cannot mount a tmpfs here (needs root)"))
struct FullDiskTests {
    @Test("a full disk while writing data or while gnuplot draws: a sentence, non-zero, the old chapter intact",
          .enabled(if: hasRealGnuplot, "gnuplot is not installed"),
          arguments: [60, 330])
    func fullDisk(freeKB: Int) throws {
        let disk = try TmpFS(kilobytes: 1280)
        defer { disk.unmount() }
        #expect(try spawn("ch00-tour", ["--output", disk.root.path, "--quiet", "--seed", "1"]).status == 0)
        let old = snapshot(disk.root.appendingPathComponent("ch00-tour"))
        try disk.fill(leavingKB: freeKB)
        let run = try spawn("ch00-tour", ["--output", disk.root.path, "--quiet", "--seed", "2"])
        #expect(run.status != 0 && !run.signaled)
        #expect(!run.stderr.contains("NSCocoaErrorDomain") && !run.stderr.contains("Error Domain"), "\(run.stderr)")
        #expect(run.stderr.contains("disk is full") || run.stderr.contains("did not produce a complete figure"), "\(run.stderr)")
        #expect(run.stderr.contains("free some space"))
        #expect(snapshot(disk.root.appendingPathComponent("ch00-tour")) == old)
        #expect(leftovers(disk.root).filter { $0 != ".filler" }.isEmpty)
    }
}

/// A small tmpfs mounted on a fresh folder (root only).
struct TmpFS {
    let root: URL

    static let available: Bool = {
        guard let disk = try? TmpFS(kilobytes: 64) else { return false }
        disk.unmount()
        return true
    }()

    init(kilobytes: Int) throws {
        root = try tempDir()
        let mount = try runProcess(URL(fileURLWithPath: "/bin/mount"), ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", root.path])
        guard mount.status == 0 && !mount.signaled else {
            try? FileManager.default.removeItem(at: root)
            throw POSIXError(.EPERM)
        }
    }

    /// Writes a filler file so that about `leavingKB` kilobytes stay free.
    func fill(leavingKB: Int) throws {
        var st = statvfs()
        statvfs(root.path, &st)
        let free = Int(st.f_bavail) * Int(st.f_frsize)
        let size = max(0, free - leavingKB * 1024)
        try Data(count: size).write(to: root.appendingPathComponent(".filler"))
    }

    func unmount() {
        _ = try? runProcess(URL(fileURLWithPath: "/bin/umount"), [root.path])
        try? FileManager.default.removeItem(at: root)
    }
}

@Suite("Bad output folders and options are refused before any work")
struct BadOutputTests {
    @Test("--output '' is refused and writes nothing into the working folder")
    func emptyOutput() throws {
        let cwd = try tempDir()
        defer { try? FileManager.default.removeItem(at: cwd) }
        for name in ["ch00-tour", "book"] {
            let (run, _) = try runChild(name, ["--output", "", "--quick", "--no-render"], cwd: cwd)
            #expect(run.status != 0 && run.stderr.contains("--output '' names no folder"), "\(name): \(run.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: cwd.path).isEmpty)
        }
    }

    @Test("an output path that cannot be created leaves none of the folders it started to make")
    func noEmptyFolders() throws {
        let base = try tempDir()
        defer { try? FileManager.default.removeItem(at: base) }
        let long = String(repeating: "x", count: 300)
        for name in ["ch00-tour", "book"] {
            let (run, _) = try runChild(name, ["--output", base.appendingPathComponent("new1/new2/\(long)").path, "--quick"])
            #expect(run.status != 0 && run.stderr.contains("name is too long") && run.stderr.contains("--output DIR"), "\(run.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: base.path).isEmpty, "\(name) left folders behind")
        }
    }

    @Test("a file where the output or the chapter folder goes is an error before any work, in a sentence")
    func fileInTheWay() throws {
        let base = try tempDir()
        defer { try? FileManager.default.removeItem(at: base) }
        let file = base.appendingPathComponent("ch00-tour")
        try "mine".write(to: file, atomically: true, encoding: .utf8)
        let (run, _) = try runChild("ch00-tour", ["--output", base.path, "--no-render"])
        #expect(run.status != 0 && run.stderr.contains("\(file.path) is a file") && run.stderr.contains("--output DIR"), "\(run.stderr)")
        #expect(!run.stdout.contains("Table 1"), "the chapter ran before refusing")
        #expect(try String(contentsOf: file, encoding: .utf8) == "mine")
        let (asRoot, _) = try runChild("ch00-tour", ["--output", file.path, "--no-render"])
        #expect(asRoot.status != 0 && asRoot.stderr.contains("it is a file, not a folder") && !asRoot.stderr.contains("Domain="),
                "\(asRoot.stderr)")
    }

    @Test("--seed -1 says the seed must be ≥ 0", arguments: ["ch00-tour", "book"])
    func negativeSeed(name: String) throws {
        let (run, _) = try runChild(name, ["--seed", "-1", "--output", "/nonexistent/never"])
        #expect(run.status != 0 && run.stderr.contains("seed must be ≥ 0") && !run.stderr.contains("Missing value"), "\(run.stderr)")
    }

    @Test("a seed is any integer from 0 to 2³² − 1: the ends are accepted, one past them refused with a sentence",
          arguments: ["ch00-tour", "book"])
    func seedRange(name: String) throws {
        for seed in ["4294967296", "18446744073709551615", "18446744073709551616"] {
            let (run, _) = try runChild(name, ["--seed", seed, "--output", "/nonexistent/never"])
            #expect(run.status == 64 && run.stderr.contains("seed must be an integer from 0 to 4294967295"), "\(seed): \(run.stderr)")
        }
        #expect(try ChapterOptions.parseSeed("4294967295") == 4_294_967_295)
        #expect(try ChapterOptions.parseSeed("0") == 0)
    }
}

@Suite("book: signals, --jobs, failures")
struct BookFaultTests {
    @Test("--jobs outside 1…64 is refused at once", arguments: ["0", "65", "\(Int.max)"])
    func jobs(value: String) throws {
        let (run, finished) = try runChild("book", ["--jobs", value, "--output", "/nonexistent/never"], timeout: watchdog)
        #expect(finished && run.status != 0 && run.stderr.contains("--jobs must be from 1 to 64"), "\(run.stderr)")
    }

    /// Issue 19: ch10 trapped (illegal instruction) on some seeds and left its staging folder; a
    /// trap cannot clean up in the process, so book, its parent, removes a dead chapter's folder.
    @Test("a chapter that dies by a signal leaves no staging folder: book removes it, in one error line")
    func trappedChapter() throws {
        let bin = try tempDir(), dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: bin); try? FileManager.default.removeItem(at: dir) }
        // book runs the chapters next to its own executable: a copy of book beside a chapter that
        // makes its staging folder (as Notebook does) and then traps.
        try FileManager.default.copyItem(at: builtExecutable("book"), to: bin.appendingPathComponent("book"))
        let chapter = bin.appendingPathComponent("ch00-tour")
        try "#!/bin/sh\nmkdir \"$2/.staging-ch00-tour-$$\" && touch \"$2/.staging-ch00-tour-$$/half.dat\"\nkill -ILL $$\n"
            .write(to: chapter, atomically: true, encoding: .utf8)
        chmod(chapter.path, 0o755)
        let run = try runProcess(bin.appendingPathComponent("book"), ["--output", dir.path, "--only", "ch00-tour", "--no-render"])
        let stderr = run.stderr
        #expect(run.status != 0 && stderr.contains("chapter ch00-tour failed (killed by signal 4)"), "\(stderr)")
        #expect(leftovers(dir).isEmpty, "left \(leftovers(dir))")
    }

    @Test("a failing chapter is reported without a misleading usage line")
    func failingChapter() throws {
        let dir = try tempDir()
        let fake = try fakeGnuplot("echo 'gnuplot: broken on purpose' >&2\nexit 1")
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: fake) }
        let (run, _) = try runChild("book", ["--output", dir.path, "--only", "ch00-tour"], environment: path(with: fake))
        #expect(run.status != 0 && run.stderr.contains("chapter ch00-tour failed") && run.stderr.contains("broken on purpose"),
                "\(run.stderr)")
        #expect(!run.stderr.contains("Usage:"), "\(run.stderr)")
    }

    @Test("SIGTERM and SIGINT are passed on to the chapters, and book waits for them",
          .enabled(if: hasRealGnuplot, "gnuplot is not installed"), arguments: [SIGTERM, SIGINT])
    func forwards(sig: Int32) throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let gate = try drawingGate()
        defer { try? FileManager.default.removeItem(at: gate.fake) }
        var env = path(with: gate.fake)
        env["DESCENT_GNUPLOT_TIMEOUT"] = "3600"
        let book = try Child("book", ["--output", dir.path, "--only", "ch00-tour"], environment: env)
        #expect(gate.waitUntilDrawing(unless: book), "the chapter never reached gnuplot: \(book.stderr)")
        book.signal(sig)
        #expect(book.wait(atMost: watchdog))
        #expect(book.status == 128 + sig && !book.signaled, "status \(book.status), \(book.stderr)")
        // book waited: no chapter (nor its gnuplot) runs any more, so none can publish later.
        #expect(!running("\(dir.path)"), "a chapter still runs after book exited")
        #expect(!running(gate.marker), "the chapter's gnuplot still runs after book exited")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("ch00-tour").path), "a chapter published after book exited")
        #expect(leftovers(dir).isEmpty, "\(leftovers(dir))")
    }
}

@Suite("File-system errors read as sentences")
struct FileProblemTests {
    @Test("Foundation's full-disk and file-exists errors become what failed, the path and what to do")
    func sentences() {
        let full = NSError(domain: NSCocoaErrorDomain, code: CocoaError.fileWriteOutOfSpace.rawValue, userInfo: [
            NSFilePathErrorKey: "/out/.staging-ch00-tour-7/loss.dat",
            NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC)),
        ])
        let text = FileProblem.sentence(full, doing: "writing chapter ch00-tour", path: "/out")
        #expect(text == "writing chapter ch00-tour failed at /out/.staging-ch00-tour-7/loss.dat: the disk is full "
                + "(no space left on device); free some space, or choose another folder with --output DIR")
        let exists = NSError(domain: NSCocoaErrorDomain, code: CocoaError.fileWriteFileExists.rawValue,
                             userInfo: [NSFilePathErrorKey: "/out/x"])
        #expect(FileProblem.sentence(exists, doing: "creating", path: "?")
                == "creating failed at /out/x: a file with that name is in the way; move the thing in the way, or choose another folder with --output DIR")
        #expect(FileProblem.sentence(GnuplotError.notInstalled, doing: "drawing", path: "/out") == nil)
    }
}
