import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

// Issue 19: lab's inputs (data and parameter files that are devices, FIFOs, hostile or huge), its
// output file (--save-params) and its output on a full disk. Every refusal is one sentence on
// stderr, a non-zero exit, nothing on stdout and no file written.
//
// Guards, not assertions: the shell wrappers cap lab's address space (so a regression that reads
// /dev/zero or allocates 28.8 GB dies quickly instead of filling the machine) and kill a child that
// hangs (a FIFO with no writer, --steps 2⁶³−1) after a generous watchdog; the tests assert what happened.

/// Runs lab with its address space capped at 2 GB and killed (SIGKILL, status 137) after `watchdog` seconds.
private func guarded(_ arguments: [String], watchdog: Int = 60, environment: [String: String] = [:]) throws -> LabRun {
    let exports = environment.map { "export \($0.key)='\($0.value)'; " }.joined()
    return try labThroughShell(exports + "ulimit -v 2000000; exec timeout -s KILL \(watchdog) \"$0\" \"$@\"", arguments)
}

private let quick = ["--optimizer", "adam", "--lr", "0.01", "--layers", "4"]

/// One line on stderr that contains every fragment, exit status 1, nothing on stdout, no crash.
private func expectRefusal(_ run: LabRun, _ fragments: String..., status: Int32 = 1,
                           sourceLocation: SourceLocation = #_sourceLocation) {
    let lines = run.stderr.split(separator: "\n")
    #expect(run.status == status && !run.crashed, "status \(run.status): \(run.stderr.prefix(400))", sourceLocation: sourceLocation)
    #expect(run.stdout.isEmpty, "stdout: \(run.stdout.prefix(200))", sourceLocation: sourceLocation)
    #expect(lines.count == 1, "stderr: \(run.stderr.prefix(400))", sourceLocation: sourceLocation)
    for f in fragments {
        #expect(run.stderr.contains(f), "'\(f)' not in: \(run.stderr.prefix(400))", sourceLocation: sourceLocation)
    }
}


@Suite("lab: hostile and huge inputs")
struct LabInputsTests {
    @Test("--data or --init-params naming /dev/zero or /dev/urandom: one line naming it, exit 1, no crash", arguments: [
        (["train", "--data", "/dev/zero"], "/dev/zero"),
        (["train", "--data", "/dev/urandom"], "/dev/urandom"),
        (["find-lr", "--data", "/dev/zero", "--optimizer", "sgd"], "/dev/zero"),
        (["train", "--data", "moons", "--init-params", "/dev/zero"], "--init-params '/dev/zero'"),
    ] as [([String], String)])
    func devices(_ arguments: [String], _ name: String) throws {
        let run = try guarded(arguments + (arguments[0] == "train" ? quick : []))
        expectRefusal(run, name)
    }

    @Test("a device or pipe that never ends is read up to the memory limit, which the error names")
    func endlessPipe() throws {
        // `yes`-like text without a line end: the bound, not a NUL byte or a bad cell, stops it. The
        // writers' own "Broken pipe" when lab stops reading goes to /dev/null: it is not lab's output.
        let run = try labThroughShell(#"export LAB_MEMORY_LIMIT=3000000; ulimit -v 2000000; exec timeout -s KILL 60 "$0" "$@" --data <(yes 2>/dev/null | tr -d '\n' 2>/dev/null)"#,
                                      ["train"] + quick)
        expectRefusal(run, "not a regular file", "3 MB (the memory limit")
    }

    @Test("--data from a pipe with a writer (process substitution) is read as a file")
    func pipeWithWriter() throws {
        let run = try labThroughShell(#"exec "$0" "$@" --data <(printf 'a,y\n1,0\n2,1\n3,0\n4,1\n5,0\n')"#,
                                      ["train", "--steps", "2", "--validation", "0"] + quick)
        #expect(run.status == 0 && run.lines.count == 3, "\(run.stderr)")
    }

    @Test("a FIFO with no writer, as --data or --init-params, is refused at once instead of waited on", arguments: ["--data", "--init-params"])
    func fifoWithoutWriter(_ flag: String) throws {
        let s = try Scratch()
        let fifo = s.url.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let arguments = flag == "--data" ? ["train", "--data", fifo] : ["train", "--data", "moons", "--init-params", fifo]
        let run = try guarded(arguments + quick, watchdog: 30)
        expectRefusal(run, fifo, "no writer")
    }

