import Foundation
import Testing
@testable import Descent

/// The CSV error for `text`, or nil when it parses.
func csvError(_ text: String, memoryLimit: Double = .infinity) -> DataError? {
    do { _ = try DataTable(csv: text, source: "t.csv", memoryLimit: memoryLimit); return nil } catch { return error }
}

func prepareError(_ text: String, target: String? = nil, task: TaskKind? = nil, validation: Double = 0) -> DataError? {
    do {
        _ = try PreparedData(try DataTable(csv: text, source: "t.csv"), target: target, task: task,
                             validationFraction: validation, seed: 1)
        return nil
    } catch { return error }
}

@Suite("CSV data: parsing and bad data")
struct CSVTests {
    @Test("header and numbers; CRLF, a byte-order mark, quotes, spaces and trailing blank lines are accepted")
    func parses() throws {
        let t = try DataTable(csv: "\u{FEFF}a, \"b\" ,y\r\n1,2.5,-3e-2\r\n \"4\" ,5,6\r\n\r\n\n", source: "t.csv")
        #expect(t.columns == ["a", "b", "y"])
        #expect(t.values == [1, 2.5, -0.03, 4, 5, 6])
        #expect(t.rowCount == 2)
        #expect(t.column(1) == [2.5, 5])
    }

    @Test("every bad-data case names the file, the line and (where one is at fault) the column", arguments: [
        // (csv, line, column, fragment of the message)
        ("a,b\n1,2\n3\n", 3, 2, "1 fields, but the header has 2 columns"),        // ragged: too few
        ("a,b\n1,2\n3,4,5\n", 3, 3, "3 fields"),                                   // ragged: too many
        ("a,b\n1,2\n3,x\n", 3, 2, "'x' is not a number"),                          // non-numeric
        ("a,b\n1,2\n3,NaN\n", 3, 2, "not a finite number"),                        // NaN
        ("a,b\n1,2\nnan,4\n", 3, 1, "not a finite number"),                        // nan
        ("a,b\n1,inf\n", 2, 2, "not a finite number"),                             // infinity
        ("a,b\n1,\n", 2, 2, "empty cell"),                                         // empty cell
        ("a,b\n1,0x10\n", 2, 2, "not a number"),                                   // hex is not data
        ("a,b\n1,2\n\n3,4\n", 3, nil, "empty line"),                               // hole in the data
        ("a,a\n1,2\n", 1, 2, "used twice"),                                        // duplicate names
        ("a,\n1,2\n", 1, 2, "empty column name"),                                  // empty name
        ("1,2\n3,4\n", 1, 1, "must be a header"),                                  // no header
        ("a,b\n", 1, nil, "not followed by any data rows"),                        // header without rows
        ("a,b\n\n\n", 1, nil, "not followed by any data rows"),                    // … and blank lines
    ] as [(String, Int, Int?, String)])
    func badData(_ csv: String, _ line: Int, _ column: Int?, _ fragment: String) throws {
        let e = try #require(csvError(csv), "'\(csv)' parsed")
        #expect(e.source == "t.csv")
        #expect(e.line == line, "\(e)")
        #expect(e.column == column, "\(e)")
        #expect(e.message.contains(fragment), "\(e)")
        #expect(e.description.hasPrefix("t.csv, line \(line)"))
    }

    @Test("an empty file (or only white space) is an error")
    func empty() throws {
        for text in ["", "\n\n", "  \r\n"] {
            let e = try #require(csvError(text))
            #expect(e.message.contains("empty"), "\(e)")
            #expect(e.description.hasPrefix("t.csv:") || e.description.hasPrefix("t.csv"))
        }
    }

    @Test("more rows than fit in memory are refused before parsing, with the count")
    func memory() throws {
        let text = "a,b\n" + String(repeating: "1,2\n", count: 1000)
        // 1000 × 2 cells × 8 bytes × 2 copies = 32 kB.
        #expect(csvError(text, memoryLimit: 32_000) == nil)
        let e = try #require(csvError(text, memoryLimit: 31_999))
        #expect(e.message.contains("1000 rows × 2 columns"), "\(e)")
        #expect(e.message.contains("32.0 kB"), "\(e)")
    }

