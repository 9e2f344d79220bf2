import Foundation
import Testing

/// `lab predict` and the parameter file's "model" and "scaling" keys; `lab train --save-best`.
let predictGoldenDirectory = goldenDirectory.appendingPathComponent("predict")

struct PredictGoldenCase: CustomStringConvertible, Sendable {
    let name: String, data: String
    var description: String { name }
}

let predictManifest: [PredictGoldenCase] = {
    let text = (try? String(contentsOf: predictGoldenDirectory.appendingPathComponent("manifest.tsv"), encoding: .utf8)) ?? ""
    return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
        let f = line.split(separator: "\t").map(String.init)
        return PredictGoldenCase(name: f[0], data: f[1])
    }
}()

/// The CSV lines of a run's stdout or a file, split into fields.
private func csvRows(_ text: String) -> [[String]] {
    text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
}

/// One line on stderr naming every fragment, a non-zero exit, nothing on stdout, no crash.
private func expectOneLineError(_ run: LabRun, _ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(run.status != 0 && !run.crashed && run.stdout.isEmpty, "status \(run.status): \(run.stderr)", sourceLocation: sourceLocation)
    #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)", sourceLocation: sourceLocation)
    for f in fragments { #expect(run.stderr.contains(f), "'\(f)' not in: \(run.stderr)", sourceLocation: sourceLocation) }
}

@Suite("lab predict: PyTorch parity (Tests/Golden/predict)")
struct PredictGoldenTests {
    @Test("the manifest covers classification, regression, batch norm and residual")
    func coverage() throws {
        #expect(predictManifest.count == 4)
        let text = try String(contentsOf: predictGoldenDirectory.appendingPathComponent("manifest.tsv"), encoding: .utf8)
        #expect(text.contains("--batch-norm\t--residual") && text.contains("regression.csv\t") && text.contains("classification.csv\t"))
    }

    /// The parameter files were written by `lab train --save-params` (manifest.tsv); make_predict_golden.py
    /// loads each into torch.nn.Sequential (float64, eval mode), scales with the file's keys and predicts.
    @Test("labels equal and numbers within 1e-9 of PyTorch's, header equal", arguments: predictManifest)
    func parity(_ c: PredictGoldenCase) throws {
        let run = try lab(["predict", "--params", predictGoldenDirectory.appendingPathComponent("\(c.name).json").path,
                           "--data", trainGoldenDirectory.appendingPathComponent(c.data).path])
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        let mine = csvRows(run.stdout)
        let torch = csvRows(try String(contentsOf: predictGoldenDirectory.appendingPathComponent("\(c.name).predictions.csv"),
                                       encoding: .utf8))
        try #require(mine.count == torch.count && mine.first == torch.first, "\(mine.first ?? []) vs torch \(torch.first ?? [])")
        let classification = torch[0].count > 1
        var worst = 0.0
        for (i, (a, b)) in zip(mine, torch).enumerated().dropFirst() {
            try #require(a.count == b.count)
            for j in a.indices {
                if classification && j == 0 {
                    #expect(a[j] == b[j], "\(c.name) row \(i): label \(a[j]) vs torch \(b[j])")
                } else {
                    let x = try #require(Double(a[j])), y = try #require(Double(b[j]))
                    worst = max(worst, abs(x - y) / max(1, abs(y)))
                }
            }
        }
        #expect(worst <= 1e-9, "\(c.name): predictions differ from torch's by \(worst)")
    }
}

@Suite("lab predict and the parameter file's scaling")
struct PredictTests {
    static let regression = trainGoldenDirectory.appendingPathComponent("regression.csv").path
    static let classification = trainGoldenDirectory.appendingPathComponent("classification.csv").path
    static let quick = ["--optimizer", "adam", "--lr", "0.01", "--layers", "4", "--steps", "20"]

    /// The data rows of `path` by column name.
    static func columns(_ path: String) throws -> [String: [Double]] {
        let rows = csvRows(try String(contentsOfFile: path, encoding: .utf8))
        var out: [String: [Double]] = [:]
        for (j, name) in rows[0].enumerated() { out[name] = rows.dropFirst().map { Double($0[j])! } }
        return out
    }

    static func object(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    @Test("the file's scaling is the training split's mean and population σ (constant column: 0), the target's, the sorted labels")
    func scalingKeys() throws {
        let s = try Scratch()
        let p = try s.file("r.json"), q = try s.file("c.json")
        let r = try lab(["train", "--data", Self.regression, "--validation", "0", "--save-params", p] + Self.quick)
        #expect(r.status == 0, "\(r.stderr)")
        let scaling = try #require(try Self.object(p)["scaling"] as? [String: Any])
        let data = try Self.columns(Self.regression)
        #expect(scaling["task"] as? String == "regression" && scaling["target"] as? String == "y")
        let features = try #require(scaling["features"] as? [String])
        #expect(features == ["x1", "x2", "const", "x4"])
        func stats(_ v: [Double]) -> (Double, Double) {
            let m = v.reduce(0, +) / Double(v.count)
            return (m, (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count)).squareRoot())
        }
        let means = try #require(scaling["feature_mean"] as? [Double]), stds = try #require(scaling["feature_std"] as? [Double])
        for (k, name) in features.enumerated() {
            let (m, sd) = stats(data[name]!)
            #expect(close(means[k], m, rel: 1e-12, abs: 1e-15), "\(name) mean \(means[k]) vs \(m)")
            #expect(name == "const" ? stds[k] == 0 : close(stds[k], sd, rel: 1e-12), "\(name) std \(stds[k]) vs \(sd)")
        }
        let (ym, ys) = stats(data["y"]!)
        #expect(close(scaling["target_mean"] as! Double, ym, rel: 1e-12) && close(scaling["target_std"] as! Double, ys, rel: 1e-12))
        #expect(scaling["classes"] == nil)
        let model = try #require(try Self.object(p)["model"] as? [String: Any])
        #expect(model["hidden"] as? [Int] == [4] && model["activation"] as? String == "tanh")
        #expect(model["residual"] as? Bool == false && model["batch_norm"] as? Bool == false)

        let c = try lab(["train", "--data", Self.classification, "--target", "label", "--validation", "0", "--save-params", q] + Self.quick)
        #expect(c.status == 0, "\(c.stderr)")
        let cs = try #require(try Self.object(q)["scaling"] as? [String: Any])
        #expect(cs["classes"] as? [Double] == [2, 5, 7] && cs["task"] as? String == "classification")
        #expect(cs["features"] as? [String] == ["a", "b", "c"] && cs["target_mean"] == nil)
    }

    @Test("with a validation split the scaling is the training rows' statistics, not all rows'")
    func trainingSplitScaling() throws {
        // Half the rows held out: the training split's mean of x1 is not the mean over all rows.
        let s = try Scratch()
        let p = try s.file("p.json")
        let r = try lab(["train", "--data", Self.regression, "--validation", "0.5", "--save-params", p] + Self.quick)
        #expect(r.status == 0, "\(r.stderr)")
        let means = try #require((try Self.object(p)["scaling"] as? [String: Any])?["feature_mean"] as? [Double])
        let all = try Self.columns(Self.regression)["x1"]!
        let allRows = all.reduce(0, +) / Double(all.count)
        #expect(abs(means[0] - allRows) > 1e-6 * abs(allRows), "\(means[0]): the mean over all rows, not the training split's")
    }

    @Test("columns are found by name: reordered, without the target, the same predictions")
    func columnsByName() throws {
        let s = try Scratch()
        let p = try s.file("p.json")
        #expect(try lab(["train", "--data", Self.regression, "--save-params", p] + Self.quick).status == 0)
        let data = try Self.columns(Self.regression)
        let order = ["x4", "const", "x2", "x1"]
        var text = order.joined(separator: ",") + "\n"
        for i in 0..<data["x1"]!.count { text += order.map { "\(data[$0]![i])" }.joined(separator: ",") + "\n" }
        let reordered = try s.file("reordered.csv", text)
        let a = try lab(["predict", "--params", p, "--data", Self.regression])
        let b = try lab(["predict", "--params", p, "--data", reordered])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        #expect(a.lines.count == 81 && a.lines[0] == "y")
        #expect(a.stdout == b.stdout)
        let table = try lab(["predict", "--params", p, "--data", reordered, "--format", "table"])
        #expect(table.status == 0 && table.lines.count == 82 && table.lines[1].allSatisfy { $0 == "-" || $0 == " " })
    }

    @Test("bad input: one line naming the problem, non-zero exit, nothing on stdout", arguments: [
        ("x1,x2,x4\n1,2,3\n", "no column 'const'"),
        ("x1,x2,const,x4,extra\n1,2,3,4,5\n", "column 'extra'"),
        ("x1,x2,const,x4\n1,2,3,abc\n", "'abc' is not a number"),
        ("x1,x2,const,x4\n1,2,3,nan\n", "not a finite number"),
        ("x1,x2,const,x4\n1,2,3\n", "3 fields, but the header has 4"),
        ("x1,x2,const,x4\n1,2,3,\n", "empty cell"),
        ("x1,x2,const,x4\n", "not followed by any data rows"),
    ])
    func badData(_ c: (csv: String, fragment: String)) throws {
        let s = try Scratch()
        let p = try s.file("p.json")
        #expect(try lab(["train", "--data", Self.regression, "--save-params", p] + Self.quick).status == 0)
        let run = try lab(["predict", "--params", p, "--data", try s.file("d.csv", c.csv)])
        expectOneLineError(run, c.fragment)
    }

    @Test("a file without the new keys: predict refuses it (re-save), --init-params still reads it; a damaged file is refused")
    func oldFiles() throws {
        let s = try Scratch()
        let p = try s.file("p.json")
        let base = ["train", "--data", Self.classification, "--target", "label", "--optimizer", "adam", "--lr", "0.01",
                    "--layers", "4", "--steps", "5"]
        #expect(try lab(base + ["--save-params", p]).status == 0)
        let text = try String(contentsOfFile: p, encoding: .utf8)
        let layersOnly = String(text[..<text.range(of: ",\n \"model\"")!.lowerBound]) + "}\n"
        let old = try s.file("old.json", layersOnly)
        #expect(try JSONSerialization.jsonObject(with: Data(layersOnly.utf8)) is [String: Any])
        expectOneLineError(try lab(["predict", "--params", old, "--data", Self.classification]), "--params", "re-save")
        let fromOld = try lab(base + ["--init-params", old]), fromNew = try lab(base + ["--init-params", p])
        #expect(fromOld.status == 0 && fromOld.stdout == fromNew.stdout, "\(fromOld.stderr)")
        let damaged = try s.file("damaged.json", text.replacingOccurrences(of: "\"activation\":\"tanh\"", with: "\"activation\":\"gelu\""))
        expectOneLineError(try lab(["predict", "--params", damaged, "--data", Self.classification]), "--params", "activation")
        let wrong = try s.file("wrong.json", text.replacingOccurrences(of: "\"hidden\":[4]", with: "\"hidden\":[5]"))
        expectOneLineError(try lab(["predict", "--params", wrong, "--data", Self.classification]), "--params", "layer 1")
    }

    @Test("a CSV larger than the memory limit streams: every row predicted, as from the small file")
    func streams() throws {
        let s = try Scratch()
        let p = try s.file("p.json")
        #expect(try lab(["train", "--data", Self.regression, "--save-params", p] + Self.quick).status == 0)
        let small = try String(contentsOfFile: Self.regression, encoding: .utf8)
        let body = small.split(separator: "\n").dropFirst().joined(separator: "\n") + "\n"
        let copies = 800  // 80 rows × 800 = 64,000 rows, 5 MB of text
        let big = try s.file("big.csv", "x1,x2,const,x4,y\n" + String(repeating: body, count: copies))
        let one = try lab(["predict", "--params", p, "--data", Self.regression])
        // 2 MB of memory: one 1 MiB chunk's numbers fit (about 13,000 rows, 1 MB as lab counts them:
        // parsed and standardised), the whole file's (5.1 MB) do not.
        let limit = ["LAB_MEMORY_LIMIT": "2000000"]
        let run = try lab(["predict", "--params", p, "--data", big], environment: limit)
        #expect(run.status == 0, "\(run.stderr.prefix(300))")
        let expected = one.lines.dropFirst()
        #expect(run.lines.count == 1 + 80 * copies)
        #expect(Array(run.lines.dropFirst().suffix(80)) == Array(expected), "the last copy predicts as the file alone")
        let refused = try lab(["train", "--data", big] + Self.quick, environment: limit)
        #expect(refused.status != 0, "train must hold the whole file, so the limit is real")
    }
}

@Suite("lab train --save-best")
struct SaveBestTests {
    static let base = ["train", "--data", trainGoldenDirectory.appendingPathComponent("classification.csv").path,
                       "--target", "label", "--layers", "32,32", "--optimizer", "adam", "--lr", "0.02",
                       "--validation", "0.3", "--seed", "5"]

    @Test("the saved parameters reproduce the best row's val_loss exactly (--init-params, --steps 0)",
          arguments: [[], ["--batch-norm"]])
    func reproducesBestRow(_ extra: [String]) throws {
        let s = try Scratch()
        let best = try s.file("best.json"), last = try s.file("last.json")
        let run = try lab(Self.base + extra + ["--steps", "300", "--eval-every", "10", "--save-best", best, "--save-params", last])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = run.lines.dropFirst().map(fields)
        let losses = rows.map { Double($0[3])! }
        let k = losses.firstIndex(of: losses.min()!)!
        #expect(k != rows.count - 1, "the test needs a best row before the last one (it is row \(k))")
        #expect(run.stderr.contains("--save-best: step \(rows[k][0]), val_loss \(rows[k][3])"), "\(run.stderr)")
        let again = try lab(Self.base + extra + ["--steps", "0", "--init-params", best])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(fields(again.lines[1])[3] == rows[k][3], "val_loss of the saved weights \(fields(again.lines[1])[3]) vs the best row's \(rows[k][3])")
        let predict = try lab(["predict", "--params", best, "--data", trainGoldenDirectory.appendingPathComponent("classification.csv").path])
        #expect(predict.status == 0 && predict.lines.count == 91, "\(predict.stderr)")
    }

    @Test("refused before any work: --validation 0, the same file as --save-params, a bad path")
    func refusals() throws {
        let s = try Scratch()
        let p = try s.file("p.json")
        let noSplit = try lab(Self.base.map { $0 == "0.3" ? "0" : $0 } + ["--steps", "5", "--save-best", p])
        #expect(noSplit.status != 0 && noSplit.stdout.isEmpty && noSplit.stderr.contains("--save-best") && noSplit.stderr.contains("--validation"))
        let same = try lab(Self.base + ["--steps", "5", "--save-best", p, "--save-params", p])
        #expect(same.status != 0 && same.stdout.isEmpty && same.stderr.contains("same file"))
        let bad = try lab(Self.base + ["--steps", "5", "--save-best", s.url.path + "/missing/p.json"])
        expectOneLineError(bad, "--save-best")
        #expect(s.contents.isEmpty)
    }

    @Test("a run that diverges still writes the best row before it")
    func divergence() throws {
        let s = try Scratch()
        let best = try s.file("best.json")
        let last = try s.file("last.json")
        // TrainTests.divergence's run (it diverges at step 3), with a validation split.
        let run = try lab(["train", "--data", "teacher", "--optimizer", "sgd", "--lr", "1e6", "--activation", "relu",
                           "--init", "he-normal", "--batch-size", "0", "--steps", "100", "--eval-every", "1",
                           "--save-best", best, "--save-params", last])
        #expect(run.status == 0)
        let first = try #require(run.lines.dropFirst().first.map(fields))
        #expect(run.stderr.contains("diverged at step") && run.stderr.contains("--save-params not written")
                && run.stderr.contains("--save-best: step 0, val_loss \(first[3])"), "\(run.stderr)")
        #expect(s.contents == ["best.json"])
    }
}
