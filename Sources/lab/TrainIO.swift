import Descent
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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
///
/// The file is parsed as it is read (``DataTable/CSVReader``), 1 MiB at a time, so the text is never
/// held whole: peak memory is the numbers. Anything that is not a regular file (a pipe, a FIFO, a
/// device) is read up to the memory limit at most, and a FIFO with no writer is refused at once
/// instead of waited on.
func loadTable(_ name: String) throws -> DataTable {
    var info = stat()
    guard stat(name, &info) == 0 else {
        if let table = DataTable.builtIn(name) { return table }
        throw LabError("--data '\(name)': no such file, and not a built-in data set (\(DataTable.builtInNames.joined(separator: ", ")))")
    }
    let limit = memoryLimit()
    let regular = (info.st_mode & S_IFMT) == S_IFREG
    if regular, Double(info.st_size) > limit {
        // Too large to read at all: count its rows by streaming (its first GiB at most, so a huge or
        // sparse file is refused at once too), then refuse with the count.
        let tooLarge = "more than the \(Int(limit / 1e6)) MB available; use fewer rows"
        guard let (lines, columns) = try countLines(name, atMost: countingBudget) else {
            throw LabError(DataError(source: name, message: "the file is \(formatLimit(Double(info.st_size))), \(tooLarge)").description)
        }
        let rows = max(lines - 1, 0)
        throw LabError(DataError(source: name, message:
            "\(rows) rows × \(columns) columns need \(Int(DataTable.bytesNeeded(rows: rows, columns: columns) / 1e6)) MB "
            + "of memory as 64-bit numbers, \(tooLarge)").description)
    }
    // A regular file's lines are counted first (at memchr's speed) so the numbers are reserved once.
    let expected = regular ? max((try countLines(name, atMost: .max)?.lines ?? 1) - 1, 0) : 0
    var reader = DataTable.CSVReader(source: name, memoryLimit: limit, expectedRows: expected)
    do {
        try readChunks(name, what: "--data", limit: limit) { chunk in try reader.consume(chunk) }
        return try reader.finish()
    } catch let error as DataError {
        throw LabError(error.description)
    }
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

/// Opens `path` for reading. A FIFO is opened without blocking and refused when it has no writer
/// (reading it would wait for ever); then reads block as usual.
/// - Returns: the descriptor, whether it is a regular file and its size, and the first bytes already read.
private func openForReading(_ path: String, what: String) throws -> (fd: Int32, regular: Bool, size: Double, first: [UInt8]) {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { throw LabError("\(what) '\(path)': \(errnoText())") }
    var info = stat()
    guard fstat(fd, &info) == 0 else { let text = errnoText(); close(fd); throw LabError("\(what) '\(path)': \(text)") }
    var first: [UInt8] = []
    if (info.st_mode & S_IFMT) == S_IFDIR {
        close(fd)
        throw LabError("\(what) '\(path)': is a directory, not a file")
    }
    if (info.st_mode & S_IFMT) == S_IFIFO {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var n = -1
        while true {
            n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            break
        }
        if n == 0 {
            close(fd)
            throw LabError("\(what) '\(path)': a FIFO (named pipe) with no writer, or an empty one: nothing to read "
                           + "(lab does not wait for a writer; start it first)")
        }
        if n < 0 && errno != EAGAIN { let text = errnoText(); close(fd); throw LabError("\(what) '\(path)': \(text)") }
        if n > 0 { first = Array(buffer[0..<n]) }
    }
    // Blocking reads from here on (a writer is there, or it is not a FIFO).
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    return (fd, (info.st_mode & S_IFMT) == S_IFREG, Double(info.st_size), first)
}

/// Reads `path` in chunks of 1 MiB, handing each to `body`; at most `limit` bytes (the memory limit),
/// which bounds what a device or pipe (`/dev/zero`, `/dev/urandom`) can make lab read.
func readChunks(_ path: String, what: String, limit: Double,
                _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
    let (fd, regular, size, first) = try openForReading(path, what: what)
    defer { close(fd) }
    func tooLarge() -> LabError {
        LabError("\(what) '\(path)': \(regular ? "the file is" : "not a regular file, and it gave") more than "
                 + "\(formatLimit(limit)) (the memory limit\(getenv("LAB_MEMORY_LIMIT") != nil ? ", LAB_MEMORY_LIMIT" : "")); "
                 + "lab reads no more than fits in memory")
    }
    if regular && size > limit { throw tooLarge() }
    var total = Double(first.count)
    if !first.isEmpty {
        if total > limit { throw tooLarge() }
        try first.withUnsafeBytes { try body($0) }
    }
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw LabError("\(what) '\(path)': \(errnoText())")
        }
        if n == 0 { break }
        total += Double(n)
        if total > limit { throw tooLarge() }
        try chunk.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
    }
}

