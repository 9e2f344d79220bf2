import Foundation
import Testing
@testable import Descent

/// |a − b| ≤ tol·max(|a|, |b|), with exact equality required for zeros and matching
/// non-finite values.
func close(_ a: Double, _ b: Double, rel tol: Double, abs absTol: Double = 0) -> Bool {
    if a == b { return true }
    if !a.isFinite || !b.isFinite { return a.isNaN && b.isNaN }
    return Swift.abs(a - b) <= Swift.max(tol * Swift.max(Swift.abs(a), Swift.abs(b)), absTol)
}

/// The repository's Tests/Golden folder.
let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Golden")

/// Reads a CSV with a header into rows of doubles.
func readCSV(_ url: URL) throws -> (header: [String], rows: [[Double]]) {
    let text = try String(contentsOf: url, encoding: .utf8)
    var lines = text.split(separator: "\n").map(String.init)
    let header = lines.removeFirst().split(separator: ",").map(String.init)
    let rows = lines.map { $0.split(separator: ",").map { Double($0)! } }
    return (header, rows)
}

/// One case of Tests/Golden/manifest.tsv.
struct GoldenCase: CustomStringConvertible, Sendable {
    let name: String
    let kind: String
    let arguments: [String]
    var description: String { name }

    /// The value after `flag`, if present.
    func value(_ flag: String) -> String? {
        guard let i = arguments.firstIndex(of: flag), i + 1 < arguments.count else { return nil }
        return arguments[i + 1]
    }
    func double(_ flag: String) -> Double? { value(flag).map { Double($0)! } }
    func has(_ flag: String) -> Bool { arguments.contains(flag) }
    var csv: URL { goldenDirectory.appendingPathComponent(kind).appendingPathComponent(name + ".csv") }
}

func goldenCases(_ kind: String) -> [GoldenCase] {
    let text = (try? String(contentsOf: goldenDirectory.appendingPathComponent("manifest.tsv"), encoding: .utf8)) ?? ""
    return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
        let f = line.split(separator: "\t").map(String.init)
        return GoldenCase(name: f[0], kind: f[1], arguments: Array(f.dropFirst(2)))
    }.filter { $0.kind == kind }
}

/// Builds the optimizer a golden case describes (an independent reading of lab's flags).
func optimizer(for c: GoldenCase) -> any Optimizer {
    let lr = c.double("--lr")!
    switch c.value("--optimizer")! {
    case "sgd":
        return SGD(learningRate: lr, momentum: c.double("--momentum") ?? 0, dampening: c.double("--dampening") ?? 0,
                   nesterov: c.has("--nesterov"), weightDecay: c.double("--weight-decay") ?? 0)
    case "adagrad":
        return AdaGrad(learningRate: lr, learningRateDecay: c.double("--lr-decay") ?? 0,
                       weightDecay: c.double("--weight-decay") ?? 0,
                       initialAccumulatorValue: c.double("--initial-accumulator") ?? 0, eps: c.double("--eps") ?? 1e-10)
    case "rmsprop":
        return RMSprop(learningRate: lr, alpha: c.double("--alpha") ?? 0.99, eps: c.double("--eps") ?? 1e-8,
                       weightDecay: c.double("--weight-decay") ?? 0, momentum: c.double("--momentum") ?? 0,
                       centered: c.has("--centered"))
    case "adam":
        return Adam(learningRate: lr, beta1: c.double("--beta1") ?? 0.9, beta2: c.double("--beta2") ?? 0.999,
                    eps: c.double("--eps") ?? 1e-8, weightDecay: c.double("--weight-decay") ?? 0, amsgrad: c.has("--amsgrad"))
    default: fatalError("unknown optimizer in \(c)")
    }
}