    @Test("the target: unknown names, one class only and a constant regression target are errors")
    func targetErrors() throws {
        let unknown = try #require(prepareError("a,b\n1,2\n3,4\n", target: "c"))
        #expect(unknown.line == 1 && unknown.message.contains("no column named 'c'") && unknown.message.contains("a, b"))
        let oneClass = try #require(prepareError("a,b\n1,2\n3,2\n"))
        #expect(oneClass.message.contains("one value only"), "\(oneClass)")
        let constant = try #require(prepareError("a,b\n1,2.5\n3,2.5\n", task: .regression))
        #expect(constant.message.contains("constant"), "\(constant)")
        let onlyTarget = try #require(prepareError("y\n1\n2\n"))
        #expect(onlyTarget.message.contains("one column"), "\(onlyTarget)")
        let noTraining = try #require(prepareError("a,b\n1,2\n3,4\n", validation: 0.5 + 0.4))
        #expect(noTraining.message.contains("leaving none to train on"), "\(noTraining)")
    }
}

@Suite("CSV data: split, standardisation, task")
struct PreparedDataTests {
    /// n rows: x = i², z = 7 (constant), label = i mod 3 (+10).
    func table(_ n: Int) -> DataTable {
        var values: [Double] = []
        for i in 0..<n { values += [Double(i * i), 7, Double(i % 3 + 10)] }
        return DataTable(columns: ["x", "z", "label"], values: values, source: "t")
    }

    @Test("the split holds out ⌈f·n⌉ rows and is a function of the seed (and n) only")
    func split() throws {
        #expect(PreparedData.validationCount(rows: 10, fraction: 0.25) == 3)
        #expect(PreparedData.validationCount(rows: 10, fraction: 0.2) == 2)
        #expect(PreparedData.validationCount(rows: 1797, fraction: 0.2) == 360)
        let a = PreparedData.split(rows: 50, validationFraction: 0.2, seed: 3)
        #expect(a.validation.count == 10 && a.training.count == 40)
        #expect(Set(a.training + a.validation) == Set(0..<50))
        #expect(a.training == a.training.sorted() && a.validation == a.validation.sorted())
        #expect(PreparedData.split(rows: 50, validationFraction: 0.2, seed: 3) == a)
        #expect(PreparedData.split(rows: 50, validationFraction: 0.2, seed: 4).validation != a.validation)
        // The data's target, task and values do not move the split.
        let t = table(50)
        let p1 = try PreparedData(t, task: .classification, validationFraction: 0.2, seed: 3)
        let p2 = try PreparedData(t, target: "x", task: .regression, validationFraction: 0.2, seed: 3)
        #expect(p1.validationRows == a.validation && p2.validationRows == a.validation)
        #expect(p1.trainingRows == a.training)
        // f = 0: every row, in file order.
        let none = try PreparedData(t, validationFraction: 0, seed: 3)
        #expect(none.trainingRows == Array(0..<50) && none.validation == nil)
    }