/// `bytes` as "N MB" (or kB, B), as lab's other memory messages.
private func formatLimit(_ bytes: Double) -> String {
    bytes >= 1e6 ? "\(Int(bytes / 1e6)) MB" : bytes >= 1e3 ? "\(Int(bytes / 1e3)) kB" : "\(Int(bytes)) bytes"
}

/// Reads a whole (small) file as text: at most the memory limit, a NUL byte refused as it arrives
/// (`/dev/zero` is not text), a FIFO with no writer refused at once.
func readTextFile(_ path: String, what: String) throws -> String {
    var bytes: [UInt8] = []
    try readChunks(path, what: what, limit: memoryLimit()) { chunk in
        if let nul = chunk.firstIndex(of: 0) {
            throw LabError("\(what) '\(path)': a NUL byte at byte \(bytes.count + nul + 1): binary data, not text")
        }
        bytes.append(contentsOf: chunk)
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// How many bytes of a file too large for memory are read to count its rows: 1 GiB (about 0.3 s).
private let countingBudget = 1 << 30

/// Lines of a file (and fields of its first line), read in chunks; `nil` when the file has more than
/// `budget` bytes (not counted to the end).
private func countLines(_ path: String, atMost budget: Int) throws -> (lines: Int, columns: Int)? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw LabError("--data '\(path)': \(errnoText())") }
    defer { close(fd) }
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    var lines = 0, columns = 1, firstLine = true, last: UInt8 = 10, total = 0
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 { if errno == EINTR { continue }; throw LabError("--data '\(path)': \(errnoText())") }
        if n == 0 { break }
        total += n
        if total > budget { return nil }
        chunk.withUnsafeBytes { buffer in
            let base = buffer.baseAddress!
            var offset = 0
            if firstLine {
                while offset < n && buffer[offset] != 10 {
                    if buffer[offset] == UInt8(ascii: ",") { columns += 1 }
                    offset += 1
                }
                if offset < n { firstLine = false }
            }
            while offset < n, let hit = memchr(base + offset, 10, n - offset) {
                lines += 1
                offset = base.distance(to: UnsafeRawPointer(hit)) + 1
            }
        }
        last = chunk[n - 1]
    }
    return (lines + (last == 10 ? 0 : 1), columns)
}

/// The file `--save-params` writes, atomically: checked at once (so a bad path fails before any
/// work) but created only by ``commit(_:)``, which writes a temporary file beside it, syncs it and
/// renames it over the destination — so a run killed before that leaves nothing behind. SIGTERM or
/// SIGINT during the commit removes the temporary file.
///
/// Refused at once: an empty path, a directory, anything existing that is not a regular file
/// (`/dev/null`, a FIFO), a folder that does not exist or cannot be written, and the file `--data`
/// reads (same device and inode). A symbolic link is written through: its target (resolved) is
/// replaced, the link stays; a link to anything but a regular file (`/dev/stdout`) is refused.
final class OutputFile {
    /// The path as given.
    let path: String
    /// Where the file is written: `path` with symbolic links resolved.
    let destination: String
    let flag: String

