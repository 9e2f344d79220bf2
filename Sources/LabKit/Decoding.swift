import Descent

/// Any option name as a coding key (a query's `name=`).
public struct OptionKey: CodingKey {
    public let stringValue: String
    public init(stringValue: String) { self.stringValue = stringValue }
    public var intValue: Int? { nil }
    public init?(intValue: Int) { nil }
}

/// Reads a command's options from a decoder whose values are strings by name — a query string
/// through Hummingbird's `URLEncodedFormDecoder`, for one — with `lab`'s parsing: each value is
/// parsed as its ``OptionSpec/Kind`` says and a bad one is an ``OptionError`` that names it. Names
/// not in `options` are refused (lab refuses unknown flags too).
public struct OptionReader {
    let container: KeyedDecodingContainer<OptionKey>
    let options: [OptionSpec]

    public init(_ decoder: any Decoder, options: [OptionSpec]) throws {
        container = try decoder.container(keyedBy: OptionKey.self)
        self.options = options
        let known = Set(options.map(\.name))
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            let name = String(unknown.prefix(40))
            throw OptionError("Unknown option '--\(name)'", parameter: name)
        }
    }

    /// The value given for `name` as text, or nil.
    public func text(_ name: String) throws(OptionError) -> String? {
        let key = OptionKey(stringValue: name)
        guard container.contains(key) else { return nil }
        do {
            return try container.decode(String.self, forKey: key)
        } catch {
            throw OptionError("--\(name) takes one value (\(name)=…), not a list or a group", parameter: name)
        }
    }

    private func invalid(_ name: String, _ value: String, _ expected: String) -> OptionError {
        OptionError("The value '\(value.prefix(40))' is invalid for --\(name): \(expected)", parameter: name)
    }

    /// The value of an option the command needs (its ``OptionSpec/required`` says so).
    public func required<T>(_ name: String, _ read: (String) throws(OptionError) -> T?) throws(OptionError) -> T {
        assert(options.contains { $0.name == name && $0.required }, "--\(name) is read as required but its OptionSpec does not say so")
        guard let value = try read(name) else { throw OptionError("Missing expected argument '--\(name)'", parameter: name) }
        return value
    }

    public func number(_ name: String) throws(OptionError) -> Double? {
        guard let s = try text(name) else { return nil }
        guard let v = Double(s) else { throw invalid(name, s, "expected a number") }
        return v
    }

    public func integer(_ name: String) throws(OptionError) -> Int? {
        guard let s = try text(name) else { return nil }
        guard let v = Int(s) else { throw invalid(name, s, "expected a whole number") }
        return v
    }

    public func unsigned(_ name: String) throws(OptionError) -> UInt64? {
        guard let s = try text(name) else { return nil }
        guard let v = UInt64(s) else { throw invalid(name, s, "expected a whole number ≥ 0") }
        return v
    }

    public func flag(_ name: String) throws(OptionError) -> Bool {
        guard let s = try text(name) else { return false }
        switch s {
        case "true": return true
        case "false": return false
        default: throw OptionError("\(name) is a flag: give \(name)=true or \(name)=false, got '\(s.prefix(40))'", parameter: name)
        }
    }

    public func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type = T.self) throws(OptionError) -> T?
    where T.RawValue == String {
        guard let s = try text(name) else { return nil }
        guard let v = T(rawValue: s) else {
            throw invalid(name, s, "give one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return v
    }

    public func point(_ name: String) throws(OptionError) -> Point? {
        guard let s = try text(name) else { return nil }
        return try Point.parse(s)
    }

    public func schedule(_ name: String) throws(OptionError) -> Schedule? {
        guard let s = try text(name) else { return nil }
        return try Check.schedule(s)
    }
}

extension OptimizerSettings {
    init(_ r: OptionReader) throws(OptionError) {
        self.init(optimizer: try r.required("optimizer") { n throws(OptionError) in try r.choice(n, OptimizerName.self) },
                  momentum: try r.number("momentum"), nesterov: try r.flag("nesterov"), dampening: try r.number("dampening"),
                  alpha: try r.number("alpha"), beta1: try r.number("beta1"), beta2: try r.number("beta2"), eps: try r.number("eps"),
                  amsgrad: try r.flag("amsgrad"), centered: try r.flag("centered"),
                  initialAccumulator: try r.number("initial-accumulator"), lrDecay: try r.number("lr-decay"),
                  weightDecay: try r.number("weight-decay"))
    }
}

extension OptimizeSettings: Decodable {
    /// The options by name (`function=quadratic&start=-5,-2&steps=50&optimizer=sgd&lr=0.4`), parsed as `lab optimize` parses
    /// its flags; not yet validated (``validate(limit:)``).
    public init(from decoder: any Decoder) throws {
        let r = try OptionReader(decoder, options: Self.options)
        self.init(function: try r.required("function") { n throws(OptionError) in try r.choice(n, FunctionName.self) },
                  start: try r.required("start", r.point), steps: try r.required("steps", r.integer),
                  condition: try r.number("condition"), optimizer: try OptimizerSettings(r),
                  lr: try r.required("lr", r.number), schedule: try r.schedule("schedule") ?? .constant,
                  noise: try r.number("noise") ?? 0, seed: try r.unsigned("seed"))
    }
}

extension ScheduleSettings: Decodable {
    /// The options by name (`lr=0.1&steps=300&schedule=cosine:T=300`), as `lab schedule` parses them.
    public init(from decoder: any Decoder) throws {
        let r = try OptionReader(decoder, options: Self.options)
        self.init(lr: try r.required("lr", r.number), steps: try r.required("steps", r.integer),
                  schedule: try r.required("schedule", r.schedule))
    }
}

extension FunctionSweepSettings: Decodable {
    /// The options by name (`function=quadratic&start=-5,-2&optimizer=sgd&min-lr=1e-6`), as `lab find-lr --function` parses them.
    public init(from decoder: any Decoder) throws {
        let r = try OptionReader(decoder, options: Self.options)
        let defaults = SweepSettings()
        let sweep = SweepSettings(minLr: try r.number("min-lr") ?? defaults.minLr, maxLr: try r.number("max-lr") ?? defaults.maxLr,
                                  steps: try r.integer("steps") ?? defaults.steps,
                                  smoothing: try r.number("smoothing") ?? defaults.smoothing,
                                  divergeFactor: try r.number("diverge-factor") ?? defaults.divergeFactor,
                                  spacing: try r.choice("sweep", RangeTest.Spacing.self) ?? defaults.spacing)
        self.init(function: try r.required("function") { n throws(OptionError) in try r.choice(n, FunctionName.self) },
                  start: try r.required("start", r.point), condition: try r.number("condition"),
                  optimizer: try OptimizerSettings(r), sweep: sweep)
    }
}
