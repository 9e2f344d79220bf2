import Foundation
import Testing
@testable import Descent

// Issue 19: the parsers that take user files (CSV, parameter JSON) against hostile input, and
// statistics that must not overflow.

private func csvError(_ text: String) -> DataError? {
    do { _ = try DataTable(csv: text, source: "t.csv"); return nil } catch { return error }
}

private func csvError(bytes: [UInt8]) -> DataError? {
    do { _ = try DataTable(csv: bytes, source: "t.csv"); return nil } catch { return error }
}

@Suite("CSV: what is not a decimal number is refused, with line and column")
struct CSVStrictnessTests {
    @Test("hex floats, NUL bytes and byte-order marks inside the text are refused", arguments: [
        ("a,y\n1,2\n0x1p3,4\n", 3, 1),
        ("a,y\n1,2\n3,0X1P3\n", 3, 2),
        ("a,y\n1,2\n3,-0x10\n", 3, 2),
        ("a,y\n1,2\n3, +0x1p-2\n", 3, 2),
        ("a,y\n1,2\n3,1\u{0}5\n", 3, 2),
        ("a,y\n1,2\n\u{0}3,4\n", 3, 1),
        ("\u{FEFF}\u{FEFF}a,y\n1,2\n", 1, 1),
        ("\u{FEFF}a,\u{FEFF}y\n1,2\n", 1, 2),
        ("a,y\n1,2\n3,\u{FEFF}4\n", 3, 2),
    ] as [(String, Int, Int)])
    func refused(_ text: String, _ line: Int, _ column: Int) {
        let error = csvError(text)
        #expect(error?.line == line && error?.column == column, "\(text.debugDescription): \(String(describing: error))")
    }

    @Test("decimal numbers in every form still parse")
    func accepted() throws {
        let t = try DataTable(csv: "a,b,c,y\n1,-2.5,+3e2,.5\n4.,1E-3,-0.0,7e+1\n", source: "t.csv")
        #expect(t.values == [1, -2.5, 300, 0.5, 4, 0.001, -0.0, 70])
    }

    @Test("the old messages stay: not a number, not finite, empty cell")
    func messages() {
        #expect(csvError("a,y\n1,oops\n")?.description == "t.csv, line 2, column 2: column 'y': 'oops' is not a number")
        #expect(csvError("a,y\n1,nan\n")?.description
                == "t.csv, line 2, column 2: column 'y': 'nan' is not a finite number (NaN and infinities are not data)")
        #expect(csvError("a,y\n1,-Infinity\n")?.message.contains("is not a finite number") == true)
        #expect(csvError("a,y\n1,\n")?.message == "column 'y': empty cell (every cell must be a number)")
        #expect(csvError("a,y\n1,2\n\n3,4\n")?.description == "t.csv, line 3: empty line inside the data (expected 2 numbers)")
    }

    @Test("a NUL byte is refused as soon as it is read, without waiting for a line end (/dev/zero)")
    func nulWithoutLineEnd() {
        let error = csvError(bytes: [UInt8](repeating: 0, count: 1 << 16))
        #expect(error?.line == 1 && error?.column == 1, "\(String(describing: error))")
    }
}

@Suite("Statistics of huge and tiny columns")
struct OverflowStatisticsTests {
    /// Before the fix the squares overflowed: σ = ∞ and every standardised value 0.
    @Test("a regression target near 1e154 and more is standardised like the same values scaled down", arguments: [1e154, 1e200, 1e307])
    func hugeTarget(_ scale: Double) throws {
        let ys = [1.0, 2, 3, 4, 5, 6, 7, 8]
        func csv(_ f: Double) -> String { "a,y\n" + ys.enumerated().map { "\($0.offset % 3),\($0.element * f)" }.joined(separator: "\n") }
        let huge = try PreparedData(try DataTable(csv: csv(scale), source: "t.csv"), task: .regression, seed: 1)
        let plain = try PreparedData(try DataTable(csv: csv(1), source: "t.csv"), task: .regression, seed: 1)
        let h = huge.training.targets.elements, p = plain.training.targets.elements
        #expect(h.contains { $0 != 0 }, "standardised target all zero: \(h)")
        #expect(zip(h, p).allSatisfy { close($0, $1, rel: 1e-12) }, "\(h) vs \(p)")
        #expect(huge.targetStandardDeviation.isFinite && huge.targetMean.isFinite)
    }

