import Figures
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Publishing a chapter all or nothing.
///
/// A run writes the whole chapter (page, scripts, data, drawn figures) into a private staging
/// folder next to the chapter folder, then swaps the two folders in one step. On Linux the swap
/// is `renameat2(RENAME_EXCHANGE)`, which the kernel performs atomically: a reader, a crash or a
/// `SIGKILL` sees either the old folder or the new one, never a mixture. Where that call does not
/// exist (or the file system refuses it) the swap is a pair of renames — chapter → `.retired-…`,
/// staging → chapter — and a run killed between the two leaves a `.retired-…` folder that the
/// next run of the chapter puts back (``recover(in:slug:)``).
package enum ChapterSwap {
    /// Removes staging folders left by runs of this chapter that were killed. A live run holds
    /// an exclusive lock on its folder's `.lock` for its whole life, so a folder whose lock can be
    /// taken belongs to a run that is dead or has not taken its lock yet: it is removed only when
    /// its process is gone too. (Without that second test a concurrent run of the same chapter
    /// lost its staging folder between creating `.lock` and locking it, and failed with "a folder
    /// on the way does not exist"; a dead run's folder whose PID was reused waits for the next run.)
    package static func removeAbandonedStaging(in root: URL, slug: String) {
        let prefix = ".staging-\(slug)-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid() else { continue }
            let folder = root.appendingPathComponent(name)
            let fd = open(folder.appendingPathComponent(".lock").path, O_RDONLY)
            if fd >= 0 {
                defer { close(fd) }
                guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue }
            }
            guard !ChapterSwap.processIsAlive(pid) else { continue }
            try? FileManager.default.removeItem(at: folder)
        }
    }


    package enum Outcome: Equatable {
        /// The folders were exchanged; the staging path now holds the previous chapter.
        case exchanged
        /// There was no previous chapter; the staging folder was renamed into place.
        case moved
        /// The fallback rename pair ran; the previous chapter (if any) is already removed.
        case renamedPair
    }

    package typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// `renameat2` from the C library, when it has one (glibc ≥ 2.28).
    package static let renameat2: RenameAt2? = {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
        #else
        return nil
        #endif
    }()
    package static let renameExchange: UInt32 = 1 << 1  // RENAME_EXCHANGE in <linux/fs.h>
    package static let atFDCWD: Int32 = -100  // AT_FDCWD

    /// Swaps the complete folder `staging` into `chapter`. `exchange: false` forces the
    /// rename-pair fallback (for tests on Linux).
    package static func swap(_ staging: URL, into chapter: URL, retired: URL, exchange: Bool = true) throws -> Outcome {
        if exchange, let renameat2 {
            for _ in 0..<3 {
                if renameat2(atFDCWD, staging.path, atFDCWD, chapter.path, renameExchange) == 0 { return .exchanged }
                let code = errno
                if code == ENOENT {
                    // No chapter yet: a plain rename publishes it; if another run published one
                    // in the meantime, exchange with that instead.
                    if rename(staging.path, chapter.path) == 0 { return .moved }
                    if errno == ENOTEMPTY || errno == EEXIST { continue }
                    throw PublishError(errno: errno, path: chapter.path)
                }
                if code == EINVAL || code == ENOSYS || code == EOPNOTSUPP { break }  // not supported here
                throw PublishError(errno: code, path: chapter.path)
            }
        }
        // Fallback: a rename pair; recover(in:slug:) repairs a run killed in between.
        var hadOld = true
        if rename(chapter.path, retired.path) != 0 {
            guard errno == ENOENT else { throw PublishError(errno: errno, path: chapter.path) }
            hadOld = false
        }
        if rename(staging.path, chapter.path) != 0 {
            let code = errno
            if hadOld { _ = rename(retired.path, chapter.path) }
            throw PublishError(errno: code, path: chapter.path)
        }
        if hadOld { try? FileManager.default.removeItem(at: retired) }
        return hadOld ? .renamedPair : .moved
    }

    /// Repairs what killed runs of chapter `slug` left in `root`: a `.retired-<slug>-<pid>`
    /// folder of a dead run is put back when the chapter folder is missing (the run died between
    /// its two renames) and removed otherwise.
    package static func recover(in root: URL, slug: String) {
        let prefix = ".retired-\(slug)-"
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: root.path)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid(), !processIsAlive(pid) else { continue }
            let retired = root.appendingPathComponent(name)
            let chapter = root.appendingPathComponent(slug)
            if !fm.fileExists(atPath: chapter.path), rename(retired.path, chapter.path) == 0 { continue }
            try? fm.removeItem(at: retired)
        }
    }

    package static func processIsAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}

