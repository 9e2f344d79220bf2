#if canImport(FoundationEssentials)
import FoundationEssentials  // not all of Foundation: `lab` links Figures and starts faster without ICU
#else
import Foundation
#endif
import Subprocess
import Synchronization
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs gnuplot as a child process.
///
/// The script reaches gnuplot's standard input from an in-memory file (not a pipe), so a gnuplot
/// that exits or crashes before reading it cannot make the write fail: writing a script through
/// swift-subprocess's pipe writer while the child died made it abandon an open descriptor and
/// trap ("FileDescriptor … was not closed") in about one run in ten. Both output streams are
/// collected concurrently. Each run has a time limit (``timeoutSeconds()``): gnuplot runs in its
/// own process group, and the whole group is killed when the limit passes. A gnuplot error
/// becomes a ``GnuplotError`` quoting gnuplot's message, which names the script line.
public enum Gnuplot {
    /// How to install gnuplot, for messages.
    public static let installHint =
        "gnuplot is not installed: on Debian/Ubuntu run `apt-get install gnuplot gnuplot-nox`, on macOS `brew install gnuplot`"

    /// The default time limit of one gnuplot run, in seconds.
    public static let defaultTimeout = 60.0

    /// The time limit of one gnuplot run: `DESCENT_GNUPLOT_TIMEOUT` (seconds, > 0) or 60.
    ///
    /// - Throws: ``GnuplotError/badTimeout(_:)`` when the variable is set but is not a positive number.
    public static func timeoutSeconds(environment: [String: String] = currentEnvironment()) throws -> Double {
        guard let text = environment["DESCENT_GNUPLOT_TIMEOUT"] else { return defaultTimeout }
        guard let value = Double(text.trimmed), value > 0, value.isFinite else { throw GnuplotError.badTimeout(text) }
        return value
    }

