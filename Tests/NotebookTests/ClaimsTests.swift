import Foundation
import Publishing
import TestSupport
import Testing
@testable import Notebook

@Suite("Claims: a false sentence fails the run")
struct ClaimsTests {
    @Test("a false claim: non-zero exit, one stderr line per claim naming chapter, sentence and numbers, nothing published")
    func falseClaimFails() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try spawn("claims-fixture", ["--output", dir.path, "--no-render", "--true-claims", "2", "--false-claims", "2"])
        #expect(run.status != 0)
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines == [
            "claims-fixture: claim does not hold on this run: \"Claim 1: 0.5 exceeds 10.\" (value = 0.5, bound = 10)",
            "claims-fixture: claim does not hold on this run: \"Claim 2: 1.5 exceeds 10.\" (value = 1.5, bound = 10)",
        ], "stderr was:\n\(run.stderr)")
        #expect(!run.stderr.contains("Usage") && !run.stderr.contains("Error:"))
        let published = (try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("claims-fixture").path)) ?? []
        #expect(published.isEmpty, "published \(published)")
        // No staging folder left behind either.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".staging") }.isEmpty)
    }

    @Test("a false claim keeps the previous page")
    func previousPageStays() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try spawn("claims-fixture", ["--output", dir.path, "--no-render", "--quiet"]).status == 0)
        let page = dir.appendingPathComponent("claims-fixture/README.md")
        let before = try String(contentsOf: page, encoding: .utf8)
        #expect(try spawn("claims-fixture", ["--output", dir.path, "--no-render", "--quiet", "--false-claims", "1"]).status != 0)
        #expect(try String(contentsOf: page, encoding: .utf8) == before)
    }

    @Test("the footer counts the claims checked on the run")
    func footerCount() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (n, phrase) in [(0, "0 claims checked"), (1, "1 claim checked"), (3, "3 claims checked")] {
            let run = try spawn("claims-fixture", ["--output", dir.path, "--no-render", "--quiet", "--true-claims", "\(n)"])
            #expect(run.status == 0, "\(run.stderr)")
            let page = try String(contentsOf: dir.appendingPathComponent("claims-fixture/README.md"), encoding: .utf8)
            #expect(page.contains(phrase), "footer for \(n) claims")
            #expect(page.components(separatedBy: "exceeds 1.").count - 1 == n)
        }
    }

    @Test("claim returns its sentence and records the evidence only when false")
    func inProcess() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let options = try ChapterOptions.parse(["--output", dir.path, "--quiet"])
        let nb = try Notebook(ChapterInfo(number: 99, slug: "claims-unit", title: "t", summary: "s", mainFigure: "m",
                                          articleSection: "a"), options: options)
        #expect(nb.claim("A holds.", holds: true, evidence: "x") == "A holds.")
        let line = #line + 1
        #expect(nb.claim("B fails.", holds: false, evidence: "b = 1") == "B fails.")
        #expect(nb.claimCount == 2)
        #expect(nb.failedClaims.map(\.sentence) == ["B fails."] && nb.failedClaims.map(\.evidence) == ["b = 1"])
        // Where it was stated: this file and line, the same on every seed (the soak counts claims by it).
        #expect(nb.failedClaims.map(\.site) == ["NotebookTests/ClaimsTests.swift:\(line)"])
        #expect(ClaimsFailed(slug: "claims-unit", failed: nb.failedClaims).description
                == "claims-unit: claim does not hold on this run: \"B fails.\" (b = 1)")
    }
}