/// A folder other than a chapter (the `book --html` site) published the way chapters are: written
/// whole into a private staging folder beside it, then swapped in with ``ChapterSwap`` in one step,
/// so a reader, a kill or a full disk sees the old folder or the new one, never a mixture.
public struct StagedFolder: Sendable {
    /// The folder being replaced (its real path when it was given through a symbolic link).
    public let target: URL
    /// `.staging-<name>-<pid>` beside it: written first.
    public let staging: URL
    /// `.retired-<name>-<pid>` beside it: used only by the rename-pair fallback.
    public let retired: URL

    public init(target: URL) {
        self.target = target.standardizedFileURL
        let parent = self.target.deletingLastPathComponent(), name = self.target.lastPathComponent
        staging = parent.appendingPathComponent(".staging-\(name)-\(getpid())", isDirectory: true)
        retired = parent.appendingPathComponent(".retired-\(name)-\(getpid())", isDirectory: true)
    }

    /// Repairs what killed runs left beside the target (see ``ChapterSwap/recover(in:slug:)``)
    /// and removes their staging folders.
    public func recoverAbandoned() {
        let parent = target.deletingLastPathComponent(), name = target.lastPathComponent
        ChapterSwap.recover(in: parent, slug: name)
        ChapterSwap.removeAbandonedStaging(in: parent, slug: name)
    }

    /// Creates the (empty) staging folder.
    public func create() throws {
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
    }

    /// Swaps the complete staging folder in for the target and removes the previous one.
    public func publish() throws {
        let outcome = try ChapterSwap.swap(staging, into: target, retired: retired)
        if outcome == .exchanged { try? FileManager.default.removeItem(at: staging) }
    }

    /// Removes the staging folder (after a failure).
    public func discard() { try? FileManager.default.removeItem(at: staging) }
}

/// A failed rename while publishing.
package struct PublishError: Error, CustomStringConvertible {
    let errno: Int32
    let path: String
    package var description: String {
        "could not publish \(path): \(FileProblem.reason(errno)); " + FileProblem.advice(errno)
    }
}

/// Plain sentences for file-system errors, instead of `NSCocoaErrorDomain Code=640 …` dumps.
public enum FileProblem {
    /// The POSIX error code behind `error`, if it is a file-system error.
    public static func errnoCode(of error: any Error) -> Int32? {
        if let posix = error as? POSIXError { return posix.code.rawValue }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        guard ns.domain == NSCocoaErrorDomain else { return nil }
        switch CocoaError.Code(rawValue: ns.code) {
        case .fileWriteOutOfSpace: return ENOSPC
        case .fileWriteFileExists: return EEXIST
        case .fileWriteNoPermission, .fileReadNoPermission: return EACCES
        case .fileWriteVolumeReadOnly: return EROFS
        case .fileNoSuchFile, .fileReadNoSuchFile: return ENOENT
        case .fileWriteInvalidFileName: return ENAMETOOLONG
        default: return EIO
        }
    }

    /// The path named by `error`, if any.
    public static func path(of error: any Error) -> String? {
        let ns = error as NSError
        return ns.userInfo[NSFilePathErrorKey] as? String ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
    }

    /// What went wrong, in words.
    public static func reason(_ code: Int32) -> String {
        switch code {
        case ENOSPC, EDQUOT: return "the disk is full (no space left on device)"
        case EEXIST: return "a file with that name is in the way"
        case ENOTDIR: return "a part of the path is a file, not a folder"
        case EISDIR: return "a folder is in the way where a file should go"
        case EACCES, EPERM: return "permission denied"
        case EROFS: return "the file system is read-only"
        case ENAMETOOLONG: return "the name is too long"
        case ENOENT: return "a folder on the way does not exist"
        case ENOTEMPTY: return "a folder that is in the way is not empty"
        default: return String(cString: strerror(code)).lowercased()
        }
    }

    /// What to do about it, in words.
    public static func advice(_ code: Int32) -> String {
        switch code {
        case ENOSPC, EDQUOT: return "free some space, or choose another folder with --output DIR"
        case EEXIST, ENOTDIR, EISDIR, ENOTEMPTY: return "move the thing in the way, or choose another folder with --output DIR"
        case EACCES, EPERM, EROFS: return "choose a folder you can write to with --output DIR"
        case ENAMETOOLONG: return "choose a shorter path with --output DIR"
        default: return "check the path, or choose another folder with --output DIR"
        }
    }