    @Test("two different huge targets give different standardised targets")
    func differentTargets() throws {
        let a = try PreparedData(try DataTable(csv: "a,y\n1,1e300\n2,-1e300\n3,1e300\n4,5e299\n", source: "t"), task: .regression, seed: 1)
        let b = try PreparedData(try DataTable(csv: "a,y\n1,1e300\n2,1e300\n3,-1e300\n4,5e299\n", source: "t"), task: .regression, seed: 1)
        #expect(a.training.targets.elements != b.training.targets.elements)
        #expect(a.training.targets.elements.allSatisfy { $0.isFinite && $0 != 0 })
    }

    @Test("a feature column of values near 1e300 and one of subnormal values are standardised, not zeroed")
    func hugeAndTinyFeatures() throws {
        let t = try DataTable(csv: "a,b,y\n1e300,1e-310,1\n-1e300,2e-310,2\n1.5e300,3e-310,1\n", source: "t")
        let d = try PreparedData(t, task: .regression, seed: 1)
        let x = d.training.inputs
        for j in 0..<2 {
            let column = (0..<x.rows).map { x[$0, j] }
            #expect(column.allSatisfy { $0.isFinite } && column.contains { $0 != 0 }, "column \(j): \(column)")
            let mean = column.reduce(0, +) / Double(column.count)
            let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count)
            #expect(abs(mean) < 1e-12 && abs(variance - 1) < 1e-12, "column \(j): mean \(mean), variance \(variance)")
        }
    }

    @Test("ordinary columns keep bit-for-bit the two-pass statistics")
    func ordinaryUnchanged() throws {
        let t = try DataTable(csv: "a,y\n1.5,2\n2.25,3\n-4,5\n7,7\n", source: "t")
        let d = try PreparedData(t, task: .regression, seed: 1)
        let (m, s) = populationStatistics([2, 3, 5, 7])
        #expect(d.targetMean == m && d.targetStandardDeviation == s)
        #expect(d.training.targets.elements == [2.0, 3, 5, 7].map { ($0 - m) / s })
    }
}

@Suite("Parameter JSON: strict RFC 8259, with a nesting limit")
struct StrictParameterJSONTests {
    let net = MLP(inputs: 2, hidden: [], outputs: 1, activation: .tanh)

    func parse(_ text: String) -> Result<[Double], ParameterFileError> {
        Result { () throws(ParameterFileError) in try net.parameters(fromJSON: text) }
    }

    /// Before the fix: a stack overflow (the test process dies of SIGSEGV).
    @Test("arrays nested 100,000 deep are an error naming the nesting limit, not a stack overflow")
    func deepNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        guard case .failure(let e) = parse(deep) else { Issue.record("accepted"); return }
        #expect(e.description.contains("nesting limit"), "\(e)")
        let objects = String(repeating: "{\"a\":", count: 100_000) + "1" + String(repeating: "}", count: 100_000)
        guard case .failure(let o) = parse(objects) else { Issue.record("accepted"); return }
        #expect(o.description.contains("nesting limit"), "\(o)")
    }

    @Test("string escapes are decoded: a key written with \\u escapes is the same key")
    func escapes() throws {
        let plain = "{\"layers\": [{\"weight\": [[1, 2]], \"bias\": [3]}]}"
        let escaped = "{\"\\u006cayers\": [{\"weig\\u0068t\": [[1, 2]], \"b\\u0069as\": [3]}], \"x\\\"\\\\\\/\\b\\f\\n\\r\\t\\uD83D\\uDE00\": 0}"
        #expect(try net.parameters(fromJSON: plain) == [1, 2, 3])
        #expect(try net.parameters(fromJSON: escaped) == [1, 2, 3])
        var parser = JSONParser(bytes: Array("\"a\\\"b\\\\c\\/d\\n\\u00e9\\uD83D\\uDE00\"".utf8))
        guard case .string(let s) = try parser.parseDocument() else { Issue.record("not a string"); return }
        #expect(s == "a\"b\\c/d\n\u{E9}\u{1F600}")
    }

    @Test("what RFC 8259 does not allow is refused", arguments: [
        "\"\\q\"", "\"\\u12\"", "\"\\uD800\"", "\"\\uDC00x\"", "\"a\u{01}b\"", "\"tab\there\"",
        "+1", "01", "1.", ".5", "-", "1e", "0x10", "[1,]", "{\"a\" 1}", "[1] x",
    ])
    func refused(_ text: String) {
        var parser = JSONParser(bytes: Array(text.utf8))
        #expect(throws: ParameterFileError.self, "\(text.debugDescription)") { _ = try parser.parseDocument() }
    }

    @Test("the numbers RFC 8259 allows are read", arguments: [("0", 0.0), ("-0", -0.0), ("1.5e3", 1500), ("2E-2", 0.02), ("-12.25", -12.25)])
    func numbers(_ text: String, _ value: Double) throws {
        var parser = JSONParser(bytes: Array(text.utf8))
        guard case .number(let v) = try parser.parseDocument() else { Issue.record("not a number"); return }
        #expect(v == value && v.sign == value.sign)
    }
}