@Suite("Quick runs list their false claims in a banner; DESCENT_CLAIMS_LOG records every claim")
struct QuickClaimsTests {
    @Test("--quick: a false claim is listed in the page's banner and on stderr, the run exits 0 and publishes")
    func quickFalseClaimIsListed() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try spawn("claims-fixture", ["--output", dir.path, "--no-render", "--quick", "--true-claims", "1", "--false-claims", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let page = try String(contentsOf: dir.appendingPathComponent("claims-fixture/README.md"), encoding: .utf8)
        let lines = page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The banner sits right under the title and the run line, before anything the chapter wrote.
        let banner = try #require(lines.firstIndex { $0.hasPrefix("> **Quick run**") })
        let firstProse = try #require(lines.firstIndex { $0.contains("2 exceeds 1.") })
        #expect(banner < firstProse)
        #expect(lines[banner].contains("2 of 3 claims did not hold on this run"))
        #expect(lines.contains("> - \"Claim 1: 0.5 exceeds 10.\" (value = 0.5, bound = 10)"))
        #expect(lines.contains("> - \"Claim 2: 1.5 exceeds 10.\" (value = 1.5, bound = 10)"))
        #expect(!lines.contains { $0.hasPrefix("> - ") && $0.contains("2 exceeds 1.") }, "a true claim is not listed")
        #expect(run.stderr.contains("claims-fixture: claim does not hold on this quick run (listed in the page's banner): \"Claim 1: 0.5 exceeds 10.\""))
    }

    @Test("--quick with every claim true: the banner says the run is small and that all held; a full run has no banner")
    func quickBannerWhenAllHold() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try spawn("claims-fixture", ["--output", dir.path, "--no-render", "--quick", "--true-claims", "3"]).status == 0)
        let page = try String(contentsOf: dir.appendingPathComponent("claims-fixture/README.md"), encoding: .utf8)
        #expect(page.contains("> **Quick run** (`--quick`)") && page.contains("All 3 claims held on this run."))
        #expect(try spawn("claims-fixture", ["--output", dir.path, "--no-render", "--true-claims", "3"]).status == 0)
        let full = try String(contentsOf: dir.appendingPathComponent("claims-fixture/README.md"), encoding: .utf8)
        #expect(!full.contains("Quick run"))
    }

    @Test("DESCENT_CLAIMS_LOG: one JSON line per claim, true and false, with chapter, seed, site; appended, not replaced")
    func claimsLog() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("claims.jsonl")
        var env = ProcessInfo.processInfo.environment
        env["DESCENT_CLAIMS_LOG"] = log.path
        #expect(try spawn("claims-fixture", ["--output", dir.path, "--no-render", "--quiet", "--seed", "4294967295",
                                             "--true-claims", "2", "--false-claims", "1"], environment: env).status != 0)
        #expect(try spawn("claims-fixture", ["--output", dir.path, "--no-render", "--quiet", "--seed", "7", "--quick"],
                          environment: env).status == 0)
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(ClaimsLog.Line.self, from: Data($0.utf8)) }
        #expect(lines.count == 4)
        #expect(lines.map(\.holds) == [true, true, false, true])
        #expect(lines.map(\.seed) == [4294967295, 4294967295, 4294967295, 7])
        #expect(lines.map(\.quick) == [false, false, false, true])
        #expect(Set(lines.map(\.chapter)) == ["claims-fixture"])
        #expect(lines[2].sentence == "Claim 1: 0.5 exceeds 10." && lines[2].evidence == "value = 0.5, bound = 10")
        // The two true claims come from one line of the fixture: one site, so the soak counts them as one claim.
        #expect(lines[0].site == lines[1].site && lines[0].site.hasPrefix("claims-fixture/ClaimsFixture.swift:"))
        #expect(lines[2].site != lines[0].site && lines[3].site == lines[0].site)
    }

    @Test("without DESCENT_CLAIMS_LOG nothing is written; an unwritable log fails the run, naming the variable")
    func claimsLogUnset() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try ClaimsLog.append([Claim(sentence: "s", holds: true, evidence: "")], slug: "x",
                             options: try ChapterOptions.parse(["--output", dir.path]), environment: [:])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        #expect(throws: NotebookError.self) {
            try ClaimsLog.append([Claim(sentence: "s", holds: true, evidence: "")], slug: "x",
                                 options: try ChapterOptions.parse(["--output", dir.path]),
                                 environment: ["DESCENT_CLAIMS_LOG": dir.appendingPathComponent("no/such/folder").path])
        }
    }
}

extension ClaimsTests {
    @Test("DESCENT_CLAIMS_LOG naming a FIFO that nobody reads fails at once with a sentence, instead of hanging")
    func claimsLogFIFO() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("claims.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let options = try ChapterOptions.parse(["--output", dir.path])
        // On a worker thread, so that a regression (open blocking for a reader) fails the test
        // after the wait instead of hanging the suite.
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var message: String?
        Thread.detachNewThread {
            do {
                try ClaimsLog.append([Claim(sentence: "s", holds: true, evidence: "")], slug: "x", options: options,
                                     environment: ["DESCENT_CLAIMS_LOG": fifo])
            } catch { message = "\(error)" }
            done.signal()
        }
        #expect(done.wait(timeout: .now() + 20) == .success, "append blocked on a FIFO without a reader")
        #expect(message?.contains("a FIFO with no reader") == true, "\(message ?? "no error")")
    }
}

/// Issue 19: a claim comparing a run with itself (`zip(runs[i], runs[i])`) survived a mutation
/// audit. Such claims are programming errors of the claim API.
@Suite("Claims whose condition cannot be false are programming errors")
struct ConstantClaimTests {
    func notebook(_ dir: URL) throws -> Notebook {
        let options = try ChapterOptions.parse(["--output", dir.path, "--quiet"])
        return try Notebook(ChapterInfo(number: 99, slug: "claims-unit", title: "t", summary: "s", mainFigure: "m",
                                        articleSection: "a"), options: options)
    }

