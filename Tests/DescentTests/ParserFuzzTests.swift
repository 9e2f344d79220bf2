import Foundation
import Testing
@testable import Descent

// Property-based fuzzing of the parsers that take user files: the seed corpus in
// Tests/Fuzz/corpus is replayed, then mutated by a seeded generator. Each test runs a fixed number
// of cases (a few thousand, seconds in a debug build); a crash is a trap that fails the run, an
// accepted input must satisfy the parser's own invariants, and round trips must give back the
// same values bit for bit.

let fuzzCorpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fuzz/corpus")

func corpusFiles(_ kind: String) -> [[UInt8]] {
    let dir = fuzzCorpus.appendingPathComponent(kind)
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    return names.compactMap { FileManager.default.contents(atPath: dir.appendingPathComponent($0).path).map(Array.init) }
}

/// Bytes that matter to the three grammars.
private let interesting: [[UInt8]] = [
    [UInt8(ascii: ",")], [10], [13, 10], [UInt8(ascii: "\"")], [0], [0xEF, 0xBB, 0xBF], [UInt8(ascii: " ")],
    Array("0x1p3".utf8), Array("1e308".utf8), Array("-".utf8), Array(".".utf8), Array("e".utf8), Array("nan".utf8),
    [UInt8(ascii: "[")], [UInt8(ascii: "]")], [UInt8(ascii: "{")], [UInt8(ascii: "}")], [UInt8(ascii: ":")],
    [UInt8(ascii: "\\")], Array("\\u".utf8), Array("\\uD800".utf8), [UInt8(ascii: "=")], [UInt8(ascii: "+")],
    Array("warmup:steps=1+".utf8), Array("T=".utf8), Array("9223372036854775807".utf8), [0xFF], [0xC3],
]

/// A random edit of `bytes`: flip, insert, delete, duplicate or truncate.
func mutate(_ bytes: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
    var b = bytes
    for _ in 0...rng.integer(below: 3) {
        let at = b.isEmpty ? 0 : rng.integer(below: b.count + 1)
        switch rng.integer(below: 6) {
        case 0 where !b.isEmpty: b[min(at, b.count - 1)] = UInt8(truncatingIfNeeded: rng.next())
        case 1: b.insert(contentsOf: interesting[rng.integer(below: interesting.count)], at: at)
        case 2 where !b.isEmpty:
            let end = min(b.count, at + 1 + rng.integer(below: 8))
            b.removeSubrange(min(at, b.count - 1)..<end)
        case 3 where !b.isEmpty:
            let start = rng.integer(below: b.count)
            let piece = b[start..<min(b.count, start + 1 + rng.integer(below: 16))]
            b.insert(contentsOf: piece, at: at)
        case 4: b = Array(b.prefix(at))
        default: b.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
        }
    }
    return b
}