    @Test("--task classification with 60,000 distinct targets is refused naming the class limit, before allocating")
    func tooManyClasses() throws {
        let s = try Scratch()
        let path = try s.file("d.csv", "a,y\n" + (0..<60_000).map { "\($0 % 7),\($0)" }.joined(separator: "\n") + "\n")
        let run = try guarded(["train", "--data", path, "--task", "classification"] + quick)
        expectRefusal(run, path, "60000 distinct values", "10000 classes (the class limit)")
    }

    @Test("one-hot targets larger than the memory limit are refused naming both sizes")
    func oneHotMemory() throws {
        let s = try Scratch()
        let path = try s.file("d.csv", "a,y\n" + (0..<2_000).map { "\($0 % 7),\($0)" }.joined(separator: "\n") + "\n")
        let run = try guarded(["train", "--data", path, "--task", "classification"] + quick, environment: ["LAB_MEMORY_LIMIT": "1000000"])
        expectRefusal(run, "2000 rows × 2000 classes need 32.0 MB of memory as one-hot targets")
    }

    @Test("--steps above the documented 10⁸ bound is refused by train at once", arguments: ["9223372036854775807", "100000001"])
    func trainStepsBound(_ steps: String) throws {
        let run = try guarded(["train", "--data", "moons", "--steps", steps] + quick, watchdog: 30)
        #expect(run.status == 64 && run.stdout.isEmpty && !run.crashed, "status \(run.status)")
        #expect(run.stderr.contains("--steps must be at most 100000000 (10⁸), got \(steps)"), "\(run.stderr)")
    }

    @Test("find-lr: a range that is not positive, finite and increasing, or whose sweep points are not, is refused", arguments: [
        ["--min-lr", "0"], ["--max-lr", "inf"], ["--max-lr", "nan"], ["--min-lr", "nan"], ["--min-lr", "-1e-3"],
        ["--min-lr", "5e-324"], ["--min-lr", "1e-300", "--max-lr", "1e308"], ["--min-lr", "1", "--max-lr", "0.5"],
        ["--min-lr", "1", "--max-lr", "1"], ["--min-lr", "1", "--max-lr", "1.0000000000000002"],
    ])
    func findLRRanges(_ range: [String]) throws {
        for base in [["find-lr", "--function", "quadratic", "--start", "-5,-2", "--optimizer", "sgd"],
                     ["find-lr", "--data", "moons", "--optimizer", "sgd", "--train-steps", "8", "--layers", "4"]] {
            let run = try guarded(base + range, watchdog: 120)
            #expect(run.status == 64 && run.stdout.isEmpty && !run.crashed, "\(range): status \(run.status) \(run.stderr.prefix(300))")
        }
    }

    @Test("find-lr --data: a tiny --min-lr is a sweep like any other; verified never tries a rate below it")
    func findLRTinyMinimum() throws {
        let run = try lab(["find-lr", "--data", "moons", "--optimizer", "sgd", "--min-lr", "1e-306", "--max-lr", "1e-300",
                           "--train-steps", "8", "--layers", "4"])
        #expect(run.status == 0, "\(run.stderr)")
        let rates = run.stderr.split(separator: "\n").filter { $0.contains("verified trial") }.map { line in
            let w = line.split(separator: " ")
            return Double(w[w.firstIndex(of: "lr")! + 1].trimmingCharacters(in: [","]))!
        }
        #expect(!rates.isEmpty && rates.allSatisfy { $0 >= 1e-306 && $0.isNormal }, "\(rates)")
    }

    /// Before the fix the squares overflowed: σ = ∞, every standardised target 0, and any two such
    /// targets gave the same curve.
    @Test("regression targets near 1e160: the curve is not degenerate and two different targets give different curves")
    func hugeTargets() throws {
        let s = try Scratch()
        let xs = (0..<40).map { Double($0 % 10) - 4.5 }
        let a = try s.file("a.csv", "x,y\n" + xs.map { "\($0),\($0 * 1e160)" }.joined(separator: "\n") + "\n")
        let b = try s.file("b.csv", "x,y\n" + xs.map { "\($0),\($0 * $0 * 1e160)" }.joined(separator: "\n") + "\n")
        let args = ["train", "--task", "regression", "--steps", "0", "--validation", "0"] + quick
        let ra = try lab(args + ["--data", a]), rb = try lab(args + ["--data", b])
        #expect(ra.status == 0 && rb.status == 0, "\(ra.stderr) \(rb.stderr)")
        let la = try #require(ra.lines.dropFirst().first.map(fields)), lb = try #require(rb.lines.dropFirst().first.map(fields))
        #expect(la[2] != lb[2], "the same training loss \(la[2]) for two different targets")
        // Standardised targets have variance 1: the loss of a small initial network is near 1, not near 0.
        #expect(Double(la[2])! > 0.2 && Double(lb[2])! > 0.2, "\(la[2]), \(lb[2])")
    }

