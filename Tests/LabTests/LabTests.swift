import Foundation
import Descent
import TestSupport
import Testing

/// `lab` end to end: spawn the built binary and read what it prints (TestSupport's runner).
typealias LabRun = ProcessRun

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The `lab` executable next to the test bundle (swift test builds it with the tests).
let labURL = builtExecutable("lab")

func lab(_ arguments: [String], environment: [String: String]? = nil) throws -> LabRun {
    try runProcess(labURL, arguments, environment: environment)
}

let goldenDirectory = repositoryRoot.appendingPathComponent("Tests/Golden")

struct ManifestCase: CustomStringConvertible, Sendable {
    let name: String, kind: String, arguments: [String]
    var description: String { name }
}

let manifest: [ManifestCase] = {
    let text = (try? String(contentsOf: goldenDirectory.appendingPathComponent("manifest.tsv"), encoding: .utf8)) ?? ""
    return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
        let f = line.split(separator: "\t").map(String.init)
        return ManifestCase(name: f[0], kind: f[1], arguments: Array(f.dropFirst(2)))
    }
}()

func close(_ a: Double, _ b: Double, rel: Double, abs absTol: Double = 0) -> Bool {
    if a == b { return true }
    if !a.isFinite || !b.isFinite { return a.isNaN && b.isNaN }
    return Swift.abs(a - b) <= Swift.max(rel * Swift.max(Swift.abs(a), Swift.abs(b)), absTol)
}

@Suite("lab end to end")
struct LabTests {
    @Test("the binary exists")
    func binary() {
        #expect(FileManager.default.isExecutableFile(atPath: labURL.path), "build first: swift build (looked at \(labURL.path))")
    }