@Suite("Mutation-audit survivors")
struct MutationSurvivorTests {
    /// The mutant: `softmaxCrossEntropy`'s gradient softmax(z) − t, without the Σt factor; right
    /// only when each target row sums to 1.
    @Test("softmax cross-entropy's gradient matches central differences for targets whose rows sum to 0.7 and 1.3")
    func softmaxGradientNonOneHot() {
        var rng = SeededGenerator(seed: 19)
        let n = 3, k = 4
        let z = Matrix(rows: n, columns: k, elements: (0..<(n * k)).map { _ in rng.gaussian() })
        var t = Matrix(rows: n, columns: k)
        for (i, total) in [0.7, 1.3, 1.0].enumerated() {
            let raw = (0..<k).map { _ in rng.uniform() + 0.05 }
            let sum = raw.reduce(0, +)
            for j in 0..<k { t[i, j] = raw[j] / sum * total }
        }
        var g = Matrix(rows: n, columns: k)
        Loss.softmaxCrossEntropy.valueAndGradient(output: z, target: t, gradient: &g)
        let h = 1e-6
        for i in 0..<n {
            for j in 0..<k {
                var plus = z, minus = z
                plus[i, j] += h
                minus[i, j] -= h
                let numeric = (Loss.softmaxCrossEntropy.value(output: plus, target: t)
                               - Loss.softmaxCrossEntropy.value(output: minus, target: t)) / (2 * h)
                #expect(abs(numeric - g[i, j]) < 1e-8, "row \(i) (Σt = \((0..<k).map { t[i, $0] }.reduce(0, +))), column \(j): \(g[i, j]) vs \(numeric)")
            }
        }
    }

    /// The mutant: validation evaluated with the validation rows' own batch statistics. The
    /// expected value here is computed by hand — Linear → BatchNorm1d in eval mode (running
    /// averages, ε = 1e-5) → tanh → Linear, MSE — not through `Evaluator`, which a mutant may share.
    @Test("val_loss of a batch-norm network equals an independent forward pass with the running averages")
    func validationUsesRunningAveragesIndependently() throws {
        var rng = SeededGenerator(seed: 23)
        let net = MLP(inputs: 2, hidden: [3], outputs: 1, activation: .tanh, batchNorm: true)
        func data(_ n: Int) -> Dataset {
            let x = Matrix(rows: n, columns: 2, elements: (0..<(2 * n)).map { _ in 2 * rng.gaussian() + 1 })
            let y = Matrix(rows: n, columns: 1, elements: (0..<n).map { x[$0, 0] - 0.5 * x[$0, 1] })
            return Dataset(inputs: x, targets: y)
        }
        let training = data(32), validation = data(9)
        let theta = net.initialParameters(.xavierUniform, using: &rng)
        var rows: [EvaluationRow] = []
        var batches = SeededGenerator(seed: 29)
        let run = trainEvaluating(net, parameters: theta, training: training, validation: validation,
                                  loss: .meanSquaredError, optimizer: SGD(learningRate: 0.05), steps: 12, batchSize: 8,
                                  evaluateEvery: 12, accuracy: false, rng: &batches) { rows.append($0) }
        let stats = try #require(run.runningStatistics)
        let p = run.parameters
        let hidden = net.layers[0], output = net.layers[1]
        var total = 0.0
        for r in 0..<validation.count {
            var h = [Double](repeating: 0, count: 3)
            for o in 0..<3 {
                var z = p[hidden.biasRange.lowerBound + o]
                for i in 0..<2 { z += validation.inputs[r, i] * p[hidden.weightRange.lowerBound + i * 3 + o] }
                let s = hidden.statisticsRange.lowerBound + o
                let normalised = (z - stats.mean[s]) / (stats.variance[s] + 1e-5).squareRoot()
                h[o] = tanh(normalised * p[hidden.gammaRange.lowerBound + o] + p[hidden.betaRange.lowerBound + o])
            }
            var y = p[output.biasRange.lowerBound]
            for i in 0..<3 { y += h[i] * p[output.weightRange.lowerBound + i] }
            total += (y - validation.targets[r, 0]) * (y - validation.targets[r, 0])
        }
        let expected = total / Double(validation.count)
        let reported = try #require(rows.last?.validationLoss)
        #expect(close(reported, expected, rel: 1e-12), "val_loss \(reported), eval-mode loss by hand \(expected)")
    }
}
