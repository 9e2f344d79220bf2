import Foundation
import Testing

/// `lab train --residual` and `--batch-norm` against PyTorch
/// (Tests/Golden/train-options/make_train_options_golden.py, versions beside it): same data, same
/// initial weights and batch-norm state from --init-params, full batch; train_loss at every step
/// to 1e-9 relative, the final weights, γ, β and running averages to 1e-8.
@Suite("lab train --residual / --batch-norm: PyTorch parity")
struct TrainOptionsGoldenTests {
    static let directory = goldenDirectory.appendingPathComponent("train-options")

    static let cases: [TrainGoldenCase] = {
        let text = (try? String(contentsOf: directory.appendingPathComponent("manifest.tsv"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let f = line.split(separator: "\t").map(String.init)
            return TrainGoldenCase(name: f[0], data: "", arguments: f.dropFirst().map {
                $0.replacingOccurrences(of: "{dir}", with: directory.path)
                    .replacingOccurrences(of: "{data}", with: trainGoldenDirectory.path)
            })
        }
    }()

    /// Every number of a parameter file's "layers" (weights, biases, batch-norm sections), keys sorted
    /// (the "model" and "scaling" keys beside it are not weights).
    static func numbers(_ url: URL) throws -> [Double] {
        func walk(_ v: Any) -> [Double] {
            if let d = v as? [String: Any] { return d.keys.sorted().flatMap { walk(d[$0]!) } }
            if let a = v as? [Any] { return a.flatMap(walk) }
            if let n = v as? NSNumber { return [n.doubleValue] }
            return []
        }
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return walk(object["layers"]!)
    }

    @Test("the manifest covers residual, batch norm, both, and an --init-params without batch_norm")
    func coverage() {
        #expect(Self.cases.count == 4)
        #expect(Self.cases.contains { $0.arguments.contains("--residual") && !$0.arguments.contains("--batch-norm") })
        #expect(Self.cases.contains { $0.arguments.contains("--batch-norm") && !$0.arguments.contains("--residual") })
        #expect(Self.cases.contains { $0.arguments.contains("--batch-norm") && $0.arguments.contains("--residual") })
        #expect(Self.cases.contains { $0.name.contains("defaults") })
    }

    @Test("train_loss at every step and the final state match PyTorch", arguments: cases)
    func parity(_ c: TrainGoldenCase) throws {
        let saved = FileManager.default.temporaryDirectory.appendingPathComponent("train-options-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: saved) }
        let run = try lab(c.arguments + ["--save-params", saved.path])
        #expect(run.status == 0, "\(run.stderr)")
        let expected = try String(contentsOf: Self.directory.appendingPathComponent("\(c.name).csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        let lines = run.lines
        try #require(lines.count == expected.count + 1, "\(lines.count - 1) rows, torch has \(expected.count)")
        for (line, torch) in zip(lines.dropFirst(), expected) {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            let step = Double(f[0])!, loss = Double(f[2])!
            #expect(step == torch[0])
            #expect(close(loss, torch[2], rel: 1e-9), "\(c.name) step \(Int(step)): loss \(loss) vs torch \(torch[2])")
        }
        let mine = try Self.numbers(saved)
        let theirs = try Self.numbers(Self.directory.appendingPathComponent("\(c.name).final.json"))
        try #require(mine.count == theirs.count, "\(mine.count) numbers vs torch's \(theirs.count)")
        let worst = zip(mine, theirs).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        #expect(worst <= 1e-8, "\(c.name): final state differs by \(worst)")
    }

    @Test("--residual needs equal hidden widths; --batch-norm needs batches of 2 or more rows")
    func badOptions() throws {
        let base = ["train", "--data", "\(trainGoldenDirectory.path)/regression.csv", "--optimizer", "sgd", "--lr", "0.1",
                    "--steps", "2"]
        let unequal = try lab(base + ["--layers", "8,4", "--residual"])
        #expect(unequal.status != 0 && unequal.stderr.contains("--residual") && unequal.stdout.isEmpty)
        let one = try lab(base + ["--layers", "8,8", "--batch-norm", "--batch-size", "1"])
        #expect(one.status != 0 && one.stderr.contains("--batch-norm") && one.stdout.isEmpty)
        // 80 rows in batches of 79 leave a last batch of 1 row.
        let tail = try lab(base + ["--layers", "8,8", "--batch-norm", "--batch-size", "79", "--validation", "0"])
        #expect(tail.status != 0 && tail.stderr.contains("1 of the 80") && tail.stdout.isEmpty, "\(tail.stderr)")
    }
}
