import Foundation

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
                                    evidence: @autoclosure () -> String = "") -> String {
        if let problem = Claim.constantProblem(lhs, rhs) { claimMisuses.append((sentence, problem)) }
        return claim(sentence, holds: lhs == rhs, evidence: evidence())
    }

    /// States a comparison of two numbers, `lhs relation rhs` (e.g. `best, .below, twoOverL`).
    /// The same number on both sides is a programming error (``ClaimMisuse``).
    @discardableResult
    public func claim(_ sentence: String, _ lhs: Double, _ relation: ClaimRelation, _ rhs: Double,
                      evidence: @autoclosure () -> String = "") -> String {
        if let problem = Claim.constantProblem(lhs, rhs) { claimMisuses.append((sentence, problem)) }
        let holds = relation.holds(lhs, rhs)
        return claim(sentence, holds: holds, evidence: holds ? "" : "\(lhs) \(relation.rawValue) \(rhs) is false" + {
            let more = evidence()
            return more.isEmpty ? "" : "; " + more
        }())
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
    public func claim(_ sentence: String, holds: Bool, evidence: @autoclosure () -> String = "") -> String {
        claims.append(Claim(sentence: sentence, holds: holds, evidence: holds ? "" : evidence()))
        return sentence
    }

    /// Claims whose conditions were false so far.
    public var failedClaims: [Claim] { claims.filter { !$0.holds } }

    /// Number of claims stated so far.
    public var claimCount: Int { claims.count }
}