    @Test("a hex float, a NUL byte in a cell and a doubled BOM are refused naming line and column", arguments: [
        ("a,y\n1,0\n0x1p3,1\n", "line 3, column 1"),
        ("a,y\n1,0\n2,1\u{0}0\n", "line 3, column 2"),
        ("a,y\n1,0\n2,1\u{0}\n", "line 3, column 2"),
        ("\u{FEFF}\u{FEFF}a,y\n1,0\n2,1\n", "line 1, column 1"),
    ])
    func refusedNumbers(_ csv: String, _ place: String) throws {
        let s = try Scratch()
        let path = try s.file("d.csv", csv)
        let run = try lab(["train", "--data", path] + quick)
        expectRefusal(run, "\(path), \(place)")
    }

    @Test("a cell or column name with control characters is quoted on one line, escaped and cut short")
    func controlCharactersInMessage() throws {
        // What /dev/urandom did at random (6 lines in one attack run): a quoted cell that held a
        // carriage return, a vertical tab or U+0085 broke the one-line error into several.
        let s = try Scratch()
        let long = String(repeating: "x", count: 5_000)
        let path = try s.file("d.csv", "a\u{0B}\(long),y\n1,0\n2\r3\u{85}4\u{2028},1\n")
        let run = try lab(["train", "--data", path] + quick)
        #expect(run.status == 1 && !run.crashed && run.stdout.isEmpty, "\(run.status)")
        let lines = run.stderr.split(whereSeparator: \.isNewline)
        #expect(lines.count == 1 && run.stderr.count < 600, "\(lines.count) lines, \(run.stderr.count) characters")
        #expect(run.stderr.contains("line 3, column 1") && run.stderr.contains("\\u{b}") && run.stderr.hasSuffix("…\n"), "\(run.stderr.prefix(300))")
    }

    @Test("a file larger than memory whose first GiB holds no row is refused from its size, not read to the end")
    func hugeSparseFile() throws {
        let s = try Scratch()
        let path = try s.file("sparse.csv", "")
        #expect(truncate(path, 64 << 30) == 0)
        let run = try guarded(["train", "--data", path] + quick, watchdog: 200, environment: ["LAB_MEMORY_LIMIT": "1000000"])
        expectRefusal(run, "the file is 68719 MB, more than the 1 MB available")
    }

    @Test("find-lr --data refuses a network too large for memory before allocating it (train already did)")
    func findLRNetworkTooLarge() throws {
        let run = try guarded(["find-lr", "--data", "moons", "--optimizer", "sgd", "--steps", "30", "--layers", "99999,99999"])
        expectRefusal(run, "--layers: the", "more than the")
    }

    @Test("find-lr: a sweep that diverges at its first rate is an error, not an empty table with exit 0")
    func findLRDivergesAtOnce() throws {
        let run = try guarded(["find-lr", "--function", "quadratic", "--start", "-5,-2", "--optimizer", "sgd", "--steps", "50",
                               "--min-lr", "1e300", "--max-lr", "1.7e308"])
        expectRefusal(run, "the sweep diverged at its first rate (--min-lr 1e+300)")
    }

    @Test("train refuses a schedule whose rate overflows, as optimize and schedule do")
    func trainScheduleOverflow() throws {
        let run = try lab(["train", "--data", "moons", "--steps", "20", "--schedule", "exponential:gamma=1e308"] + quick)
        // A usage error, worded and laid out as optimize's (its "Usage:" lines follow).
        #expect(run.status == 64 && run.stdout.isEmpty && !run.crashed, "status \(run.status)")
        #expect(run.stderr.hasPrefix("Error: --schedule 'exponential:gamma=1e+308' with --lr 0.01 overflows"), "\(run.stderr)")
    }
}

