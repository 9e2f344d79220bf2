import Foundation
import Testing

/// `lab train` against PyTorch: Tests/Golden/train/make_train_golden.py trained the same 8-8 tanh
/// MLP from the same initial weights (written by `lab train --save-params`) with torch.optim in
/// float64, full batch, for every optimizer; `lab train --init-params` must match its loss at
/// every step to 1e-9 relative and its final weights to 1e-8.
struct TrainGoldenCase: CustomStringConvertible, Sendable {
    let name: String, data: String, arguments: [String]
    var description: String { name }
}

let trainGoldenDirectory = goldenDirectory.appendingPathComponent("train")

let trainManifest: [TrainGoldenCase] = {
    let text = (try? String(contentsOf: trainGoldenDirectory.appendingPathComponent("manifest.tsv"), encoding: .utf8)) ?? ""
    return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
        let f = line.split(separator: "\t").map(String.init)
        return TrainGoldenCase(name: f[0], data: f[1],
                               arguments: f.dropFirst(2).map { $0.replacingOccurrences(of: "{dir}", with: trainGoldenDirectory.path) })
    }
}()

/// All numbers of a parameter JSON file, in file order.
func jsonNumbers(_ url: URL) throws -> [Double] {
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    var out: [Double] = []
    for layer in object["layers"] as! [[String: Any]] {
        for row in layer["weight"] as! [[Double]] { out += row }
        out += layer["bias"] as! [Double]
    }
    return out
}

@Suite("lab train: PyTorch parity")
struct TrainGoldenTests {
    @Test("the manifest covers every torch optimizer on a regression and a classification")
    func coverage() {
        #expect(trainManifest.count >= 20)
        for optimizer in ["sgd", "adagrad", "rmsprop", "adam"] {
            for data in ["regression", "classification"] {
                #expect(trainManifest.contains { $0.data == data && $0.arguments.contains(optimizer) })
            }
        }
        for flag in ["--nesterov", "--amsgrad", "--centered", "--schedule", "--weight-decay"] {
            #expect(trainManifest.contains { $0.arguments.contains(flag) }, "no golden case uses \(flag)")
        }
    }

    @Test("train_loss at every step and the final weights match torch.optim", arguments: trainManifest)
    func parity(_ c: TrainGoldenCase) throws {
        let saved = FileManager.default.temporaryDirectory.appendingPathComponent("train-golden-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: saved) }
        let initial = trainGoldenDirectory.appendingPathComponent("init-\(c.data).json").path
        let run = try lab(c.arguments + ["--init-params", initial, "--save-params", saved.path])
        #expect(run.status == 0, "\(run.stderr)")
        let expected = try String(contentsOf: trainGoldenDirectory.appendingPathComponent("\(c.name).csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        let lines = run.lines
        try #require(lines.first == "step,lr,train_loss,val_loss,val_accuracy")
        try #require(lines.count == expected.count + 1, "\(lines.count - 1) rows, torch has \(expected.count)")
        for (line, torch) in zip(lines.dropFirst(), expected) {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(f.count == 5 && f[3].isEmpty && f[4].isEmpty, "no validation split: empty val fields (\(line))")
            let step = Double(f[0])!, rate = Double(f[1])!, loss = Double(f[2])!
            #expect(step == torch[0])
            #expect(close(rate, torch[1], rel: 1e-12), "\(c.name) step \(Int(step)): lr \(rate) vs torch \(torch[1])")
            #expect(close(loss, torch[2], rel: 1e-9), "\(c.name) step \(Int(step)): loss \(loss) vs torch \(torch[2])")
        }
        let mine = try jsonNumbers(saved)
        let theirs = try jsonNumbers(trainGoldenDirectory.appendingPathComponent("\(c.name).final.json"))
        try #require(mine.count == theirs.count)
        let worst = zip(mine, theirs).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        #expect(worst <= 1e-8, "\(c.name): final weights differ by \(worst)")
    }
}