    @Test("features are z-scored with the training split's mean and population std only")
    func zScore() throws {
        let t = table(40)
        let p = try PreparedData(t, validationFraction: 0.25, seed: 9)
        let xs = p.trainingRows.map { Double($0 * $0) }
        let mean = xs.reduce(0, +) / Double(xs.count)
        let std = (xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count)).squareRoot()
        #expect(close(p.featureMeans[0], mean, rel: 1e-14))
        #expect(close(p.featureStandardDeviations[0], std, rel: 1e-14))
        // Training column: mean 0, population std 1.
        let x = p.training.inputs.column(0)
        #expect(abs(x.reduce(0, +)) < 1e-12)
        #expect(close(x.map { $0 * $0 }.reduce(0, +) / Double(x.count), 1, rel: 1e-12))
        // A validation row is standardised with the training statistics.
        let row = p.validationRows[0]
        #expect(close(p.validation!.inputs[0, 0], (Double(row * row) - mean) / std, rel: 1e-12))
        // The constant column is 0 everywhere.
        #expect(p.training.inputs.column(1).allSatisfy { $0 == 0 } && p.validation!.inputs.column(1).allSatisfy { $0 == 0 })
    }

    @Test("a constant column whose computed mean is off in the last bit (0.1 × n) still becomes exactly 0")
    func constantColumn() throws {
        let t = DataTable(columns: ["c", "x", "y"], values: (0..<3).flatMap { [0.1, Double($0), Double($0) * 1.5] }, source: "t")
        let p = try PreparedData(t, task: .regression, seed: 1)
        #expect(p.featureStandardDeviations[0] == 0)
        #expect(p.training.inputs.column(0) == [0, 0, 0])
    }

    @Test("classification: sorted distinct values → classes 0…K−1, one-hot targets, K outputs, softmax cross-entropy")
    func classification() throws {
        let p = try PreparedData(table(30), seed: 1)
        #expect(p.task == .classification && p.taskWasInferred)
        #expect(p.classes == [10, 11, 12] && p.outputCount == 3 && p.loss == .softmaxCrossEntropy)
        for (r, i) in p.trainingRows.enumerated() {
            var expected = [0.0, 0, 0]
            expected[i % 3] = 1
            #expect(p.training.targets.row(r) == expected)
        }
        #expect(p.taskNote.contains("classification") && p.taskNote.contains("3 distinct"))
    }

    @Test("the task is inferred: ≤ 20 distinct integers → classification; 21, or a fraction → regression")
    func inference() throws {
        func kind(_ ys: [Double]) throws -> TaskKind {
            let t = DataTable(columns: ["x", "y"], values: ys.enumerated().flatMap { [Double($0.offset), $0.element] }, source: "t")
            return try PreparedData(t, seed: 1).task
        }
        #expect(try kind((0..<40).map { Double($0 % 20) }) == .classification)
        #expect(try kind((0..<42).map { Double($0 % 21) }) == .regression)
        #expect(try kind([0, 1, 0, 1.5]) == .regression)
        let forced = try PreparedData(table(30), task: .regression, seed: 1)
        #expect(forced.task == .regression && !forced.taskWasInferred && forced.outputCount == 1)
    }

    @Test("regression targets are z-scored with the training split's statistics")
    func regressionTarget() throws {
        let p = try PreparedData(table(30), target: "x", task: .regression, validationFraction: 0.2, seed: 5)
        let ys = p.trainingRows.map { Double($0 * $0) }
        let (m, s) = populationStatistics(ys)
        #expect(p.targetMean == m && p.targetStandardDeviation == s)
        #expect(close(p.training.targets[0, 0], (ys[0] - m) / s, rel: 1e-14))
        #expect(p.featureNames == ["z", "label"] && p.loss == .meanSquaredError)
    }

    @Test("features are standardised row by row exactly as column by column: every bit of μ, σ and x′")
    func standardisationBits() throws {
        // Columns: wide-ranged values, a constant column (σ = 0 → x′ = 0), a column constant but for
        // its last row (constant or not depending on the split), tiny values, then the target.
        var rng = SeededGenerator(seed: 3)
        let n = 203, c = 5
        var values: [Double] = []
        for i in 0..<n {
            values += [rng.gaussian() * 1e3 + 7, 0.1, i == n - 1 ? 2 : 1, rng.uniform() * 1e-6, Double(i % 3)]
        }
        let table = DataTable(columns: ["a", "b", "c", "d", "y"], values: values, source: "t")
        for validation in [0.0, 0.3] {
            let p = try PreparedData(table, validationFraction: validation, seed: 9)
            for j in 0..<(c - 1) {
                let column = p.trainingRows.map { values[$0 * c + j] }
                let (m, s) = populationStatistics(column)
                #expect(p.featureMeans[j].bitPattern == m.bitPattern && p.featureStandardDeviations[j].bitPattern == s.bitPattern,
                        "column \(j), validation \(validation)")
                let expected = column.map { s > 0 ? ($0 - m) / s : 0 }
                #expect((0..<column.count).map { p.training.inputs[$0, j].bitPattern } == expected.map(\.bitPattern),
                        "column \(j), validation \(validation)")
            }
        }
    }
}