@Suite("lab: --save-params is written whole or not at all, and only where it may be")
struct SaveParamsTests {
    /// Starts a long `lab train --save-params` and kills it with `signal` once it has printed its first row.
    /// Spawned with an empty signal mask and default dispositions: the test runner's threads block
    /// SIGTERM, and a child started through Foundation's Process would inherit that.
    func killMidRun(_ signal: Int32) throws -> [String] {
        let s = try Scratch()
        let out = s.url.appendingPathComponent("p.json").path
        let arguments = ["train", "--data", "moons", "--steps", "10000000", "--eval-every", "1", "--save-params", out] + quick
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv: [UnsafeMutablePointer<CChar>?] = ([labURL.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, labURL.path, &actions, &attributes, argv, environ)
        close(fds[1])
        defer { close(fds[0]) }
        try #require(spawned == 0)
        // Wait for the event, not for time: the header and row 0 mean training has started.
        var newlines = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        while newlines < 2 {
            let n = read(fds[0], &buffer, buffer.count)
            if n <= 0 { break }
            newlines += buffer[0..<n].filter { $0 == 10 }.count
        }
        kill(pid, signal)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        #expect(status & 0x7f == signal, "lab ended with wait status \(status), not by signal \(signal)")
        return s.contents
    }

    @Test("SIGKILL or SIGTERM during training leaves no file behind (no PATH.tmp-PID)", arguments: [SIGKILL, SIGTERM])
    func killed(_ signal: Int32) throws {
        let left = try killMidRun(signal)
        #expect(left.isEmpty, "left behind: \(left)")
    }

    @Test("a symbolic link to a regular file is written through: the link stays, its target gets the parameters")
    func symlinkThrough() throws {
        let s = try Scratch()
        let target = try s.file("real.json", "old")
        let link = s.url.appendingPathComponent("link.json").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let run = try lab(["train", "--data", "moons", "--steps", "2", "--save-params", link] + quick)
        #expect(run.status == 0, "\(run.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: link)
        #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink, "the link was replaced by \(String(describing: attributes[.type]))")
        #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("{\"layers\""))
        #expect(Set(s.contents) == ["real.json", "link.json"], "\(s.contents)")
    }

    /// (Not /dev/null itself: a regression would rename a file over it, for everyone on the machine.)
    @Test("refused before any work: a link to /dev/stdout, a dangling link, a directory, an empty path, a missing folder, a FIFO")
    func refusedDestinations() throws {
        let s = try Scratch()
        let stdoutLink = s.url.appendingPathComponent("stdout.json").path
        try FileManager.default.createSymbolicLink(atPath: stdoutLink, withDestinationPath: "/dev/stdout")
        let dangling = s.url.appendingPathComponent("dangling.json").path
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: s.url.appendingPathComponent("nowhere/x").path)
        let fifo = s.url.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let cases: [(String, String)] = [
            (stdoutLink, "not a regular file"), (dangling, "does not exist"), (s.url.path, "is a directory"),
            ("", "an empty path"), (s.url.path + "/missing/p.json", "cannot create a file there"), (fifo, "not a regular file"),
        ]
        for (path, fragment) in cases {
            let run = try lab(["train", "--data", "moons", "--steps", "100000", "--save-params", path] + quick)
            expectRefusal(run, "--save-params '\(path)'", fragment)
        }
        #expect(Set(s.contents) == ["stdout.json", "dangling.json", "fifo"], "\(s.contents)")
    }

    @Test("--save-params naming the --data file (by any path to it) is refused and the data is untouched")
    func sameAsData() throws {
        let s = try Scratch()
        let csv = "a,y\n1,0\n2,1\n3,0\n4,1\n"
        let data = try s.file("d.csv", csv)
        let link = s.url.appendingPathComponent("alias.csv").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: data)
        for path in [data, link, s.url.path + "/./d.csv"] {
            let run = try lab(["train", "--data", data, "--steps", "2", "--save-params", path] + quick)
            expectRefusal(run, "--save-params '\(path)'", "is the file --data")
        }
        #expect(try String(contentsOfFile: data, encoding: .utf8) == csv)
    }
}

@Suite("lab: a full disk and an empty plot")
struct LabOutputFaultTests {
    /// A gnuplot that reads the script and draws a one-line "plot".
    static let drawing = "cat > /dev/null; echo '  a plot'; exit 0"