@Suite("Fuzzing the parsers of user files (seeded, fixed case counts)")
struct ParserFuzzTests {
    @Test("CSV: the corpus and 3,000 mutants parse into a consistent table or throw DataError with a place")
    func csvMutants() {
        var rng = SeededGenerator(seed: 0xC5F)
        let corpus = corpusFiles("csv")
        #expect(corpus.count >= 10, "the CSV corpus is missing")
        var parsed = 0, refused = 0
        for i in 0..<(corpus.count + 3000) {
            let input = i < corpus.count ? corpus[i] : mutate(corpus[rng.integer(below: corpus.count)], &rng)
            do {
                let t = try DataTable(csv: input, source: "fuzz.csv")
                parsed += 1
                #expect(!t.columns.isEmpty && t.values.count == t.rowCount * t.columns.count && t.rowCount > 0)
                #expect(t.values.allSatisfy { $0.isFinite })
                #expect(Set(t.columns).count == t.columns.count && !t.columns.contains(""))
                #expect(!input.contains(0), "a NUL byte was accepted: \(input)")
            } catch {
                refused += 1
                #expect(error.source == "fuzz.csv" && !error.message.isEmpty)
                if let line = error.line { #expect(line >= 1) }
            }
        }
        #expect(parsed > 100 && refused > 100, "parsed \(parsed), refused \(refused): the mutants should hit both")
    }

    @Test("CSV round trip: 300 random tables written with csv() parse back to the same columns and values")
    func csvRoundTrip() throws {
        var rng = SeededGenerator(seed: 0x5EED)
        for _ in 0..<300 {
            let columns = 1 + rng.integer(below: 6), rows = 1 + rng.integer(below: 20)
            let names = (0..<columns).map { "c\($0)_" + String(rng.integer(below: 1000)) }
            let values: [Double] = (0..<(rows * columns)).map { _ in
                switch rng.integer(below: 6) {
                case 0: return Double(rng.integer(below: 2001) - 1000)
                case 1: return rng.gaussian() * 1e300
                case 2: return rng.gaussian() * 1e-300
                case 3: return [Double.leastNonzeroMagnitude, -Double.greatestFiniteMagnitude, 1e154, -0.0][rng.integer(below: 4)]
                default: return rng.gaussian()
                }
            }
            let table = DataTable(columns: names, values: values, source: "rt")
            let back = try DataTable(csv: table.csv(), source: "rt")
            #expect(back.columns == names && back.values == values)
        }
    }

    @Test("parameter JSON: the corpus and 3,000 mutants parse or throw ParameterFileError; nothing crashes")
    func jsonMutants() {
        var rng = SeededGenerator(seed: 0x150)
        let corpus = corpusFiles("json")
        #expect(corpus.count >= 8, "the JSON corpus is missing")
        let net = MLP(inputs: 2, hidden: [], outputs: 1, activation: .tanh)
        let bn = MLP(inputs: 2, hidden: [1], outputs: 1, activation: .tanh, batchNorm: true)
        var documents = 0
        for i in 0..<(corpus.count + 3000) {
            let input = i < corpus.count ? corpus[i] : mutate(corpus[rng.integer(below: corpus.count)], &rng)
            var parser = JSONParser(bytes: input)
            if (try? parser.parseDocument()) != nil { documents += 1 }
            let text = String(decoding: input, as: UTF8.self)
            for network in [net, bn] {
                do {
                    let (p, s) = try network.parametersAndStatistics(fromJSON: text)
                    #expect(p.count == network.parameterCount && p.allSatisfy { $0.isFinite })
                    #expect(s.variance.allSatisfy { $0 >= 0 })
                } catch {
                    #expect(!error.description.isEmpty)
                }
            }
        }
        #expect(documents > 100, "only \(documents) mutants were JSON documents")
    }

    @Test("parameter JSON round trip: 100 random networks' parameters and running averages come back bit for bit")
    func jsonRoundTrip() throws {
        var rng = SeededGenerator(seed: 0xB175)
        for _ in 0..<100 {
            let hidden = (0..<rng.integer(below: 3)).map { _ in 1 + rng.integer(below: 5) }
            let net = MLP(inputs: 1 + rng.integer(below: 4), hidden: hidden, outputs: 1 + rng.integer(below: 3),
                          activation: .relu, batchNorm: !hidden.isEmpty && rng.integer(below: 2) == 0)
            let p = (0..<net.parameterCount).map { _ in rng.gaussian() * [1, 1e-300, 1e300, 1e-5][rng.integer(below: 4)] }
            var stats = net.initialStatistics()
            stats.mean = stats.mean.map { _ in rng.gaussian() }
            stats.variance = stats.variance.map { _ in abs(rng.gaussian()) }
            let (q, t) = try net.parametersAndStatistics(fromJSON: net.parametersJSON(p, statistics: stats))
            #expect(q.map(\.bitPattern) == p.map(\.bitPattern))
            if net.statisticsCount > 0 { #expect(t == stats) }
        }
    }

    @Test("schedule specs: the corpus, 2,000 generated and 2,000 mutated specs parse or throw ScheduleSpecError; parsed ones round-trip")
    func scheduleSpecs() {
        var rng = SeededGenerator(seed: 0x5C4)
        let corpus = corpusFiles("schedule")
        #expect(corpus.count >= 10, "the schedule corpus is missing")
        let names = ["constant", "polynomial", "exponential", "step", "cosine", "warm-restarts", "one-cycle", "plateau",
                     "restart", "warmup", "bogus"]
        let keys = ["T", "power", "gamma", "size", "min", "T0", "mult", "pct", "div", "final", "factor", "patience",
                    "threshold", "steps", "x"]
        let numbers = ["1", "0", "-1", "0.5", "2", "1e308", "1e-308", "nan", "inf", "9223372036854775807", "99999999999999999999",
                       "0x10", "", "1.5", "100"]
        func generated() -> String {
            var spec = names[rng.integer(below: names.count)]
            if rng.integer(below: 4) > 0 {
                spec += ":" + (0..<rng.integer(below: 4)).map { _ in
                    keys[rng.integer(below: keys.count)] + "=" + numbers[rng.integer(below: numbers.count)]
                }.joined(separator: ",")
            }
            if spec.hasPrefix("warmup") { spec += "+" + (rng.integer(below: 2) == 0 ? "cosine:T=10" : generatedInner()) }
            return spec
        }
        func generatedInner() -> String { names[rng.integer(below: names.count)] }
        var parsed = 0
        for i in 0..<(corpus.count + 4000) {
            let spec: String
            if i < corpus.count { spec = String(decoding: corpus[i], as: UTF8.self) }
            else if i < corpus.count + 2000 { spec = generated() }
            else { spec = String(decoding: mutate(Array(generated().utf8), &rng), as: UTF8.self) }
            do {
                let schedule = try Schedule(parsing: spec)
                parsed += 1
                #expect((try? Schedule(parsing: schedule.description)) == schedule, "'\(spec)' → '\(schedule)' does not read back")
                var scheduler = Scheduler(schedule, baseRate: 0.1)
                for t in 0..<5 { _ = scheduler.rate(at: t, loss: 1) }
            } catch let error as ScheduleSpecError {
                #expect(!error.reason.isEmpty)
            } catch {
                Issue.record("'\(spec)': an error that is not a ScheduleSpecError: \(error)")
            }
        }
        #expect(parsed > 100, "only \(parsed) specs parsed")
    }

    @Test("thousands of nested warmups are refused without deep recursion")
    func nestedWarmups() {
        let spec = String(repeating: "warmup:steps=1+", count: 20_000) + "constant"
        #expect(throws: ScheduleSpecError.self) { _ = try Schedule(parsing: spec) }
    }
}
