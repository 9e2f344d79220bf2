import Foundation
import Publishing

/// A sentence of the page together with the condition that makes it true on this run.
///
/// Comparative or causal sentences ("X beats Y", "sits just below", "on every seed") are
/// stated through ``Notebook/claim(_:holds:evidence:)``: the sentence goes on the page only
/// as part of a run in which its condition held. A run with a false claim publishes nothing
/// and exits non-zero, naming the chapter, the sentence and the numbers.
public struct Claim: Sendable, Equatable {
    /// The sentence as printed on the page.
    public let sentence: String
    /// Whether the condition held on this run.
    public let holds: Bool
    /// The numbers behind the condition, for the failure message (e.g. "best = 0.47, 2/L = 0.5").
    public let evidence: String
    /// Where the chapter states it (`ch03-adagrad/Chapter.swift:212`): the same claim on every
    /// seed, whatever numbers its sentence carries — the soak's table (`Scripts/soak-seeds`)
    /// counts claims by it.
    public var site: String = ""
}

/// One or more claims whose conditions were false on this run.
public struct ClaimsFailed: Error, CustomStringConvertible {
    public let slug: String
    public let failed: [Claim]
    public var description: String {
        failed.map { claim in
            "\(slug): claim does not hold on this run: \"\(claim.sentence)\""
                + (claim.evidence.isEmpty ? "" : " (\(claim.evidence))")
        }.joined(separator: "\n")
    }
}

/// A claim stated wrongly: its condition cannot be false whatever the data (the same value on
/// both sides of a comparison, or nothing to compare). A programming error of the chapter, not a
/// fact about the run: the run fails and publishes nothing.
public struct ClaimMisuse: Error, CustomStringConvertible {
    public let slug: String
    /// Each misused claim's sentence and what is wrong with it.
    public let misused: [(sentence: String, problem: String)]
    public var description: String {
        misused.map { "\(slug): programming error in the claim \"\($0.sentence)\": \($0.problem)" }.joined(separator: "\n")
    }
}

/// How a number claim compares its two sides.
public enum ClaimRelation: String, Sendable {
    case below = "<", atMost = "≤", above = ">", atLeast = "≥"

    func holds(_ a: Double, _ b: Double) -> Bool {
        switch self {
        case .below: a < b
        case .atMost: a <= b
        case .above: a > b
        case .atLeast: a >= b
        }
    }
}

extension Claim {
    /// `Module/Chapter.swift:12` → `Chapter.swift:12`, or the file's path under `Chapters/` when
    /// the module is a chapter's (`ch03-adagrad/Chapter.swift:12`; a module name has `_` for `-`).
    static func site(file: String, line: UInt) -> String {
        let parts = file.split(separator: "/", maxSplits: 1)
        guard parts.count == 2 else { return "\(file):\(line)" }
        let module = parts[0].replacingOccurrences(of: "_", with: "-")
        return "\(module)/\(parts[1]):\(line)"
    }

    /// Why a claim that `lhs` equals `rhs` would be constant, or nil. Both sides being one stored
    /// array (`runs[i]` passed twice: the mutation `zip(runs[i], runs[i])` that survived an audit)
    /// makes it true whatever was measured; empty sides make it vacuously true.
    static func constantProblem<T>(_ lhs: [T], _ rhs: [T]) -> String? {
        if lhs.isEmpty || rhs.isEmpty { return "a side is empty, so there is nothing to compare" }
        let a = lhs.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        let b = rhs.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        if a != nil && a == b {
            return "both sides are the same stored value, so the condition holds whatever the data; compare two different measurements"
        }
        return nil
    }

    /// Why the comparison `lhs relation rhs` would be constant, or nil: one number on both sides
    /// (`x ≤ x` always holds, `x < x` never does).
    static func constantProblem(_ lhs: Double, _ rhs: Double) -> String? {
        lhs.bitPattern == rhs.bitPattern
            ? "both sides are the same number (\(lhs)), so the condition does not depend on the data; compare two different measurements"
            : nil
    }
}

extension Notebook {
    /// States that two measurements are the same, element for element (e.g. "with clipping every
    /// run is the baseline's, step for step"). Passing one stored array as both sides, or an empty
    /// side, is a programming error (``ClaimMisuse``): such a condition holds whatever the data.
    @discardableResult
    public func claim<T: Equatable>(_ sentence: String, same lhs: [T], as rhs: [T],
                                    evidence: @autoclosure () -> String = "",
                                    file: StaticString = #fileID, line: UInt = #line) -> String {
        if let problem = Claim.constantProblem(lhs, rhs) { claimMisuses.append((sentence, problem)) }
        return claim(sentence, holds: lhs == rhs, evidence: evidence(), file: file, line: line)
    }

    /// States a comparison of two numbers, `lhs relation rhs` (e.g. `best, .below, twoOverL`).
    /// The same number on both sides is a programming error (``ClaimMisuse``).
    @discardableResult
    public func claim(_ sentence: String, _ lhs: Double, _ relation: ClaimRelation, _ rhs: Double,
                      evidence: @autoclosure () -> String = "",
                      file: StaticString = #fileID, line: UInt = #line) -> String {
        if let problem = Claim.constantProblem(lhs, rhs) { claimMisuses.append((sentence, problem)) }
        let holds = relation.holds(lhs, rhs)
        return claim(sentence, holds: holds, evidence: holds ? "" : "\(lhs) \(relation.rawValue) \(rhs) is false" + {
            let more = evidence()
            return more.isEmpty ? "" : "; " + more
        }(), file: file, line: line)
    }