    @Test("stdout on a full disk: exactly one line, exit 1, for train and find-lr in every format (the task note is not printed)", arguments: [
        ["train", "--data", "moons", "--steps", "20", "--format", "csv"],
        ["train", "--data", "moons", "--steps", "20", "--format", "table"],
        ["train", "--data", "moons", "--steps", "20", "--format", "plot"],
        ["find-lr", "--data", "moons", "--optimizer", "sgd", "--steps", "20", "--train-steps", "8", "--layers", "4"],
        ["find-lr", "--data", "moons", "--optimizer", "sgd", "--steps", "20", "--train-steps", "8", "--layers", "4", "--format", "plot"],
        ["find-lr", "--function", "quadratic", "--start", "-5,-2", "--optimizer", "sgd", "--steps", "20", "--format", "plot"],
    ])
    func fullDisk(_ arguments: [String]) throws {
        let fake = try fakeGnuplot(Self.drawing)
        defer { try? FileManager.default.removeItem(at: fake) }
        let args = arguments[0] == "train" ? arguments + quick : arguments
        let run = try labThroughShell("export PATH='\(fake.path)':\"$PATH\"; \"$0\" \"$@\" > /dev/full", args)
        #expect(run.status == 1 && !run.crashed)
        let lines = run.stderr.split(separator: "\n").filter { !$0.hasPrefix("suggested lr") }
        #expect(lines.count == 1 && lines[0].contains("output incomplete") && lines[0].contains("No space left on device"),
                "\(run.stderr)")
    }

    @Test("a gnuplot that exits 0 and prints nothing is an error (one line, exit 1), not an empty plot", arguments: [
        ["schedule", "--lr", "0.1", "--steps", "10", "--schedule", "cosine:T=10", "--format", "plot"],
        ["train", "--data", "moons", "--steps", "4", "--format", "plot", "--optimizer", "sgd", "--lr", "0.1", "--layers", "4"],
        ["find-lr", "--function", "quadratic", "--start", "-5,-2", "--optimizer", "sgd", "--steps", "20", "--format", "plot"],
    ])
    func silentGnuplot(_ arguments: [String]) throws {
        for body in ["cat > /dev/null; exit 0", "cat > /dev/null; printf '\\f\\n   \\n'; exit 0"] {
            let fake = try fakeGnuplot(body)
            defer { try? FileManager.default.removeItem(at: fake) }
            let run = try lab(arguments, environment: ["PATH": "\(fake.path):/usr/bin:/bin"])
            #expect(run.status == 1 && !run.crashed && run.stdout.isEmpty, "status \(run.status), stdout \(run.stdout.debugDescription)")
            let lines = run.stderr.split(separator: "\n").filter { !$0.hasPrefix("suggested lr") && !$0.hasPrefix("task:") }
            #expect(lines.count == 1 && run.stderr.contains("printed no plot"), "\(run.stderr)")
        }
    }
}

@Suite("lab train: --seed draws the validation split")
struct SeedSplitTests {
    /// The same initial weights (--init-params) for every run, so only the split depends on the seed.
    @Test("different seeds hold out different rows (different step-0 losses); the same seed gives identical output")
    func seedChangesSplit() throws {
        let s = try Scratch()
        let params = s.url.appendingPathComponent("p.json").path
        let base = ["train", "--data", "moons", "--validation", "0.3", "--steps", "0", "--layers", "4", "--optimizer", "sgd", "--lr", "0.1"]
        let save = try lab(base + ["--save-params", params])
        #expect(save.status == 0, "\(save.stderr)")
        func row0(_ seed: String) throws -> (String, [String]) {
            let run = try lab(base + ["--init-params", params, "--seed", seed])
            #expect(run.status == 0, "\(run.stderr)")
            return (run.stdout, try #require(run.lines.dropFirst().first.map(fields)))
        }
        let (out1, a) = try row0("1"), (out1again, _) = try row0("1"), (_, b) = try row0("2"), (_, c) = try row0("3")
        #expect(out1 == out1again)
        #expect(a[3] != b[3] && a[3] != c[3] && b[3] != c[3], "val_loss \(a[3]), \(b[3]), \(c[3])")
        #expect(a[2] != b[2], "train_loss \(a[2]), \(b[2])")
    }
}