    @Test("lab reproduces every committed PyTorch trajectory and schedule", arguments: manifest)
    func golden(_ c: ManifestCase) throws {
        let run = try lab([c.kind] + c.arguments)
        #expect(run.status == 0, "\(run.stderr)")
        let expected = try String(contentsOf: goldenDirectory.appendingPathComponent("\(c.kind)/\(c.name).csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let lines = run.lines
        try #require(lines.count == expected.count)
        #expect(lines[0] == expected[0])
        for (mine, theirs) in zip(lines.dropFirst(), expected.dropFirst()) {
            let a = mine.split(separator: ",").map { Double($0)! }, b = theirs.split(separator: ",").map { Double($0)! }
            #expect(a.count == b.count && a[0] == b[0])
            let absFloor = c.kind == "schedule" ? 1e-16 : 0
            #expect(zip(a, b).allSatisfy { close($0, $1, rel: 1e-12, abs: absFloor) }, "\(c.name): \(mine) vs torch \(theirs)")
        }
    }

    @Test("optimize: header, N+1 rows, the exact text of a known run")
    func optimizeRows() throws {
        let run = try lab(["optimize", "--function", "quadratic", "--start", "-5,-2", "--steps", "7", "--optimizer", "sgd", "--lr", "0.4"])
        #expect(run.status == 0 && run.stderr.isEmpty)
        #expect(run.lines.count == 9)
        // Row k: point before update k; x ← 0.96x, y ← −0.6y; loss 0.1x² + 2y².
        #expect(Array(run.lines.prefix(3)) == ["step,lr,loss,x,y", "0,0.4,10.5,-5.0,-2.0", "1,0.4,4.996,-4.6,1.2000000000000002"])
    }

    @Test("optimize --noise: the library's noisy run, text for text; the same seed twice is the same run; bad values refused")
    func optimizeNoise() throws {
        let base = ["optimize", "--function", "quadratic", "--start", "-5,-2", "--steps", "40", "--optimizer", "sgd", "--lr", "0.1"]
        let run = try lab(base + ["--momentum", "0.5", "--noise", "0.7", "--seed", "9"])
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        let reference = optimize(Quadratic(), from: [-5, -2], steps: 40, optimizer: SGD(learningRate: 0.1, momentum: 0.5),
                                 noise: GradientNoise(sigma: 0.7, seed: 9))
        let same = Array(run.lines.dropFirst()) == reference.points.map {
            "\($0.step),\($0.learningRate),\($0.loss),\($0.point[0]),\($0.point[1])" }
        #expect(same, "lab's rows differ from the library's noisy run")
        #expect(try lab(base + ["--momentum", "0.5", "--noise", "0.7", "--seed", "9"]).lines == run.lines)
        #expect(try lab(base + ["--momentum", "0.5", "--noise", "0.7", "--seed", "10"]).lines != run.lines)
        let exact = try lab(base + ["--momentum", "0.5"])
        #expect(try lab(base + ["--momentum", "0.5", "--noise", "0"]).lines == exact.lines)
        for (extra, words) in [(["--noise", "-1"], "--noise must be"), (["--noise", "nan"], "--noise must be"),
                               (["--seed", "3"], "--seed sets the noise's stream")] {
            let refused = try lab(base + extra)
            #expect(refused.status != 0 && refused.stderr.contains(words), "\(extra): \(refused.stderr)")
        }
    }

    @Test("optimize: the last row's lr is the rate the schedule would give next")
    func lastRowRate() throws {
        let run = try lab(["optimize", "--function", "quadratic", "--start", "1,1", "--steps", "3", "--optimizer", "adam",
                           "--lr", "0.1", "--schedule", "step:size=3,gamma=0.5"])
        #expect(run.lines.map { $0.split(separator: ",")[1] } == ["lr", "0.1", "0.1", "0.1", "0.05"])
    }

    @Test("schedule: header step,lr and N rows; loss-driven specs are refused")
    func schedule() throws {
        let run = try lab(["schedule", "--lr", "1", "--steps", "4", "--schedule", "warmup:steps=2+constant"])
        #expect(run.lines == ["step,lr", "0,0.5", "1,1.0", "2,1.0", "3,1.0"])
        let refused = try lab(["schedule", "--lr", "1", "--steps", "4", "--schedule", "plateau"])
        #expect(refused.status != 0 && refused.stderr.contains("use 'lab optimize --schedule"))
    }

    @Test("find-lr: CSV header and the two suggestions on stderr, inside (0, 2/L)")
    func findLR() throws {
        let run = try lab(["find-lr", "--function", "quadratic", "--start", "-5,-2", "--optimizer", "sgd",
                           "--min-lr", "1e-6", "--max-lr", "10", "--steps", "100"])
        #expect(run.status == 0)
        #expect(run.lines.first == "step,lr,loss,smoothed")
        let suggestions = run.stderr.split(separator: "\n").map(String.init)
        #expect(suggestions.count == 2)
        #expect(suggestions[0].hasPrefix("suggested lr (steepest): ") && suggestions[1].hasPrefix("suggested lr (min/10): "))
        for line in suggestions {
            let v = Double(line.split(separator: " ").last!)!
            #expect(v > 0 && v < 0.5, "\(line)")
        }
    }

    @Test("a non-finite loss stops the run at that row with 'diverged at step k'")
    func divergence() throws {
        let run = try lab(["optimize", "--function", "saddle", "--start", "1,1", "--steps", "5000", "--optimizer", "sgd", "--lr", "0.9"])
        #expect(run.status == 0)
        let message = run.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(message.hasPrefix("diverged at step "))
        let k = Int(message.split(separator: " ").last!)!
        #expect(run.lines.count == k + 2)  // header + rows 0…k
        let lastLoss = Double(run.lines.last!.split(separator: ",")[2])!
        #expect(!lastLoss.isFinite)
    }

    @Test("table format is aligned")
    func table() throws {
        let run = try lab(["optimize", "--function", "quadratic", "--start", "-5,-2", "--steps", "3", "--optimizer", "sgd",
                           "--lr", "0.4", "--format", "table"])
        let widths = Set(run.lines.map(\.count))
        #expect(widths.count == 1 && run.lines.count == 6 && run.lines[1].allSatisfy { $0 == "-" || $0 == " " })
    }

    static let plotArguments = ["schedule", "--lr", "0.1", "--steps", "100", "--schedule", "cosine:T=100", "--format", "plot"]

    @Test("plot format without gnuplot says how to install it")
    func plotWithoutGnuplot() throws {
        let noGnuplot = try lab(Self.plotArguments, environment: ["PATH": "/nonexistent", "COLUMNS": "100"])
        #expect(noGnuplot.status != 0 && noGnuplot.stderr.contains("apt-get install gnuplot"))
    }

    @Test("plot format draws with gnuplot's dumb terminal",
          .enabled(if: ["/usr/bin/gnuplot", "/usr/local/bin/gnuplot", "/opt/homebrew/bin/gnuplot"].contains {
              FileManager.default.isExecutableFile(atPath: $0) }, "gnuplot is not installed"))
    func plot() throws {
        let args = Self.plotArguments
        let run = try lab(args, environment: ["PATH": "/usr/bin:/bin:/usr/local/bin:/opt/homebrew/bin", "COLUMNS": "100"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("cosine:T=100"))
        #expect(run.lines.allSatisfy { $0.count <= 100 })
        #expect(run.lines.count >= 20)
    }

    static let optimizeBase = ["optimize", "--function", "quadratic", "--start", "1,1", "--steps", "5", "--optimizer", "sgd", "--lr", "0.1"]
    static func with(_ changes: [String: String?], extra: [String] = []) -> [String] {
        var a = optimizeBase
        for (flag, value) in changes {
            if let i = a.firstIndex(of: flag) {
                if let value { a[i + 1] = value } else { a.removeSubrange(i...(i + 1)) }
            }
        }
        return a + extra
    }

    @Test("bad input exits non-zero with a message saying what to type", arguments: [
        (with(["--lr": "0"]), "--lr must be a finite number > 0"),
        (with(["--lr": "-1"]), "--lr must be a finite number > 0"),
        (with(["--lr": "nan"]), "--lr must be a finite number > 0"),
        (with(["--lr": "inf"]), "--lr must be a finite number > 0"),
        (with(["--steps": "0"]), "--steps must be ≥ 1"),
        (with(["--function": "banana"]), "quadratic"),
        (with(["--optimizer": "adamw"]), "article-adam"),
        (with(["--start": "1"]), "--start expects two finite numbers X,Y"),
        (with(["--start": "a,b"]), "--start expects two finite numbers X,Y"),
        (with(["--start": "1,2,3"]), "--start expects two finite numbers X,Y"),
        (with([:], extra: ["--schedule", "cosine:T=x"]), "T=x in cosine: expected an integer"),
        (with([:], extra: ["--schedule", "cosin"]), "unknown schedule 'cosin'"),
        (with(["--optimizer": "adam"], extra: ["--beta1", "1"]), "--beta1 must be in [0, 1)"),
        (with(["--optimizer": "adam"], extra: ["--beta2", "-0.1"]), "--beta2 must be in [0, 1)"),
        (with(["--optimizer": "adam"], extra: ["--momentum", "0.9"]), "--momentum does not apply to --optimizer adam"),
        (with([:], extra: ["--amsgrad"]), "--amsgrad does not apply to --optimizer sgd"),
        (with([:], extra: ["--alpha", "0.9"]), "--alpha does not apply to --optimizer sgd"),
        (with([:], extra: ["--nesterov"]), "--nesterov needs a momentum"),
        (with(["--optimizer": "rmsprop"], extra: ["--alpha", "1"]), "--alpha must be in [0, 1)"),
        (with([:], extra: ["--format", "png"]), "csv"),
        (["schedule", "--lr", "0.1", "--steps", "10", "--schedule", "restart:threshold=1"], "loss-driven"),
        (["find-lr", "--function", "quadratic", "--start", "1,1", "--optimizer", "sgd", "--min-lr", "1", "--max-lr", "0.1"], "--max-lr (0.1) must be larger"),
        (["frobnicate"], "Unexpected argument"),
    ] as [([String], String)])
    func badInput(arguments: [String], fragment: String) throws {
        let run = try lab(arguments)
        #expect(run.status != 0, "\(arguments) should fail")
        #expect(!run.crashed)
        #expect(run.stderr.contains(fragment), "\(arguments): \(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test("--help documents every flag")
    func help() throws {
        let run = try lab(["optimize", "--help"])
        #expect(run.status == 0)
        for flag in ["--function", "--start", "--steps", "--optimizer", "--lr", "--momentum", "--nesterov", "--alpha",
                     "--beta1", "--beta2", "--eps", "--amsgrad", "--initial-accumulator", "--schedule", "--format"] {
            #expect(run.stdout.contains(flag), "\(flag) missing from help")
        }
        // No flag is listed without text after it.
        #expect(!run.stdout.contains("<double>\n"))
        for sub in [["--help"], ["schedule", "--help"], ["find-lr", "--help"]] {
            #expect(try lab(sub).status == 0)
        }
    }

    @Test("fuzz: random flag values never crash lab")
    func fuzz() throws {
        var state: UInt64 = 0x5EED
        func next(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int((state >> 33) % UInt64(n)) }
        let numbers = ["0", "-1", "1e308", "-1e308", "nan", "inf", "0.5", "1", "2", "1e-320", "abc", "", "-0", "3,4", "99999999999999999999"]
        let flags = ["--lr", "--steps", "--momentum", "--alpha", "--beta1", "--beta2", "--eps", "--initial-accumulator",
                     "--dampening", "--weight-decay", "--lr-decay", "--min-lr", "--max-lr", "--start", "--schedule"]
        let optimizers = ["sgd", "adagrad", "rmsprop", "adam", "article-adagrad", "article-rmsprop", "article-adam"]
        let commands = ["optimize", "find-lr", "schedule"]
        for _ in 0..<120 {
            var args = [commands[next(3)], "--function", ["quadratic", "rosenbrock", "saddle"][next(3)],
                        "--optimizer", optimizers[next(optimizers.count)], "--start", "\(next(7) - 3),\(next(7) - 3)"]
            for _ in 0..<next(5) { args += [flags[next(flags.count)], numbers[next(numbers.count)]] }
            if next(3) == 0 { args += ["--steps", "\(next(50))", "--lr", "0.0\(next(9) + 1)"] }
            let run = try lab(args)
            #expect(!run.crashed, "lab crashed on \(args): \(run.stderr)")
            #expect([0, 1, 64].contains(run.status), "\(args) → \(run.status)")
        }
    }
}

/// The Playground README shows `/api/optimize`'s answer for the example query (the API is `lab optimize`
/// with lab's numbers): its first row must be lab's first row for that query. (It said 58.0 for the
/// quadratic's loss at (−5, −2), which is 0.1·25 + 2·4 = 10.5.)
@Test("the Playground README's example answer starts with lab's first row")
func playgroundReadmeExample() throws {
    let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("Playground/README.md"), encoding: .utf8)
    let marker = "\"rows\": [["
    let start = try #require(readme.range(of: marker)).upperBound
    let row = readme[start...].prefix { $0 != "]" }.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let run = try lab(["optimize", "--function", "quadratic", "--start=-5,-2", "--steps", "1", "--optimizer", "sgd",
                       "--lr", "0.4"])
    #expect(run.status == 0, "\(run.stderr)")
    let first = try #require(run.lines.dropFirst().first).split(separator: ",").map(String.init)
    #expect(row.compactMap(Double.init) == first.compactMap(Double.init) && row.count == first.count,
            "README \(row), lab \(first)")
}
