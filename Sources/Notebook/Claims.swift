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

extension Notebook {
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
