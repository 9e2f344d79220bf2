/// A schedule spec that could not be read; ``description`` names the bad part and lists
/// the valid forms.
public struct ScheduleSpecError: Error, Equatable, CustomStringConvertible {
    /// What was wrong, naming the offending part of the spec.
    public let reason: String
    public var description: String { "\(reason)\nvalid schedules:\n\(Schedule.validForms)" }
}

extension Schedule {
    /// The accepted text forms, one per line, with their defaults.
    public static let validForms = """
          constant
          polynomial:T=<steps>[,power=<p>=1]           α·(1 − min(t,T)/T)^p
          exponential:gamma=<γ>                         α·γ^t
          step:size=<steps>[,gamma=<γ>=0.1]             α·γ^⌊t/size⌋
          cosine:T=<steps>[,min=<rate>=0]               min + (α − min)(1 + cos(πt/T))/2
          warm-restarts:T0=<steps>[,mult=<int>=1][,min=<rate>=0]   SGDR
          one-cycle:T=<steps>[,pct=<p>=0.3][,div=<d>=25][,final=<f>=1e4]   OneCycleLR, peak α
          warmup:steps=<W>+<spec>                       α·(t+1)/W, then <spec> at t − W
          plateau[:factor=<f>=0.1][,patience=<n>=10]    ReduceLROnPlateau (loss-driven)
          restart:threshold=<τ>[,factor=<f>=0.5][,gamma=<γ>=0.99]   reset on loss < τ (loss-driven)
        """

    /// Reads a schedule from its text form, e.g. `step:size=100,gamma=0.5`.
    ///
    /// - Throws: ``ScheduleSpecError`` naming the unknown schedule, the unknown, missing,
    ///   repeated or malformed parameter, or the value out of range.
    public init(parsing spec: String) throws {
        var parser = SpecParser(spec: spec)
        self = try parser.parse()
    }
}

private struct SpecParser {
    let spec: String

    mutating func parse() throws -> Schedule {
        let text = spec.trimmingWhitespace
        guard !text.isEmpty else { throw ScheduleSpecError(reason: "empty schedule spec") }
        let name: Substring, rest: Substring
        if let colon = text.firstIndex(of: ":") {
            name = text[..<colon]
            rest = text[text.index(after: colon)...]
            // 'constant:' or 'cosine:' is a typo, not a request for the defaults.
            guard !rest.trimmingWhitespace.isEmpty else {
                throw ScheduleSpecError(reason: "'\(text)' has a ':' with nothing after it: write '\(name)' "
                    + "alone or give its parameters after the ':'")
            }
        } else {
            name = text[...]
            rest = ""
        }
        if name == "warmup" {
            guard let plus = rest.firstIndex(of: "+") else {
                throw ScheduleSpecError(reason: "'\(text)': warmup needs the schedule that follows, as warmup:steps=<W>+<spec>")
            }
            var p = try Parameters(String(rest[..<plus]), schedule: "warmup", allowed: ["steps"])
            let steps = try p.int("steps", required: true, atLeast: 1)!
            let innerSpec = String(rest[rest.index(after: plus)...])
            // Checked before parsing it: a spec of thousands of nested warmups must not recurse that deep.
            if innerSpec.trimmingWhitespace.prefix(while: { $0 != ":" }).trimmingWhitespace == "warmup" {
                throw ScheduleSpecError(reason: "'\(innerSpec)': warmup cannot follow warmup")
            }
            let inner = try Schedule(parsing: innerSpec)
            if case .warmup = inner {
                throw ScheduleSpecError(reason: "'\(innerSpec)': warmup cannot follow warmup")
            }
            return .warmup(LinearWarmup(steps: steps, then: inner))
        }
        switch name {
        case "constant":
            _ = try Parameters(String(rest), schedule: "constant", allowed: [])
            return .constant
        case "polynomial":
            var p = try Parameters(String(rest), schedule: "polynomial", allowed: ["T", "power"])
            let t = try p.int("T", required: true, atLeast: 1)!
            let power = try p.double("power", greaterThan: 0) ?? 1
            return .polynomial(PolynomialDecay(totalSteps: t, power: power))
        case "exponential":
            var p = try Parameters(String(rest), schedule: "exponential", allowed: ["gamma"])
            let gamma = try p.double("gamma", required: true, greaterThan: 0)!
            return .exponential(ExponentialDecay(gamma: gamma))
        case "step":
            var p = try Parameters(String(rest), schedule: "step", allowed: ["size", "gamma"])
            let size = try p.int("size", required: true, atLeast: 1)!
            let gamma = try p.double("gamma", greaterThan: 0) ?? 0.1
            return .step(StepDecay(size: size, gamma: gamma))
        case "cosine":
            var p = try Parameters(String(rest), schedule: "cosine", allowed: ["T", "min"])
            let t = try p.int("T", required: true, atLeast: 1)!
            let minimum = try p.double("min", atLeast: 0) ?? 0
            return .cosine(CosineAnnealing(period: t, minimum: minimum))
        case "warm-restarts":
            var p = try Parameters(String(rest), schedule: "warm-restarts", allowed: ["T0", "mult", "min"])
            let t0 = try p.int("T0", required: true, atLeast: 1)!
            let mult = try p.int("mult", atLeast: 1) ?? 1
            let minimum = try p.double("min", atLeast: 0) ?? 0
            return .warmRestarts(CosineWarmRestarts(firstPeriod: t0, multiplier: mult, minimum: minimum))
        case "one-cycle":
            var p = try Parameters(String(rest), schedule: "one-cycle", allowed: ["T", "pct", "div", "final"])
            let t = try p.int("T", required: true, atLeast: 2)!
            let pct = try p.double("pct", greaterThan: 0, below: 1) ?? 0.3
            let div = try p.double("div", greaterThan: 0) ?? 25
            let final = try p.double("final", greaterThan: 0) ?? 1e4
            guard pct * Double(t) - 1 > 0 else {
                throw ScheduleSpecError(reason: "pct=\(pct) in one-cycle: pct·T must exceed 1 (T=\(t))")
            }
            return .oneCycle(OneCycle(totalSteps: t, warmupFraction: pct, divFactor: div, finalDivFactor: final))
        case "plateau":
            var p = try Parameters(String(rest), schedule: "plateau", allowed: ["factor", "patience"])
            let factor = try p.double("factor", greaterThan: 0, below: 1) ?? 0.1
            let patience = try p.int("patience", atLeast: 0) ?? 10
            return .plateau(ReduceOnPlateau(factor: factor, patience: patience))
        case "restart":
            var p = try Parameters(String(rest), schedule: "restart", allowed: ["threshold", "factor", "gamma"])
            let threshold = try p.double("threshold", required: true, greaterThan: 0)!
            let factor = try p.double("factor", greaterThan: 0, atMost: 1) ?? 0.5
            let gamma = try p.double("gamma", greaterThan: 0, atMost: 1) ?? 0.99
            return .restart(ThresholdRestart(threshold: threshold, factor: factor, gamma: gamma))
        default:
            throw ScheduleSpecError(reason: "unknown schedule '\(name)' in '\(text)'")
        }
    }
}

