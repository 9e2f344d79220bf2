import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `lab` through bash so a test can redirect or close its standard output:
/// `script` sees lab's path as "$0" and its arguments as "$@".
func labThroughShell(_ script: String, _ arguments: [String]) throws -> LabRun {
    try runProcess(URL(fileURLWithPath: "/bin/bash"), ["-c", script, labURL.path] + arguments)
}

/// Runs `lab` with its output sent to /dev/null and returns its exit status and its own peak
/// resident set size in KiB (getrusage of that child, through wait4).
func labPeakMemory(_ arguments: [String]) -> (status: Int32, kilobytes: Int) {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = ([labURL.path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, labURL.path, &actions, nil, argv, environ) == 0 else { return (-1, 0) }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
    return ((status >> 8) & 0xff, Int(usage.ru_maxrss))
}

@Suite("lab: limits, streaming and checked writes")
struct LabLimitsTests {
    static let commands: [[String]] = [
        ["optimize", "--function", "quadratic", "--start", "-5,-2", "--steps", "3000", "--optimizer", "sgd", "--lr", "0.1"],
        ["schedule", "--lr", "0.1", "--steps", "3000", "--schedule", "cosine:T=100"],
        ["find-lr", "--function", "quadratic", "--start", "-5,-2", "--optimizer", "sgd", "--steps", "3000"],
        ["optimize", "--function", "quadratic", "--start", "-5,-2", "--steps", "2", "--optimizer", "sgd", "--lr", "0.1",
         "--format", "table"],
        ["train", "--data", "moons", "--task", "classification", "--layers", "8", "--optimizer", "sgd", "--lr", "0.1", "--steps", "3000",
         "--eval-every", "1"],
        // Help is output too: into a full disk or a closed descriptor it must not exit 0.
        ["--help"], ["train", "--help"], ["find-lr", "--help"],
    ]

    @Test("a full disk (/dev/full) is exit 1 and one line saying the output is incomplete", arguments: commands)
    func fullDisk(_ arguments: [String]) throws {
        let run = try labThroughShell(#""$0" "$@" > /dev/full"#, arguments)
        #expect(run.status == 1 && !run.crashed)
        let lines = run.stderr.split(separator: "\n").filter { !$0.hasPrefix("suggested lr") }
        #expect(lines.count == 1 && lines[0].contains("output incomplete") && lines[0].contains("No space left on device"),
                "\(run.stderr)")
    }

    @Test("a closed standard output is exit 1 and one line saying so", arguments: commands)
    func closedOutput(_ arguments: [String]) throws {
        let run = try labThroughShell(#""$0" "$@" >&-"#, arguments)
        #expect(run.status == 1 && !run.crashed)
        #expect(run.stderr.split(separator: "\n").count == 1 && run.stderr.contains("output incomplete"), "\(run.stderr)")
    }

    @Test("a pipe closed by the reader is exit 1 and 'output incomplete', not a silent SIGPIPE")
    func closedPipe() throws {
        let run = try labThroughShell(#"set -o pipefail; "$0" "$@" | head -c 100 > /dev/null"#,
                                      ["schedule", "--lr", "0.1", "--steps", "1000000", "--schedule", "cosine:T=100"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("output incomplete") && run.stderr.contains("Broken pipe"), "\(run.stderr)")
    }

    /// The old code held every row (≈ 215 bytes per step) until the end: 500 000 steps took
    /// ≈ 130 MB; streamed, lab stays at its start-up size (≈ 22 MB).
    @Test("rows are streamed: peak memory does not grow with --steps", arguments: [
        ["optimize", "--function", "quadratic", "--start", "-5,-2", "--steps", "500000", "--optimizer", "adam", "--lr", "0.01"],
        ["schedule", "--lr", "0.1", "--steps", "1000000", "--schedule", "warm-restarts:T0=1"],
    ])
    func constantMemory(_ arguments: [String]) {
        let small = labPeakMemory(arguments.map { $0 == "500000" || $0 == "1000000" ? "10" : $0 })
        let large = labPeakMemory(arguments)
        #expect(small.status == 0 && large.status == 0)
        #expect(large.kilobytes < small.kilobytes + 20_000, "peak \(large.kilobytes) KiB vs \(small.kilobytes) KiB for 10 steps")
    }

    @Test("--steps above its documented bound is refused at once", arguments: [
        (["optimize", "--function", "quadratic", "--start", "1,1", "--optimizer", "sgd", "--lr", "0.1", "--steps"], "9223372036854775807"),
        (["optimize", "--function", "quadratic", "--start", "1,1", "--optimizer", "sgd", "--lr", "0.1", "--steps"], "4611686018427387904"),
        (["optimize", "--function", "quadratic", "--start", "1,1", "--optimizer", "sgd", "--lr", "0.1", "--steps"], "100000001"),
        (["schedule", "--lr", "0.1", "--schedule", "cosine:T=10", "--steps"], "9223372036854775807"),
        (["schedule", "--lr", "0.1", "--schedule", "cosine:T=10", "--steps"], "4611686018427387904"),
        (["find-lr", "--function", "quadratic", "--start", "1,1", "--optimizer", "sgd", "--steps"], "9223372036854775807"),
        (["find-lr", "--function", "quadratic", "--start", "1,1", "--optimizer", "sgd", "--steps"], "1000001"),
    ] as [([String], String)])
    func stepsBound(_ arguments: [String], _ steps: String) throws {
        let run = try lab(arguments + [steps])
        #expect(!run.timedOut, "lab ran the steps instead of refusing them")
        #expect(run.status == 64 && run.stdout.isEmpty && !run.crashed)
        #expect(run.stderr.contains("--steps must be at most"), "\(run.stderr)")
    }

    @Test("an option given twice is an error in every command, not 'last one wins'", arguments: [
        ["optimize", "--function", "quadratic", "--start", "1,1", "--steps", "3", "--optimizer", "sgd", "--lr", "0.1", "--lr", "0.2"],
        ["optimize", "--function", "quadratic", "--start", "1,1", "--steps", "3", "--optimizer", "sgd", "--lr=0.1", "--lr", "0.2"],
        ["optimize", "--function", "quadratic", "--start", "1,1", "--steps", "3", "--optimizer", "adam", "--lr", "0.1",
         "--amsgrad", "--amsgrad"],
        ["schedule", "--lr", "0.1", "--steps", "3", "--steps", "4", "--schedule", "constant"],
        ["find-lr", "--function", "quadratic", "--start", "1,1", "--optimizer", "sgd", "--min-lr", "1e-5", "--min-lr", "1e-4"],
        ["find-lr", "--function", "quadratic", "--function", "saddle", "--start", "1,1", "--optimizer", "sgd"],
    ])
    func repeatedOption(_ arguments: [String]) throws {
        let run = try lab(arguments)
        #expect(run.status == 64 && run.stdout.isEmpty)
        #expect(run.stderr.contains("is given more than once") && run.stderr.contains("lab \(arguments[0]) --help"), "\(run.stderr)")
    }

    @Test("schedules: 'constant:' and overflowing rates are refused before any row; cosine with a huge min stays finite")
    func scheduleSpecs() throws {
        let colon = try lab(["schedule", "--lr", "0.1", "--steps", "3", "--schedule", "constant:"])
        #expect(colon.status == 64 && colon.stdout.isEmpty && colon.stderr.contains("':' with nothing after it"))
        for args in [["schedule", "--lr", "0.1", "--steps", "10", "--schedule", "exponential:gamma=1e308"],
                     ["optimize", "--function", "quadratic", "--start", "1,1", "--steps", "10", "--optimizer", "sgd",
                      "--lr", "0.1", "--schedule", "exponential:gamma=1e308"]] {
            let run = try lab(args)
            #expect(run.status == 64 && run.stdout.isEmpty, "\(args)")
            #expect(run.stderr.contains("overflows: its rate at step 2 is inf"), "\(run.stderr)")
        }
        let cosine = try lab(["schedule", "--lr", "0.1", "--steps", "25", "--schedule", "cosine:T=10,min=1e308"])
        #expect(cosine.status == 0)
        let rates = cosine.lines.dropFirst().map { Double($0.split(separator: ",")[1])! }
        #expect(rates.count == 25 && rates.allSatisfy(\.isFinite) && rates[0] == 0.1 && rates[10] == 1e308 && rates[20] == 0.1)
    }

    /// Row i of the sweep: the rate αᵢ = α_min·(α_max/α_min)^(i/(N−1)) and the loss after the SGD
    /// update with αᵢ. On 0.1x² + 2y², SGD maps x ← x − α·0.2x, y ← y − α·4y.
    @Test("find-lr: row i holds αᵢ and the loss after the update with αᵢ (no shift by one step)")
    func findLRRows() throws {
        let run = try lab(["find-lr", "--function", "quadratic", "--start", "-5,-2", "--optimizer", "sgd",
                           "--min-lr", "0.001", "--max-lr", "0.1", "--steps", "5"])
        #expect(run.status == 0)
        let rows = run.lines.dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        try #require(rows.count == 5)
        var x = -5.0, y = -2.0
        for (i, row) in rows.enumerated() {
            let rate = 0.001 * Foundation.pow(100, Double(i) / 4)
            #expect(row[0] == Double(i) && close(row[1], rate, rel: 1e-15), "row \(i): lr \(row[1]) vs \(rate)")
            x -= rate * (0.2 * x)
            y -= rate * (4 * y)
            #expect(close(row[2], 0.1 * x * x + 2 * y * y, rel: 1e-13), "row \(i): loss \(row[2])")
        }
        #expect(close(rows[0][1], 0.001, rel: 1e-15) && close(rows[4][1], 0.1, rel: 1e-15))
    }
}