    /// One sentence: `doing` (e.g. "writing chapter ch00-tour"), the path, why it failed and
    /// what to do; nil when `error` is not a file-system error.
    public static func sentence(_ error: any Error, doing: String, path fallback: String) -> String? {
        guard let code = errnoCode(of: error) else { return nil }
        return "\(doing) failed at \(path(of: error) ?? fallback): \(reason(code)); \(advice(code))"
    }
}

/// Creating the output folder so that a failure leaves nothing behind.
public enum OutputFolder {
    /// Bytes the probes write before any work: a full disk still has room for an empty file, so an
    /// empty probe let runs start on a full disk and fail only after the work.
    public static let probeBytes = 16 * 1024

    /// Refuses an empty path, then creates `path` and any missing parents; returns the folders
    /// it created, outermost first, for ``removeCreated(_:)``.
    ///
    /// - Throws: ``NotebookError/unwritableOutput(_:_:)`` with a sentence.
    public static func create(_ path: String) throws -> [URL] {
        guard !path.isEmpty else {
            throw NotebookError.unwritableOutput(path, "an empty path would mean the current folder; name a folder with --output DIR")
        }
        var missing: [URL] = []
        var url = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        while !fm.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            missing.insert(url, at: 0)
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { break }
            url = parent
        }
        if missing.isEmpty && !isDirectory.boolValue {
            throw NotebookError.unwritableOutput(path, "it is a file, not a folder; \(FileProblem.advice(EEXIST))")
        }
        var created: [URL] = []
        for dir in missing {
            if mkdir(dir.path, 0o755) == 0 {
                created.append(dir)
            } else if errno != EEXIST {
                let code = errno
                removeCreated(created)
                throw NotebookError.unwritableOutput(path, "creating \(dir.path) failed: \(FileProblem.reason(code)); \(FileProblem.advice(code))")
            }
            // EEXIST: another run made it meanwhile; it is theirs, not ours to remove.
        }
        return created
    }

    /// Removes folders made by ``create(_:)`` (innermost first), if they are still empty.
    public static func removeCreated(_ created: [URL]) {
        for dir in created.reversed() { rmdir(dir.path) }
    }
}

/// SIGINT/SIGTERM during a chapter run: stop gnuplot, remove the staging folder, and exit with
/// status 128 + signal. A swap in progress finishes first (``publishing``), so the handler never
/// leaves half a chapter.
package enum RunSignals {
    /// Held while the chapter folder is being swapped; the handler waits for it.
    package static let publishing = Mutex(())
    /// Folders to remove if the run is interrupted, and the signal sources once installed.
    private struct State {
        var folders: [URL] = []
        var sources: [DispatchSourceSignal] = []
    }
    private static let state = Mutex(State())

    /// Folders to remove if the run is interrupted.
    package static func track(_ url: URL) { state.withLock { $0.folders.append(url) } }
    package static func untrack(_ url: URL) { state.withLock { $0.folders.removeAll { $0 == url } } }

    package static func install() {
        state.withLock { state in
            guard state.sources.isEmpty else { return }
            for sig in [SIGINT, SIGTERM] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                source.setEventHandler { interrupted(by: sig) }
                source.resume()
                state.sources.append(source)
            }
        }
    }

    package static func interrupted(by sig: Int32) -> Never {
        Gnuplot.killAll()
        publishing.withLock { _ in  // never released: the process ends here
            state.withLock { state in
                // The main flow may be removing the same folder (its gnuplot just died), and a dying
                // gnuplot may still add a file: retry until the folder is gone.
                for folder in state.folders {
                    for _ in 0..<50 where FileManager.default.fileExists(atPath: folder.path) {
                        try? FileManager.default.removeItem(at: folder)
                        usleep(2_000)
                    }
                }
                let name = sig == SIGINT ? "SIGINT" : "SIGTERM"
                let message = "interrupted by \(name): nothing more was published; the chapter folder holds a complete run\n"
                message.withCString { _ = write(STDERR_FILENO, $0, strlen($0)) }
                _exit(128 + sig)
            }
        }
        fatalError("unreachable: _exit above ends the process")
    }
}

/// An output folder that cannot be written, or another I/O failure, as one sentence.
public enum NotebookError: Error, CustomStringConvertible {
    case unwritableOutput(String, String)
    case io(String)
    public var description: String {
        switch self {
        case .unwritableOutput(let path, let why):
            let advice = why.contains("--output DIR") ? "" : "; choose another folder with --output DIR"
            return "cannot write to the output folder '\(path)': \(why)\(advice)"
        case .io(let message): return message
        }
    }
}