@Suite("Built-in data")
struct BuiltInDataTests {
    @Test("digits: the embedded copy equals Data/digits/digits.csv cell by cell; 1,797 × 64 + a label 0…9")
    func digits() throws {
        let url = goldenDirectory.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Data/digits/digits.csv")
        let file = try DataTable(csv: Array(try Data(contentsOf: url)), source: url.path)
        let embedded = Datasets.digits()
        #expect(embedded.columns == file.columns)
        #expect(embedded.values == file.values)
        #expect(embedded.rowCount == 1797 && embedded.columns.count == 65 && embedded.columns.last == "digit")
        #expect(Set(embedded.column(64)) == Set((0...9).map(Double.init)))
        #expect(embedded.values.allSatisfy { $0 >= 0 && $0 <= 16 && $0 == $0.rounded() })
        let p = try PreparedData(embedded, validationFraction: 0.2, seed: 42)
        #expect(p.task == .classification && p.classes.count == 10 && p.validationRows.count == 360)
    }

    @Test("every built-in name gives a table whose last column is the target; unknown names give nil")
    func names() throws {
        for name in DataTable.builtInNames {
            let t = try #require(DataTable.builtIn(name))
            #expect(t.rowCount >= 100 && t.source == name)
            _ = try PreparedData(t, validationFraction: 0.2, seed: 1)
        }
        #expect(DataTable.builtIn("nope") == nil)
        // spirals is the running example's data (seed 1).
        var rng = SeededGenerator(seed: 1)
        let s = Datasets.spirals(count: 512, rng: &rng)
        #expect(DataTable.builtIn("spirals")!.column(2) == s.targets.elements)
    }
}

@Suite("Parameters as JSON (PyTorch nn.Linear layout)")
struct ParameterJSONTests {
    let network = MLP(inputs: 3, hidden: [2], outputs: 1, activation: .tanh)

    @Test("weights are written out × in, and reading gives back the same bits")
    func roundTrip() throws {
        var rng = SeededGenerator(seed: 5)
        let theta = network.initialParameters(.heNormal, using: &rng).map { $0 * 1.000000000000001 + 1e-300 }
        let json = network.parametersJSON(theta)
        #expect(try network.parameters(fromJSON: json) == theta)
        // Layer 1: W is 3 × 2 (in × out) in Descent; the JSON row o holds the weights into output o.
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let layers = object["layers"] as! [[String: Any]]
        let w = layers[0]["weight"] as! [[Double]]
        #expect(w.count == 2 && w[0].count == 3)
        // (Foundation's JSON reader may be off in the last bit, hence the tolerance; ours is exact, above.)
        for o in 0..<2 {
            for i in 0..<3 {
                #expect(close(w[o][i], theta[network.layers[0].weightRange.lowerBound + i * 2 + o], rel: 1e-15))
            }
        }
    }

    @Test("bad parameter files say what shape was expected", arguments: [
        ("{\"layers\": []}", "0 layers"),
        ("{\"layers\": [{\"weight\": [[1,2,3]], \"bias\": [0]}, {\"weight\": [[1,2]], \"bias\": [0]}]}", "weight must be 2 × 3"),
        ("{\"layers\": [{\"weight\": [[1,2,3],[1,2]], \"bias\": [0,0]}, {\"weight\": [[1,2]], \"bias\": [0]}]}", "row 2 must have 3"),
        ("{\"layers\": [{\"weight\": [[1,2,3],[1,2,3]], \"bias\": [0]}, {\"weight\": [[1,2]], \"bias\": [0]}]}", "bias must have 2"),
        ("{\"layers\": [{\"weight\": [[1,2,3],[1,2,\"x\"]], \"bias\": [0,0]}, {\"weight\": [[1,2]], \"bias\": [0]}]}", "not a finite number"),
        ("{\"layers\": [", "unexpected end"),
        ("[1, 2]", "top level"),
        ("{\"layers\": [1e999]}", "1 layers"),
    ])
    func bad(_ json: String, _ fragment: String) {
        do {
            _ = try network.parameters(fromJSON: json)
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.description.contains(fragment), "\(error)")
        }
    }
}

