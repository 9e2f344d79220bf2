// A one-page "chapter" for the tests of Notebook.claim: it states as many true and false
// claims as asked, through the same entry shape (ChapterCommand) every chapter uses.
import ArgumentParser
import Notebook

@main
struct ClaimsFixture: ChapterCommand {
    static let slug = "claims-fixture"
    static var info: ChapterInfo {
        ChapterInfo(number: 99, slug: slug, title: "Claims fixture", summary: "States the claims the tests ask for.",
                    mainFigure: "none", articleSection: "none")
    }

    @OptionGroup var options: ChapterOptions

    @Option(help: "Number of true claims to state.")
    var trueClaims = 1

    @Option(help: "Number of false claims to state.")
    var falseClaims = 0

    @Flag(help: "State a claim comparing one run with itself (a programming error).")
    var sameSides = false

    func body(_ nb: Notebook) async throws {
        if sameSides {
            let runs = [[0.5, 0.25], [0.5, 0.125]]
            nb.prose(nb.claim("Clipped runs equal the baseline's.", same: runs, as: runs))
        }
        for i in 0..<trueClaims {
            let two = 2.0 + Double(i)
            nb.prose(nb.claim("\(Fmt.sig(two)) exceeds 1.", holds: two > 1, evidence: "value = \(two)"))
        }
        for i in 0..<falseClaims {
            let small = 0.5 + Double(i)
            nb.notice(nb.claim("Claim \(i + 1): \(Fmt.sig(small)) exceeds 10.", holds: small > 10,
                               evidence: "value = \(small), bound = 10"))
        }
    }
}