/// `key=value` pairs of one schedule, checked against the keys it allows.
private struct Parameters {
    let schedule: String
    var values: [String: String] = [:]

    init(_ text: String, schedule: String, allowed: [String]) throws {
        self.schedule = schedule
        let text = text.trimmingWhitespace
        guard !text.isEmpty else { return }
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pieces.count == 2 else {
                throw ScheduleSpecError(reason: "'\(part)' in \(schedule): expected key=value")
            }
            let key = pieces[0].trimmingWhitespace, value = pieces[1].trimmingWhitespace
            guard allowed.contains(key) else {
                let keys = allowed.isEmpty ? "takes no parameters" : "takes \(allowed.joined(separator: ", "))"
                throw ScheduleSpecError(reason: "unknown parameter '\(key)' for \(schedule) (\(schedule) \(keys))")
            }
            guard values[key] == nil else {
                throw ScheduleSpecError(reason: "parameter '\(key)' given twice for \(schedule)")
            }
            values[key] = value
        }
    }

    mutating func int(_ key: String, required: Bool = false, atLeast lower: Int) throws -> Int? {
        guard let raw = values[key] else {
            if required { throw ScheduleSpecError(reason: "\(schedule) needs \(key)=<integer>") }
            return nil
        }
        guard let v = Int(raw) else {
            throw ScheduleSpecError(reason: "\(key)=\(raw) in \(schedule): expected an integer")
        }
        guard v >= lower else {
            throw ScheduleSpecError(reason: "\(key)=\(raw) in \(schedule): must be ≥ \(lower)")
        }
        return v
    }

    mutating func double(_ key: String, required: Bool = false, greaterThan open: Double? = nil,
                         atLeast closed: Double? = nil, below upperOpen: Double? = nil,
                         atMost upperClosed: Double? = nil) throws -> Double? {
        guard let raw = values[key] else {
            if required { throw ScheduleSpecError(reason: "\(schedule) needs \(key)=<number>") }
            return nil
        }
        guard let v = Double(raw), v.isFinite else {
            throw ScheduleSpecError(reason: "\(key)=\(raw) in \(schedule): expected a finite number")
        }
        if let o = open, !(v > o) { throw ScheduleSpecError(reason: "\(key)=\(raw) in \(schedule): must be > \(o)") }
        if let c = closed, !(v >= c) { throw ScheduleSpecError(reason: "\(key)=\(raw) in \(schedule): must be ≥ \(c)") }
        if let u = upperOpen, !(v < u) { throw ScheduleSpecError(reason: "\(key)=\(raw) in \(schedule): must be < \(u)") }
        if let u = upperClosed, !(v <= u) { throw ScheduleSpecError(reason: "\(key)=\(raw) in \(schedule): must be ≤ \(u)") }
        return v
    }
}

extension StringProtocol {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