    /// Claims stated wrongly so far (see ``ClaimMisuse``).
    public var misusedClaims: [(sentence: String, problem: String)] { claimMisuses }

    /// States a claim: returns `sentence` to be used in prose, a notice or a caption, and
    /// records whether `holds` is true. The chapter fails at publishing time when any claim
    /// is false; the page's footer reports how many claims were checked.
    ///
    /// ```swift
    /// nb.notice(nb.claim("The best fixed rate sits just below 2/L.",
    ///                    holds: best > 0.9 * twoOverL && best < twoOverL,
    ///                    evidence: "best = \(best), 2/L = \(twoOverL)"))
    /// ```
    @discardableResult
    public func claim(_ sentence: String, holds: Bool, evidence: @autoclosure () -> String = "",
                      file: StaticString = #fileID, line: UInt = #line) -> String {
        claims.append(Claim(sentence: sentence, holds: holds, evidence: holds ? "" : evidence(),
                            site: Claim.site(file: "\(file)", line: line)))
        return sentence
    }

    /// Claims whose conditions were false so far.
    public var failedClaims: [Claim] { claims.filter { !$0.holds } }

    /// Number of claims stated so far.
    public var claimCount: Int { claims.count }
}

/// The claims of each run, one JSON line per claim, appended to the file named by the environment
/// variable `DESCENT_CLAIMS_LOG` when it is set (`Scripts/soak-seeds` sets it and counts, for every
/// claim site, the seeds on which it held). Unset, nothing is written.
enum ClaimsLog {
    struct Line: Codable, Equatable {
        var chapter: String
        var seed: UInt64
        var quick: Bool
        var site: String
        var holds: Bool
        var sentence: String
        var evidence: String
    }

    static let variable = "DESCENT_CLAIMS_LOG"

    static func lines(_ claims: [Claim], slug: String, options: ChapterOptions) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for claim in claims {
            data += try encoder.encode(Line(chapter: slug, seed: options.seed, quick: options.quick, site: claim.site,
                                            holds: claim.holds, sentence: claim.sentence, evidence: claim.evidence))
            data += Data("\n".utf8)
        }
        return data
    }

    /// Appends this run's claims in one write (O_APPEND: runs of several chapters may share the file).
    static func append(_ claims: [Claim], slug: String, options: ChapterOptions,
                       environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let path = environment[variable], !path.isEmpty, !claims.isEmpty else { return }
        let data = try lines(claims, slug: slug, options: options)
        // O_NONBLOCK: a FIFO nobody reads fails at once (ENXIO) instead of blocking the run forever;
        // once open, writes block as usual (a reader is there, or it is a file).
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NONBLOCK, 0o644)
        guard fd >= 0 else {
            let reason = errno == ENXIO ? "a FIFO with no reader" : String(cString: strerror(errno))
            throw NotebookError.unwritableOutput(path, "\(variable): \(reason)")
        }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == data.count else {
            throw NotebookError.unwritableOutput(path, "\(variable): \(written < 0 ? String(cString: strerror(errno)) : "short write")")
        }
    }
}

extension Notebook {
    /// The seed set of a random experiment: `count` seeds derived from `--seed` (`seed`, `seed + 1`,
    /// …), so `--seed N` moves the whole set and a page names its runs. A claim about the experiment
    /// is stated over the whole set, with a margin (every run, or a "k of n" count), never over one run.
    public func seeds(_ count: Int) -> [UInt64] {
        precondition(count > 0, "a seed set needs at least one seed")
        return (0..<count).map { seed &+ UInt64($0) }
    }

    /// `work(i)` for every `i` in `0..<count`, spread over the machine's cores; results in order.
    /// For the independent runs of a seed set (each run must own its state: its own generator,
    /// parameters and optimizer). Deterministic: the results do not depend on the scheduling.
    public func parallelMap<T>(_ count: Int, _ work: (Int) -> T) -> [T] {
        var results = [T?](repeating: nil, count: count)
        withoutActuallyEscaping(work) { work in
            nonisolated(unsafe) let work = work
            results.withUnsafeMutableBufferPointer { slots in
                nonisolated(unsafe) let slots = slots
                DispatchQueue.concurrentPerform(iterations: count) { i in slots[i] = work(i) }
            }
        }
        return results.map { $0! }
    }
}

/// One measurement over the runs of a seed set: mean, median, smallest and largest — what a table
/// of a random experiment shows ("median (smallest – largest)"), in one place for every chapter.
public struct Spread: Sendable {
    public let mean: Double, median: Double, min: Double, max: Double
    public init(_ values: [Double]) {
        precondition(!values.isEmpty, "a spread needs at least one value")
        let s = values.sorted()
        mean = values.reduce(0, +) / Double(values.count)
        // The middle value, or the mean of the two middle ones (an even count).
        median = s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        (min, max) = (s.first!, s.last!)
    }
}

/// The median of `v` (the mean of the two middle values when the count is even); ``Spread/median``.
public func median(_ v: [Double]) -> Double {
    precondition(!v.isEmpty, "the median of nothing")
    return Spread(v).median
}
