import Descent
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes of memory `lab` may use for data: the machine's physical memory, or `LAB_MEMORY_LIMIT`
/// (bytes) when set — the tests use it to see a too-large file refused without making one.
func memoryLimit() -> Double {
    if let text = getenv("LAB_MEMORY_LIMIT").map({ String(cString: $0) }), let v = Double(text), v > 0 { return v }
    return Double(sysconf(Int32(_SC_PHYS_PAGES))) * Double(sysconf(Int32(_SC_PAGESIZE)))
}

private func errnoText() -> String { String(cString: strerror(errno)) }

/// The table named by `--data`: an existing file, else a built-in data set.
func loadTable(_ name: String) throws -> DataTable {
    var info = stat()
    guard stat(name, &info) == 0 else {
        if let table = DataTable.builtIn(name) { return table }
        throw LabError("--data '\(name)': no such file, and not a built-in data set (\(DataTable.builtInNames.joined(separator: ", ")))")
    }
    let limit = memoryLimit()
    if (info.st_mode & S_IFMT) == S_IFREG, Double(info.st_size) > limit {
        // Too large to read at all: count its rows by streaming, then refuse with the count.
        let (lines, columns) = try countLines(name)
        let rows = max(lines - 1, 0)
        throw LabError(DataError(source: name, message:
            "\(rows) rows × \(columns) columns need \(Int(DataTable.bytesNeeded(rows: rows, columns: columns) / 1e6)) MB "
            + "of memory as 64-bit numbers, more than the \(Int(limit / 1e6)) MB available; use fewer rows").description)
    }
    let bytes = try readFile(name, what: "--data")
    do { return try DataTable(csv: bytes, source: name, memoryLimit: limit) } catch { throw LabError(error.description) }
}

/// Refuses a network whose buffers would not fit in memory (before it is allocated, which would crash):
/// θ, its gradient, up to three optimizer buffers and the drawn copy; activations and their gradients for
/// a batch and for each split.
func refuseIfTooLarge(_ network: MLP, _ data: PreparedData) throws {
    let widths = Double(network.layers.map(\.outputs).reduce(0, +))
    let rowCount = Double(2 * data.training.count + (data.validation?.count ?? 0))
    let bytes = 8 * (6 * Double(network.parameterCount) + 2 * rowCount * widths)
    let limit = memoryLimit()
    guard bytes <= limit else {
        throw LabError("--layers: the \(network.shapeDescription) has \(network.parameterCount) parameters and needs about "
            + "\(Int(bytes / 1e6)) MB, more than the \(Int(limit / 1e6)) MB of memory")
    }
}

/// Reads a whole file.
func readFile(_ path: String, what: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw LabError("\(what) '\(path)': \(errnoText())") }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw LabError("\(what) '\(path)': \(errnoText())")
        }
        if n == 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
}

func readTextFile(_ path: String, what: String) throws -> String {
    String(decoding: try readFile(path, what: what), as: UTF8.self)
}

/// Lines of a file (and fields of its first line), read in chunks.
private func countLines(_ path: String) throws -> (lines: Int, columns: Int) {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw LabError("--data '\(path)': \(errnoText())") }
    defer { close(fd) }
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    var lines = 0, columns = 1, firstLine = true, last: UInt8 = 10
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 { if errno == EINTR { continue }; throw LabError("--data '\(path)': \(errnoText())") }
        if n == 0 { break }
        for b in chunk[0..<n] {
            if b == 10 { lines += 1; firstLine = false } else if firstLine && b == UInt8(ascii: ",") { columns += 1 }
        }
        last = chunk[n - 1]
    }
    return (lines + (last == 10 ? 0 : 1), columns)
}

/// A file written atomically: a temporary file beside `path` is created at once (so a bad path fails
/// before any work), filled by ``commit(_:)`` and renamed over `path`; ``discard()`` removes it.
final class AtomicFile {
    let path: String
    private let temporary: String
    private var fd: Int32
    private var done = false

    init(path: String) throws {
        self.path = path
        temporary = path + ".tmp-\(getpid())"
        fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw LabError("--save-params '\(path)': cannot create a file there: \(errnoText())") }
    }

    func commit(_ text: String) throws {
        var text = text
        if let failure = text.withUTF8({ writeAll(fd, UnsafeRawBufferPointer($0)) }) {
            throw LabError("--save-params '\(path)': write failed: \(String(cString: strerror(failure)))")
        }
        guard fsync(fd) == 0, close(fd) == 0 else { throw LabError("--save-params '\(path)': write failed: \(errnoText())") }
        fd = -1
        guard rename(temporary, path) == 0 else { throw LabError("--save-params '\(path)': \(errnoText())") }
        done = true
    }

    /// Removes the temporary file unless committed.
    func discard() {
        guard !done else { return }
        if fd >= 0 { close(fd); fd = -1 }
        unlink(temporary)
        done = true
    }
}

/// A progress bar on standard error, drawn only when standard error is a terminal and the run has
/// lasted over a second (`LAB_PROGRESS_DELAY` seconds when set; the tests use 0); cleared when the run ends.
final class ProgressBar {
    private let total: Int
    private let enabled: Bool
    private let stdoutIsTerminal: Bool
    private let start: Double
    private let delay: Double
    private var lastDraw = -1.0
    private var shown = false
    private var step = 0

    init(total: Int) {
        self.total = max(total, 1)
        enabled = isatty(STDERR_FILENO) != 0
        stdoutIsTerminal = isatty(STDOUT_FILENO) != 0
        start = ProgressBar.now()
        delay = getenv("LAB_PROGRESS_DELAY").flatMap { Double(String(cString: $0)) } ?? 1
    }

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    func update(step: Int) {
        guard enabled else { return }
        self.step = step
        let t = ProgressBar.now()
        guard t - start >= delay, t - lastDraw > 0.1 else { return }
        lastDraw = t
        draw(elapsed: t - start)
    }

    private func draw(elapsed: Double) {
        let fraction = min(Double(step) / Double(total), 1)
        let width = 30
        let filled = Int(fraction * Double(width))
        let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        printErrorRaw("\r\u{1B}[K[\(bar)] \(Int(fraction * 100))% step \(step)/\(total), \(Int(eta.rounded())) s left")
        shown = true
    }

    /// Runs `body` (which writes to stdout) with the bar lifted off the terminal line if both share it.
    func interrupting(_ body: () throws -> Void) rethrows {
        if shown && stdoutIsTerminal {
            printErrorRaw("\r\u{1B}[K")
            try body()
            draw(elapsed: ProgressBar.now() - start)
        } else {
            try body()
        }
    }

    func finish() {
        if shown { printErrorRaw("\r\u{1B}[K") }
        shown = false
    }
}

private func printErrorRaw(_ text: String) {
    var text = text
    text.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
