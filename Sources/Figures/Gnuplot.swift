import Subprocess
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs gnuplot as a child process.
///
/// The script goes to gnuplot's standard input and both output streams are collected
/// concurrently (no blocking write, no `waitUntilExit()` polling); SIGPIPE is ignored so a
/// gnuplot that dies early cannot kill the caller. A gnuplot error becomes a
/// ``GnuplotError`` quoting gnuplot's message, which names the script line.
public enum Gnuplot {
    /// How to install gnuplot, for messages.
    public static let installHint =
        "gnuplot is not installed: on Debian/Ubuntu run `apt-get install gnuplot gnuplot-nox`, on macOS `brew install gnuplot`"

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

    /// Runs `script` through gnuplot and returns its standard output.
    ///
    /// - Throws: ``GnuplotError/notInstalled`` or ``GnuplotError/failed(status:message:)``.
    public static func run(_ script: String, workingDirectory: String? = nil) async throws -> String {
        try await run(arguments: [], input: script, workingDirectory: workingDirectory)
    }

    /// Runs gnuplot with `arguments` (e.g. a script file name) and optional standard input,
    /// returning its standard output.
    public static func run(arguments: [String], input: String = "", workingDirectory: String? = nil) async throws -> String {
        guard let exe = executablePath() else { throw GnuplotError.notInstalled }
        signal(SIGPIPE, SIG_IGN)
        let result = try await Subprocess.run(
            .path(FilePath(exe)),
            arguments: Arguments(arguments),
            workingDirectory: workingDirectory.map { FilePath($0) },
            input: .string(input),
            output: .string(limit: 64 << 20),
            error: .string(limit: 1 << 20)
        )
        let stderr = result.standardError
        guard case .exited(0) = result.terminationStatus else {
            throw GnuplotError.failed(status: "\(result.terminationStatus)", message: stderr.trimmed)
        }
        // gnuplot reports some problems (e.g. warnings) without failing; errors exit non-zero.
        return result.standardOutput
    }

    /// `figure` drawn with the `dumb` terminal into a string of `width` × `height` characters.
    public static func terminalPlot(_ figure: Figure, width: Int = terminalWidth(), height: Int = 24) async throws -> String {
        let raw = try await run(GnuplotScript.dumb(figure, width: max(40, width), height: max(12, height)))
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

    public var description: String {
        switch self {
        case .notInstalled: return Gnuplot.installHint
        case .failed(let status, let message): return "gnuplot failed (\(status)): \(message)"
        }
    }
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