    @Test("the same array on both sides, an empty side, the same number on both sides: misuse, named")
    func sameSides() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let nb = try notebook(dir)
        let runs = [[1.0, 2.0], [1.0, 2.5]]
        let i = 1
        nb.claim("With clipping every run is the baseline's.", same: runs[i], as: runs[i])
        nb.claim("Nothing differs.", same: [Double](), as: [])
        let best = 0.47
        nb.claim("The best rate sits below 2/L.", best, .below, best)
        #expect(nb.misusedClaims.map(\.sentence) == ["With clipping every run is the baseline's.", "Nothing differs.",
                                                     "The best rate sits below 2/L."])
        #expect(nb.misusedClaims[0].problem.contains("same stored value"))
        #expect(nb.misusedClaims[2].problem.contains("same number"))
        let error = ClaimMisuse(slug: "claims-unit", misused: nb.misusedClaims)
        #expect(error.description.split(separator: "\n").count == 3)
        #expect(error.description.hasPrefix("claims-unit: programming error in the claim \"With clipping every run is the baseline's.\""))
    }

    @Test("two different measurements that happen to be equal, or ordered, are ordinary claims")
    func differentSides() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let nb = try notebook(dir)
        let clipped = (0..<3).map { Double($0) * 0.5 }, baseline = (0..<3).map { Double($0) / 2 }
        #expect(nb.claim("Equal runs.", same: clipped, as: baseline) == "Equal runs.")
        nb.claim("Different runs are equal.", same: clipped, as: baseline + [1])
        nb.claim("0.47 < 0.5.", 0.47, .below, 0.5)
        nb.claim("0.5 ≤ 0.47.", 0.5, .atMost, 0.47)
        #expect(nb.misusedClaims.isEmpty)
        #expect(nb.failedClaims.map(\.sentence) == ["Different runs are equal.", "0.5 ≤ 0.47."])
        #expect(nb.failedClaims[1].evidence.contains("0.5 ≤ 0.47 is false"))
    }

    @Test("a chapter stating such a claim fails as a programming error: one line naming it, exit 70, nothing published")
    func failsTheRun() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try spawn("claims-fixture", ["--output", dir.path, "--no-render", "--quiet", "--same-sides"])
        #expect(run.status == 70 && !run.signaled)
        #expect(run.stderr.split(separator: "\n").map(String.init) == [
            "claims-fixture: programming error in the claim \"Clipped runs equal the baseline's.\": both sides are the same "
                + "stored value, so the condition holds whatever the data; compare two different measurements",
        ], "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}

@Suite("Solutions never write into the book's folder")
struct SolutionsFolderTests {
    @Test("--solutions with the default output goes to a temporary folder; ./output is untouched")
    func defaultOutputRedirected() throws {
        let cwd = try tempDir()
        defer { try? FileManager.default.removeItem(at: cwd) }
        let run = try runProcess(builtExecutable("ch00-tour"), ["--solutions", "--no-render"], currentDirectory: cwd)
        let out = run.stdout
        #expect(run.status == 0)
        #expect(!FileManager.default.fileExists(atPath: cwd.appendingPathComponent("output").path))
        #expect(out.contains("Solutions run: the page goes to"))
    }

    @Test("a folder holding the book's contents page counts as the book")
    func bookFolderDetected() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(ChapterRun.solutionsFolder(for: dir.path) == nil)
        try "# \(Book.title)\n".write(to: dir.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        #expect(ChapterRun.solutionsFolder(for: dir.path) != nil)
    }
}

@Suite("Seed sets")
struct SeedSetTests {
    @Test("a seed set starts at --seed and moves with it; parallelMap keeps the order of its inputs")
    func seedsAndParallelMap() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let info = ChapterInfo(number: 99, slug: "seeds-unit", title: "t", summary: "s", mainFigure: "m", articleSection: "a")
        let nb = try Notebook(info, options: try ChapterOptions.parse(["--output", dir.path, "--quiet", "--seed", "4294967295"]))
        #expect(nb.seeds(3) == [4294967295, 4294967296, 4294967297])
        // Uneven work so that later items can finish first: the results still come back in order.
        let squares = nb.parallelMap(64) { i -> Int in
            var x = 0.0
            for k in 0..<((64 - i) * 2000) { x += Double(k).squareRoot() }
            return x >= 0 ? i * i : -1
        }
        #expect(squares == (0..<64).map { $0 * $0 })
    }
}