    init(path: String, flag: String = "--save-params", notSameAs input: (flag: String, path: String)? = nil) throws {
        self.path = path
        self.flag = flag
        func refuse(_ why: String) -> LabError { LabError("\(flag) '\(path)': \(why)") }
        guard !path.isEmpty else { throw refuse("an empty path; give a file name, e.g. \(flag) params.json") }
        guard !path.hasSuffix("/") else { throw refuse("names a folder; give a file name, e.g. \(flag) params.json") }
        var link = stat()
        var target = stat()
        var exists = false
        if lstat(path, &link) == 0 {
            if (link.st_mode & S_IFMT) == S_IFLNK {
                // Links into /dev or /proc (/dev/stdout → /proc/self/fd/1 → a terminal, a pipe or
                // the caller's own output file) are never followed.
                if let special = OutputFile.specialHop(path) {
                    throw refuse("a link to '\(special)', which is not a regular file (a device or a process's "
                                 + "descriptor); lab writes parameters only to regular files")
                }
                guard stat(path, &target) == 0, let resolved = realpath(path, nil) else {
                    throw refuse("a symbolic link to '\(OutputFile.linkTarget(path))', which does not exist; "
                                 + "give the file itself")
                }
                destination = String(cString: resolved)
                free(resolved)
            } else {
                target = link
                destination = path
            }
            exists = true
            switch target.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR: throw refuse("is a directory; give a file name inside it, e.g. \(flag) \(path)/params.json")
            default:
                throw refuse((destination == path ? "" : "a link to '\(destination)', which ")
                             + "is not a regular file (a device, FIFO or socket); lab writes parameters only to regular files")
            }
        } else {
            guard errno == ENOENT else { throw refuse(errnoText()) }
            destination = path
        }
        // The folder must exist and be writable (checked without creating anything).
        let folder = OutputFile.folder(of: destination)
        var folderInfo = stat()
        guard stat(folder, &folderInfo) == 0 else { throw refuse("cannot create a file there: folder '\(folder)': \(errnoText())") }
        guard (folderInfo.st_mode & S_IFMT) == S_IFDIR else { throw refuse("cannot create a file there: '\(folder)' is not a folder") }
        guard access(folder, W_OK | X_OK) == 0 else { throw refuse("cannot create a file there: \(errnoText())") }
        if let input, exists {
            var inputInfo = stat()
            if stat(input.path, &inputInfo) == 0, inputInfo.st_dev == target.st_dev, inputInfo.st_ino == target.st_ino {
                throw refuse("is the file \(input.flag) '\(input.path)' reads; writing it would overwrite the data. "
                             + "Give another file")
            }
        }
    }

    private static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The first hop of `path`'s chain of symbolic links that lies in /dev or /proc, if any.
    private static func specialHop(_ path: String) -> String? {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return nil }
            var next = linkTarget(current)
            if !next.hasPrefix("/") { next = folder(of: current) + "/" + next }
            if next.hasPrefix("/dev/") || next.hasPrefix("/proc/") || next == "/dev" || next == "/proc" { return next }
            current = next
        }
        return nil
    }

    private static func linkTarget(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink(path, &buffer, buffer.count - 1)
        return n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
    }

    /// Writes `text` to a new temporary file beside the destination, syncs it and renames it over.
    func commit(_ text: String) throws { try commit(bytes: Array(text.utf8)) }

    /// Writes `bytes` to a new temporary file beside the destination, syncs it and renames it over.
    func commit(bytes: [UInt8]) throws {
        let temporary = destination + ".tmp-\(getpid())"
        pendingTemporary.set(temporary)
        defer { pendingTemporary.set(nil) }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw LabError("\(flag) '\(path)': cannot create a file there: \(errnoText())") }
        if let failure = bytes.withUnsafeBytes({ writeAll(fd, $0) }) {
            close(fd)
            unlink(temporary)
            throw LabError("\(flag) '\(path)': write failed: \(String(cString: strerror(failure)))")
        }
        guard fsync(fd) == 0, close(fd) == 0 else {
            let message = errnoText()
            unlink(temporary)
            throw LabError("\(flag) '\(path)': write failed: \(message)")
        }
        guard rename(temporary, destination) == 0 else {
            let message = errnoText()
            unlink(temporary)
            throw LabError("\(flag) '\(path)': \(message)")
        }
        // The rename itself made durable.
        let folderFD = open(OutputFile.folder(of: destination), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderFD >= 0 { _ = fsync(folderFD); close(folderFD) }
    }
}

