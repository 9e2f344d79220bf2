// Running the built executables (lab, book, the chapters, the test bundle itself) from tests: one
// home for finding them, starting them with their output in files, a watchdog, and what they printed.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An executable built next to the test bundle (`lab`, `book`, a chapter), else `.build/debug/NAME`.
public func builtExecutable(_ name: String) -> URL {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: ".build/debug/\(name)")
}

/// How long a process may run before the watchdog kills it. A guard that keeps a hang from stalling
/// the suite, not a time limit under test: no test asserts how long a run took (it would fail on a
/// busy machine); a test that needs "it did not hang" asserts `!timedOut`.
public let watchdogSeconds = 300.0

/// What a finished process printed and how it ended.
public struct ProcessRun: Sendable {
    /// The exit status, or the signal's number when a signal ended it.
    public let status: Int32
    /// Whether a signal ended it.
    public let signaled: Bool
    /// Whether it outlived the watchdog and was killed: a hang, never a legitimate result.
    public let timedOut: Bool
    public let stdout: String
    public let stderr: String

    public init(status: Int32, signaled: Bool, timedOut: Bool = false, stdout: String, stderr: String) {
        self.status = status
        self.signaled = signaled
        self.timedOut = timedOut
        self.stdout = stdout
        self.stderr = stderr
    }

    /// Ended by a signal it was not sent by the watchdog (a trap, an abort).
    public var crashed: Bool { signaled && !timedOut }
    /// stdout's lines.
    public var lines: [String] { stdout.split(separator: "\n").map(String.init) }
}

/// A started process whose standard output and error go to files in a temporary folder, so a test
/// can signal it, wait for it and read what it printed (the folder goes when this does).
public final class RunningProcess: @unchecked Sendable {
    public let process = Process()
    public let stdoutFile: URL
    public let stderrFile: URL
    private let folder: URL

    /// Starts `executable` with `arguments`. `environment` replaces the whole environment (nil: this
    /// process's); standard input is /dev/null unless given; `standardOutput`, when given, replaces
    /// the stdout file (e.g. /dev/full).
    public init(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
                currentDirectory: URL? = nil, standardInput: FileHandle = .nullDevice,
                standardOutput: FileHandle? = nil) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("test-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        stdoutFile = folder.appendingPathComponent("stdout")
        stderrFile = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        process.standardInput = standardInput
        process.standardOutput = try standardOutput ?? FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Sends `signal` to the process.
    public func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits at most `seconds` for the end; after that SIGKILLs it and returns false.
    @discardableResult
    public func wait(atMost seconds: Double = watchdogSeconds) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return false
        }
        process.waitUntilExit()
        return true
    }

    public var status: Int32 { process.terminationStatus }
    public var signaled: Bool { process.terminationReason == .uncaughtSignal }
    public var stdout: String { (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

    /// Waits (watchdog `seconds`) and returns what it printed.
    public func finish(atMost seconds: Double = watchdogSeconds) -> ProcessRun {
        let finished = wait(atMost: seconds)
        return ProcessRun(status: status, signaled: signaled, timedOut: !finished, stdout: stdout, stderr: stderr)
    }
}

/// Runs `executable` to its end (killed after `watchdog` seconds) and returns what it printed.
public func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
                       currentDirectory: URL? = nil, watchdog: Double = watchdogSeconds) throws -> ProcessRun {
    try RunningProcess(executable, arguments, environment: environment, currentDirectory: currentDirectory)
        .finish(atMost: watchdog)
}

/// This process's environment with `changes` applied.
public func environment(with changes: [String: String]) -> [String: String] {
    ProcessInfo.processInfo.environment.merging(changes) { $1 }
}