@Suite("Evaluated training (lab train's loop)")
struct EvaluatedTrainingTests {
    @Test("mini-batch: the same updates as train(); row k is θ_k's full training loss and the rate of update k")
    func matchesTrain() throws {
        let data = try PreparedData(DataTable.builtIn("moons")!, validationFraction: 0.25, seed: 2)
        let network = data.network(hidden: [8], activation: .tanh)
        let schedule = try Schedule(parsing: "cosine:T=40")
        var rows: [EvaluationRow] = []
        let run = data.train(network, initializer: .xavierUniform, optimizer: SGD(learningRate: 0.5, momentum: 0.9),
                             schedule: schedule, steps: 37, batchSize: 32, evaluateEvery: 10, seed: 11) { rows.append($0) }
        #expect(rows.map(\.step) == [0, 10, 20, 30, 37])
        var rng = SeededGenerator(seed: 11)
        let theta0 = network.initialParameters(.xavierUniform, using: &rng)
        var seen: [Int: [Double]] = [:]
        let reference = Descent.train(network, parameters: theta0, on: data.training, loss: data.loss,
                                      optimizer: SGD(learningRate: 0.5, momentum: 0.9), schedule: schedule, steps: 37,
                                      batchSize: 32, rng: &rng) { seen[$0] = $1 }
        #expect(run.parameters == reference.parameters)
        let evaluator = Evaluator(network: network, data: data.training, loss: data.loss)
        let validation = Evaluator(network: network, data: data.validation!, loss: data.loss)
        for row in rows {
            #expect(row.trainingLoss == evaluator.loss(seen[row.step]!))
            #expect(row.validationLoss == validation.loss(seen[row.step]!))
            #expect(row.learningRate == schedule.rate(at: row.step, base: 0.5), "row \(row.step): the rate of update k")
            // Accuracy: the share of validation rows whose largest output is the labelled class.
            let out = network.predict(seen[row.step]!, data.validation!.inputs)
            let labels = data.validationRows.map { DataTable.builtIn("moons")!.values[$0 * 3 + 2] }
            let hits = (0..<out.rows).filter { (out[$0, 1] > out[$0, 0] ? 1.0 : 0.0) == labels[$0] }.count
            #expect(row.validationAccuracy == Double(hits) / Double(out.rows))
        }
    }

    @Test("full batch, no split: no validation fields; --steps 0 reports θ₀ only")
    func fullBatch() throws {
        let data = try PreparedData(DataTable.builtIn("linear")!, seed: 1)
        let network = data.network(hidden: [], activation: .tanh)
        var rows: [EvaluationRow] = []
        _ = data.train(network, initializer: .xavierUniform, optimizer: SGD(learningRate: 0.1), steps: 5, batchSize: 0,
                       evaluateEvery: 2, seed: 1) { rows.append($0) }
        #expect(rows.map(\.step) == [0, 2, 4, 5])
        #expect(rows.allSatisfy { $0.validationLoss == nil && $0.validationAccuracy == nil })
        #expect(zip(rows, rows.dropFirst()).allSatisfy { $0.trainingLoss > $1.trainingLoss })
        var zero: [EvaluationRow] = []
        _ = data.train(network, initializer: .xavierUniform, optimizer: SGD(learningRate: 0.1), steps: 0, batchSize: 0,
                       evaluateEvery: 2, seed: 1) { zero.append($0) }
        #expect(zero.count == 1 && zero[0].trainingLoss == rows[0].trainingLoss)
    }

    @Test("a huge rate stops the run at the first non-finite loss and reports that row")
    func divergence() throws {
        let data = try PreparedData(DataTable.builtIn("teacher")!, seed: 1)
        let network = data.network(hidden: [8], activation: .relu)
        var rows: [EvaluationRow] = []
        let run = data.train(network, initializer: .heNormal, optimizer: SGD(learningRate: 1e6), steps: 100,
                             batchSize: 0, evaluateEvery: 50, seed: 1) { rows.append($0) }
        let d = try #require(run.divergence)
        #expect(rows.last?.step == d.step && d.step < 100 && !rows.last!.trainingLoss.isFinite)
    }
}