/// The temporary file being written, for the SIGTERM/SIGINT handler to remove (a C string, so
/// the handler only calls `unlink`, which is async-signal-safe).
let pendingTemporary = PendingTemporary()

final class PendingTemporary: @unchecked Sendable {
    nonisolated(unsafe) static var path: UnsafeMutablePointer<CChar>?

    func set(_ newPath: String?) {
        if newPath != nil {
            PendingTemporary.installHandlers()
        }
        let old = PendingTemporary.path
        PendingTemporary.path = newPath.map { strdup($0) }
        free(old)
    }

    /// A temporary folder and the files that may be in it (`find-lr --plot`'s drawing folder), removed
    /// on SIGTERM/SIGINT: a NULL-terminated list of C strings, the files first and the folder last.
    nonisolated(unsafe) static var folder: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

    /// Registers `path` (with the `files` it may hold) for removal if a signal ends the run; nil clears it.
    static func setFolder(_ path: String?, files: [String] = []) {
        if path != nil { installHandlers() }
        let old = folder
        if let path {
            let names = files.map { "\(path)/\($0)" } + [path]
            let list = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: names.count + 1)
            for (i, name) in names.enumerated() { list[i] = strdup(name) }
            list[names.count] = nil
            folder = list
        } else {
            folder = nil
        }
        if let old {
            var i = 0
            while let p = old[i] { free(p); i += 1 }
            old.deallocate()
        }
    }

    nonisolated(unsafe) private static var installed = false

    private static func installHandlers() {
        guard !installed else { return }
        installed = true
        for sig in [SIGTERM, SIGINT] {
            signal(sig) { sig in
                if let p = PendingTemporary.path { unlink(p) }
                if let list = PendingTemporary.folder {
                    var i = 0
                    while let p = list[i] {
                        if list[i + 1] == nil { rmdir(p) } else { unlink(p) }
                        i += 1
                    }
                }
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
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

// MARK: - The parameter file

/// The network's shape and options: the parameter file's `"model"` key, so `lab predict` can
/// rebuild the network the weights belong to (`"layers"` alone does not say φ, the skips or
/// whether a layer's batch norm was on). Keys: `hidden` (widths, input side first), `activation`,
/// `residual`, `batch_norm`.
struct ModelDescription: Codable, Equatable {
    var hidden: [Int]
    var activation: ActivationName
    var residual: Bool
    var batchNorm: Bool

    enum CodingKeys: String, CodingKey {
        case hidden, activation, residual
        case batchNorm = "batch_norm"
    }

    /// The network for `scaling`'s inputs and outputs.
    func network(_ scaling: DataScaling) -> MLP {
        MLP(inputs: scaling.features.count, hidden: hidden, outputs: scaling.outputCount,
            activation: activation.activation, residual: residual, batchNorm: batchNorm)
    }

    /// Why this description cannot be built (as `lab train` validates its flags), or `nil`.
    var problem: String? {
        if let w = hidden.first(where: { $0 < 1 || $0 > 100_000 }) { return "hidden width \(w) is not in 1…100000" }
        if residual && (hidden.count < 2 || Set(hidden).count != 1) { return "residual needs at least two equal hidden widths" }
        if batchNorm && hidden.isEmpty { return "batch_norm needs hidden layers" }
        return nil
    }
}

extension ActivationName: Codable {}

/// The file `--save-params` and `--save-best` write: the layers exactly as
/// ``MLP/parametersJSON(_:statistics:)`` writes them (PyTorch's `state_dict` layout, byte for byte
/// what earlier versions wrote), then two keys beside `"layers"`:
///
///     {"layers": [ … ],
///      "model": {"activation":"tanh","batch_norm":false,"hidden":[32,32],"residual":false},
///      "scaling": {"classes":[0,1],"feature_mean":[…],"feature_std":[…],"features":["x1","x2"],"target":"label","task":"classification"}}
///
/// `"model"` is ``ModelDescription``, `"scaling"` is ``DataScaling`` (`target_mean`/`target_std`
/// for a regression instead of `classes`), both written by Foundation's `JSONEncoder` (sorted keys,
/// shortest round-trip numbers, so reading gives back the same bits). `--init-params` reads only
/// `"layers"`, so files without the new keys still load.
func parameterFileText(_ network: MLP, parameters: [Double], statistics: MLP.RunningStatistics?,
                       model: ModelDescription, scaling: DataScaling) throws -> String {
    let layers = network.parametersJSON(parameters, statistics: statistics)
    // parametersJSON ends with the object's closing brace: "…\n]}\n"; the new keys go before it.
    precondition(layers.hasSuffix("]}\n"), "parametersJSON's layout changed")
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
    return String(layers.dropLast(2)) + ",\n \"model\": \(try json(model)),\n \"scaling\": \(try json(scaling))}\n"
}

/// A parameter file read for prediction: the network it describes, its state and its scaling.
struct ParameterFile {
    let model: ModelDescription
    let scaling: DataScaling
    let network: MLP
    let parameters: [Double]
    let statistics: MLP.RunningStatistics

    /// Reads and checks `path` (the `--params` of `lab predict`).
    init(path: String, flag: String = "--params") throws {
        let text = try readTextFile(path, what: flag)
        func refuse(_ why: String) -> LabError { LabError("\(flag) '\(path)': \(why)") }
        struct Keys: Decodable { var model: ModelDescription?; var scaling: DataScaling? }
        let keys: Keys
        do {
            keys = try JSONDecoder().decode(Keys.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw refuse(describe(error))
        }
        guard let model = keys.model, let scaling = keys.scaling else {
            let missing = [keys.model == nil ? "\"model\"" : nil, keys.scaling == nil ? "\"scaling\"" : nil].compactMap { $0 }
            throw refuse("no \(missing.joined(separator: " or ")) key: the file has weights but not what a prediction needs "
                         + "(the feature scaling, class labels, activation), as files saved before lab predict existed; "
                         + "re-save it with this version: lab train --data (the training data, same --seed and --validation) "
                         + "--layers … --init-params \(path) --steps 0 --save-params NEW.json")
        }
        if let problem = scaling.problem { throw refuse("\"scaling\": \(problem)") }
        if let problem = model.problem { throw refuse("\"model\": \(problem)") }
        let network = model.network(scaling)
        do {
            (parameters, statistics) = try network.parametersAndStatistics(fromJSON: text)
        } catch {
            throw refuse(error.description)
        }
        self.model = model
        self.scaling = scaling
        self.network = network
    }
}

/// One line for a JSON decoding failure: where (the key path) and what.
private func describe(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "the top level" : String(keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().dropFirst())
    }
    switch error {
    case .dataCorrupted(let c) where c.codingPath.isEmpty:
        return "not valid JSON (\(c.debugDescription.split(separator: "\n").first ?? ""))"
    case .dataCorrupted(let c): return "\(path(c.codingPath)): \(c.debugDescription)"
    case .keyNotFound(let key, let c): return "\(path(c.codingPath + [key])) is missing"
    case .typeMismatch(let type, let c):
        let expected = type == Double.self || type == Int.self ? "a number" : type == String.self ? "a string"
            : type == Bool.self ? "true or false" : "\(type)".hasPrefix("Array") ? "an array" : "an object"
        return "\(path(c.codingPath)) is not \(expected)"
    case .valueNotFound(let type, let c): return "\(path(c.codingPath)) is null, expected \(type)"
    @unknown default: return "\(error)"
    }
}
