import Foundation
import TestSupport
import Testing

/// A temporary directory removed at the end of a test.
final class Scratch {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lab-train-\(UUID().uuidString)")
    init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(at: url) }
    func file(_ name: String, _ text: String? = nil) throws -> String {
        let u = url.appendingPathComponent(name)
        if let text { try text.write(to: u, atomically: true, encoding: .utf8) }
        return u.path
    }
    var contents: [String] { (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [] }
}

/// The fields of a `train` CSV line (empty fields kept).
func fields(_ line: String) -> [String] { line.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }

@Suite("lab train end to end")
struct TrainTests {
    let quick = ["--optimizer", "adam", "--lr", "0.01", "--layers", "8"]

    @Test("CSV contract: header, rows at 0, E, 2E, … and N; row k's lr is the rate of update k; accuracy for a classification")
    func contract() throws {
        let run = try lab(["train", "--data", "digits", "--steps", "100", "--eval-every", "40",
                           "--schedule", "cosine:T=100"] + quick)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.lines.first == "step,lr,train_loss,val_loss,val_accuracy")
        let rows = run.lines.dropFirst().map(fields)
        #expect(rows.map { $0[0] } == ["0", "40", "80", "100"])
        // cosine:T=100 from 0.01: ½·0.01·(1 + cos(πk/100)); row N = 100 holds the next rate, 0.
        let cosine = { (k: Double) in 0.5 * 0.01 * (1 + cos(Double.pi * k / 100)) }
        let rates = rows.map { Double($0[1])! }
        #expect(zip(rates, [0.01, cosine(40), cosine(80), 0]).allSatisfy { close($0, $1, rel: 1e-15, abs: 1e-18) }, "\(rates)")
        for r in rows {
            #expect(r.count == 5 && r.allSatisfy { Double($0) != nil })
            let accuracy = Double(r[4])!
            #expect(accuracy >= 0 && accuracy <= 1)
        }
        #expect(Double(rows[0][2])! > Double(rows[3][2])!, "training lowers the training loss")
        #expect(run.stderr.contains("task: classification (target 'digit' has 10 distinct integer values"))
    }

    @Test("--threads 2 prints exactly what --threads 1 prints; --threads 3 is refused, naming the flag")
    func threads() throws {
        let base = ["train", "--data", "digits", "--layers", "256,256", "--steps", "6", "--eval-every", "3",
                    "--batch-size", "64", "--validation", "0.2", "--optimizer", "adam", "--lr", "0.001"]
        let one = try lab(base + ["--threads", "1"]), two = try lab(base + ["--threads", "2"])
        #expect(one.status == 0 && two.status == 0, "\(one.stderr) \(two.stderr)")
        #expect(one.lines.count == 4 && one.stdout == two.stdout, "\(one.stdout)\n---\n\(two.stdout)")
        let bad = try lab(base + ["--threads", "3"])
        #expect(bad.status != 0 && bad.stdout.isEmpty && bad.stderr.contains("--threads must be 1 or 2, got 3"), "\(bad.stderr)")
        let function = try lab(["find-lr", "--function", "rosenbrock", "--start", "-1,1", "--optimizer", "sgd", "--threads", "2"])
        #expect(function.status != 0 && function.stderr.contains("--threads belongs to --data"), "\(function.stderr)")
    }

    @Test("empty fields: no validation split → val_loss and val_accuracy empty; regression → val_accuracy empty")
    func emptyFields() throws {
        let none = try lab(["train", "--data", "moons", "--steps", "4", "--eval-every", "2", "--validation", "0"] + quick)
        #expect(none.status == 0)
        #expect(none.lines.dropFirst().allSatisfy { let f = fields($0); return f.count == 5 && f[3] == "" && f[4] == "" })
        let regression = try lab(["train", "--data", "teacher", "--steps", "4", "--eval-every", "2"] + quick)
        #expect(regression.status == 0)
        #expect(regression.lines.dropFirst().allSatisfy { let f = fields($0); return f.count == 5 && f[3] != "" && f[4] == "" })
        #expect(regression.stderr.contains("task: regression"))
        let forced = try lab(["train", "--data", "teacher", "--task", "regression", "--steps", "1"] + quick)
        #expect(!forced.stderr.contains("task:"), "an explicit --task is not announced")
    }

    @Test("--save-params then --init-params resumes exactly; the file is PyTorch's layout")
    func resume() throws {
        let s = try Scratch()
        let saved = try s.file("p.json")
        let first = try lab(["train", "--data", "spirals", "--steps", "20", "--eval-every", "20", "--batch-size", "0",
                             "--save-params", saved] + quick)
        #expect(first.status == 0, "\(first.stderr)")
        let again = try lab(["train", "--data", "spirals", "--steps", "0", "--batch-size", "0", "--init-params", saved] + quick)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(fields(first.lines[2])[2] == fields(again.lines[1])[2], "the loss of the saved weights")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: saved))) as! [String: Any]
        let layers = object["layers"] as! [[String: Any]]
        #expect(layers.count == 2)
        let w = layers[0]["weight"] as! [[Double]]
        #expect(w.count == 8 && w[0].count == 2, "first layer weight is out × in = 8 × 2")
        #expect(s.contents == ["p.json"], "no temporary file left behind")
    }

    @Test("bad data: file, line and column named, non-zero exit, nothing on stdout, no --save-params file", arguments: [
        ("a,b,y\n1,2,3\n4,5\n", "line 3"),
        ("a,b,y\n1,2,3\n4,oops,6\n", "line 3, column 2: column 'b': 'oops' is not a number"),
        ("a,b,y\n1,2,3\n4,nan,6\n", "line 3, column 2"),
        ("", "the file is empty"),
        ("a,b,y\n", "line 1: the header (3 columns) is not followed by any data rows"),
        ("a,b,y\n1,2,3\n4,5,3\n", "one value only"),
    ])
    func badData(_ csv: String, _ fragment: String) throws {
        let s = try Scratch()
        let path = try s.file("d.csv", csv)
        let out = try s.file("p.json")
        let run = try lab(["train", "--data", path, "--save-params", out] + quick)
        #expect(run.status != 0)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains(path) && run.stderr.contains(fragment), "\(run.stderr)")
        #expect(s.contents == ["d.csv"], "nothing written: \(s.contents)")
    }

    @Test("an unknown --target lists the columns; an unknown --data lists the built-in names")
    func unknownNames() throws {
        let s = try Scratch()
        let path = try s.file("d.csv", "a,b,y\n1,2,3\n4,5,6\n")
        let target = try lab(["train", "--data", path, "--target", "z"] + quick)
        #expect(target.status != 0 && target.stderr.contains("no column named 'z'") && target.stderr.contains("a, b, y"))
        let data = try lab(["train", "--data", "nope"] + quick)
        #expect(data.status != 0 && data.stderr.contains("digits, linear, spirals, moons, teacher"))
    }

    @Test("more rows than fit in memory are refused with the count (LAB_MEMORY_LIMIT stands in for a small machine)")
    func memory() throws {
        let s = try Scratch()
        let path = try s.file("d.csv", "a,y\n" + String(repeating: "1,2\n3,4\n", count: 500))
        var env = ProcessInfo.processInfo.environment
        env["LAB_MEMORY_LIMIT"] = "1000"
        let run = try lab(["train", "--data", path] + quick, environment: env)
        #expect(run.status != 0 && run.stdout.isEmpty)
        #expect(run.stderr.contains("1000 rows × 2 columns"), "\(run.stderr)")
        env["LAB_MEMORY_LIMIT"] = "10"  // smaller than the file itself: counted without reading it whole
        let tiny = try lab(["train", "--data", path] + quick, environment: env)
        #expect(tiny.status != 0 && tiny.stderr.contains("1000 rows × 2 columns"), "\(tiny.stderr)")
    }

    @Test("a bad --save-params path or a bad --init-params file fails before any output")
    func paramFiles() throws {
        let s = try Scratch()
        let dir = try lab(["train", "--data", "moons", "--save-params", s.url.path + "/missing/p.json"] + quick)
        #expect(dir.status != 0 && dir.stdout.isEmpty && dir.stderr.contains("--save-params"))
        let bad = try s.file("bad.json", "{\"layers\": [{\"weight\": [[1, 2]], \"bias\": [0]}]}")
        let shape = try lab(["train", "--data", "moons", "--init-params", bad] + quick)
        #expect(shape.status != 0 && shape.stdout.isEmpty && shape.stderr.contains("network 2 → 8 → 2"), "\(shape.stderr)")
    }

    @Test("a network too large for memory is refused before any output, not a crash; huge batch sizes are fine")
    func hugeNetwork() throws {
        let run = try lab(["train", "--data", "digits", "--layers", "100000,100000", "--optimizer", "sgd", "--lr", "0.1"])
        #expect(!run.crashed && run.status != 0 && run.stdout.isEmpty)
        #expect(run.stderr.contains("10007600010 parameters"), "\(run.stderr)")
        let batch = try lab(["train", "--data", "moons", "--batch-size", "\(Int.max)", "--steps", "2"] + quick)
        #expect(batch.status == 0 && !batch.crashed, "\(batch.stderr)")
    }

    @Test("a write error on stdout is an error (checked writes)",
          .enabled(if: FileManager.default.fileExists(atPath: "/dev/full"), "this system has no /dev/full"))
    func writeError() throws {
        let run = try RunningProcess(labURL, ["train", "--data", "moons", "--steps", "5"] + quick,
                                     standardOutput: FileHandle(forWritingAtPath: "/dev/full")).finish()
        #expect(run.status != 0 && !run.crashed)
    }

    @Test("divergence stops the run at that row, exit 0, and --save-params is not written")
    func divergence() throws {
        let s = try Scratch()
        let out = try s.file("p.json")
        let run = try lab(["train", "--data", "teacher", "--optimizer", "sgd", "--lr", "1e6", "--activation", "relu",
                           "--init", "he-normal", "--batch-size", "0", "--steps", "100", "--save-params", out])
        #expect(run.status == 0)
        let last = try #require(run.lines.last.map(fields))
        #expect(run.stderr.contains("diverged at step \(last[0])") && run.stderr.contains("not written"), "\(run.stderr)")
        #expect(s.contents.isEmpty)
    }

    @Test("no progress bar in a pipe (with the bar's one-second delay set to 0)")
    func noProgressInPipes() throws {
        var env = ProcessInfo.processInfo.environment
        env["LAB_PROGRESS_DELAY"] = "0"
        let run = try lab(["train", "--data", "moons", "--steps", "300", "--eval-every", "100"] + quick, environment: env)
        #expect(run.status == 0)
        #expect(!run.stderr.contains("\r") && !run.stderr.contains("\u{1B}"), "\(run.stderr)")
    }

    @Test("table and plot formats")
    func formats() throws {
        let table = try lab(["train", "--data", "moons", "--steps", "4", "--eval-every", "2", "--format", "table"] + quick)
        #expect(table.status == 0 && table.lines.first?.contains("val_accuracy") == true && table.lines.count == 5)
        let plot = try lab(["train", "--data", "moons", "--steps", "4", "--eval-every", "2", "--format", "plot"] + quick)
        #expect(plot.status == 0 ? plot.stdout.contains("loss") : plot.stderr.contains("gnuplot"))
    }

    @Test("--help names every flag of train", arguments: ["--data", "--target", "--task", "--layers", "--activation",
        "--init", "--optimizer", "--lr", "--momentum", "--nesterov", "--amsgrad", "--schedule", "--batch-size", "--steps",
        "--validation", "--seed", "--eval-every", "--init-params", "--save-params", "--format"])
    func help(_ flag: String) throws {
        let run = try lab(["train", "--help"])
        #expect(run.stdout.contains(flag))
    }
}