    /// The gnuplot executable found on `PATH`, or nil.
    public static func executablePath(environment: [String: String] = currentEnvironment()) -> String? {
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/gnuplot"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Whether gnuplot is on `PATH`.
    public static var isAvailable: Bool { executablePath() != nil }

    /// Runs `script` through gnuplot and returns its standard output; `name` says what the
    /// script draws, for messages.
    ///
    /// - Throws: ``GnuplotError``.
    public static func run(_ script: String, name: String = "a gnuplot script", workingDirectory: String? = nil) async throws -> String {
        try await run(arguments: [], input: script, name: name, workingDirectory: workingDirectory)
    }

    /// Runs gnuplot with `arguments` (e.g. a script file name) and optional standard input,
    /// returning its standard output. `name` (default: the first argument) names the script in
    /// messages.
    public static func run(arguments: [String], input: String = "", name: String? = nil,
                           workingDirectory: String? = nil) async throws -> String {
        guard let exe = executablePath() else { throw GnuplotError.notInstalled }
        let scriptName = name ?? arguments.first ?? "a gnuplot script"
        let limit = try timeoutSeconds()
        signal(SIGPIPE, SIG_IGN)
        let stdinFD = try inputDescriptor(input)
        let child = RunningGnuplot()
        // A process that is stopping (killAll) starts no more gnuplots.
        guard child.beginSpawn() else { throw CancellationError() }
        // Cancelled (e.g. another figure failed): kill the whole group, not just gnuplot.
        let outcome: RunOutcome = try await withTaskCancellationHandler { try await withThrowingTaskGroup(of: RunOutcome?.self) { group in
            group.addTask {
                defer { child.finished() }
                var options = PlatformOptions()
                options.processGroupID = 0  // its own group: a timeout kills gnuplot and anything it started
                let result = try await Subprocess.run(
                    .path(FilePath(exe)),
                    arguments: Arguments(arguments),
                    workingDirectory: workingDirectory.map { FilePath($0) },
                    platformOptions: options,
                    input: .fileDescriptor(FileDescriptor(rawValue: stdinFD), closeAfterSpawningProcess: true),
                    output: .string(limit: 64 << 20),
                    error: .string(limit: 1 << 20)
                ) { execution in
                    child.started(execution.processIdentifier.value)
                }
                return .finished(result.terminationStatus, result.standardOutput, result.standardError)
            }
            group.addTask {
                do { try await Task.sleep(nanoseconds: UInt64(min(limit, 1e9) * 1e9)) } catch { return nil }
                return child.killIfRunning() ? .timedOut : nil
            }
            while let next = try await group.next() {
                guard let next, case .finished = next else { continue }
                group.cancelAll()
                return child.wasKilled ? .timedOut : next
            }
            return .timedOut
        } } onCancel: { _ = child.killIfRunning() }
        switch outcome {
        case .timedOut:
            throw GnuplotError.timedOut(script: scriptName, seconds: limit)
        case .finished(let status, let stdout, let stderr):
            guard case .exited(0) = status else {
                throw GnuplotError.failed(status: describe(status), message: stderr.trimmed)
            }
            // gnuplot reports some problems (e.g. warnings) without failing; errors exit non-zero.
            return stdout
        }
    }

    private enum RunOutcome: Sendable {
        case finished(TerminationStatus, String, String)
        case timedOut
    }

    /// "exit status 1", "signal 11 (segmentation fault)".
    static func describe(_ status: TerminationStatus) -> String {
        switch status {
        case .exited(let code): return "exit status \(code)"
        case .signaled(let sig):
            let name = strsignal(Int32(sig)).map { String(cString: $0).lowercased() } ?? "unknown signal"
            return "killed by signal \(sig), \(name)"
        }
    }

    /// A readable descriptor holding `text` (an in-memory file where the system has one,
    /// otherwise an unlinked temporary file), positioned at its start.
    static func inputDescriptor(_ text: String) throws -> Int32 {
        var fd: Int32 = -1
        #if os(Linux)
        typealias MemfdCreate = @convention(c) (UnsafePointer<CChar>, UInt32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "memfd_create") {
            fd = unsafeBitCast(symbol, to: MemfdCreate.self)("gnuplot-script", 1 /* MFD_CLOEXEC */)
        }
        #endif
        if fd < 0 {
            let dir = currentEnvironment()["TMPDIR"] ?? "/tmp"
            var template = Array("\(dir)/descent-gnuplot-XXXXXX".utf8CString)
            fd = mkstemp(&template)
            guard fd >= 0 else { throw GnuplotError.io("could not create a temporary file for the gnuplot script in \(dir): \(String(cString: strerror(errno)))") }
            unlink(template)
        }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let why = String(cString: strerror(errno))
                close(fd)
                throw GnuplotError.io("could not hand the script to gnuplot: \(why)")
            }
            bytes = bytes.dropFirst(n)
        }
        lseek(fd, 0, SEEK_SET)
        return fd
    }

    /// Kills every gnuplot still running (their whole process groups), including one being
    /// started at this moment, and refuses to start any more; for signal handlers that are
    /// about to exit.
    public static func killAll() {
        RunningGnuplot.killAll()
    }

    /// `figure` drawn with the `dumb` terminal into a string of `width` × `height` characters.
    public static func terminalPlot(_ figure: Figure, width: Int = terminalWidth(), height: Int = 24) async throws -> String {
        let raw = try await run(GnuplotScript.dumb(figure, width: max(40, width), height: max(12, height)),
                                name: "the terminal plot of '\(figure.title)'")
        // The dumb terminal starts each page with a form feed and pads lines with spaces.
        var lines = raw.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var s = Substring(line.filter { $0 != "\u{0C}" })
            while s.last == " " { s.removeLast() }
            return String(s)
        }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The terminal's width in columns (`COLUMNS`, then the tty, then 80).
    public static func terminalWidth() -> Int {
        if let c = currentEnvironment()["COLUMNS"], let n = Int(c), n > 0 { return n }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// The process environment as a dictionary.
    public static func currentEnvironment() -> [String: String] {
        var env: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return env
    }
}

/// A gnuplot run that did not succeed.
public enum GnuplotError: Error, Equatable, CustomStringConvertible {
    /// gnuplot is not on `PATH`.
    case notInstalled
    /// gnuplot exited unsuccessfully; `message` is its standard error, which names the
    /// failing script line (e.g. `"<stdin>", line 7: undefined variable: foo`).
    case failed(status: String, message: String)
    /// gnuplot ran longer than the time limit and was killed.
    case timedOut(script: String, seconds: Double)
    /// `DESCENT_GNUPLOT_TIMEOUT` is not a positive number of seconds.
    case badTimeout(String)
    /// The script could not be handed to gnuplot.
    case io(String)

    public var description: String {
        switch self {
        case .notInstalled: return Gnuplot.installHint
        case .failed(let status, let message):
            return "gnuplot failed (\(status))" + (message.isEmpty ? " without a message" : ": \(message)")
        case .timedOut(let script, let seconds):
            let shown = seconds == seconds.rounded() ? "\(Int(seconds))" : "\(seconds)"
            return "gnuplot did not finish \(script) within \(shown) s and was stopped; "
                + "raise the limit with DESCENT_GNUPLOT_TIMEOUT=<seconds> if the figure is just slow"
        case .badTimeout(let value):
            return "DESCENT_GNUPLOT_TIMEOUT='\(value)' is not a number of seconds > 0 (e.g. DESCENT_GNUPLOT_TIMEOUT=120)"
        case .io(let message): return message
        }
    }
}

/// A gnuplot child between spawn and exit: its process group can be killed by a timeout or
/// by ``Gnuplot/killAll()``.
final class RunningGnuplot: Sendable {
    /// Every live child, and whether the process is stopping.
    private struct Registry {
        var live: [ObjectIdentifier: RunningGnuplot] = [:]
        /// Set by ``killAll()``: the process is stopping, no gnuplot may start.
        var stopping = false
        /// Children between ``beginSpawn()`` and ``started(_:)`` (or ``finished()`` when the spawn
        /// failed): spawned, perhaps, but not yet known by pid, so ``killAll()`` waits for them.
        var spawning = 0
    }

    /// One child's process and whether it is counted in `spawning` (changed under the registry's lock).
    private struct State {
        var pid: pid_t = 0
        var done = false
        var killed = false
        var counted = false
    }

    private static let registry = Mutex(Registry())
    private let state = Mutex(State())

    /// Whether ``killIfRunning()`` killed it.
    var wasKilled: Bool { state.withLock { $0.killed } }

    /// Called before the spawn; false when the process is stopping.
    func beginSpawn() -> Bool {
        Self.registry.withLock { registry in
            guard !registry.stopping else { return false }
            registry.spawning += 1
            state.withLock { $0.counted = true }
            return true
        }
    }

    func started(_ pid: pid_t) {
        state.withLock { $0.pid = pid }
        let stopping = Self.registry.withLock { registry in
            registry.live[ObjectIdentifier(self)] = self
            uncount(&registry)
            return registry.stopping
        }
        // Spawned while a signal handler was stopping everything: it must not outlive the process.
        if stopping { _ = killIfRunning() }
    }

    func finished() {
        state.withLock { $0.done = true }
        Self.registry.withLock { registry in
            registry.live[ObjectIdentifier(self)] = nil
            uncount(&registry)
        }
    }

    /// Leaves `spawning` if counted there (the registry's lock is held).
    private func uncount(_ registry: inout Registry) {
        if state.withLock({ s in defer { s.counted = false }; return s.counted }) { registry.spawning -= 1 }
    }

    /// Kills the process group if the child was started and has not been collected yet.
    func killIfRunning() -> Bool {
        state.withLock { s in
            guard s.pid > 0, !s.done else { return false }
            kill(-s.pid, SIGKILL)
            s.killed = true
            return true
        }
    }

    /// Kills every live child and every child being spawned (a SIGTERM that came between a spawn and
    /// its registration left that gnuplot, and the fake's `sleep`, running). Waits at most 5 s for
    /// spawns in flight to register.
    static func killAll() {
        registry.withLock { $0.stopping = true }
        for _ in 0..<5_000 {
            let (all, inFlight) = registry.withLock { (Array($0.live.values), $0.spawning) }
            for child in all { _ = child.killIfRunning() }
            if inFlight == 0 { return }
            usleep(1_000)
        }
    }
}

extension String {
    /// The text without leading and trailing white space (Figures has only FoundationEssentials, so
    /// this is the one trimmer that Figures, Notebook and the chapters share).
    public var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
