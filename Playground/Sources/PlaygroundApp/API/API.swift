import ArgumentParser
import Descent
import Figures

/// A request the API refuses: HTTP `status`, a message (lab's own wording when lab would refuse the
/// same flags) and the query parameter it names, when there is one.
struct APIError: Error, Equatable {
    var status: Int = 400
    let message: String
    let parameter: String?

    init(status: Int = 400, _ message: String, parameter: String? = nil) {
        self.status = status
        self.message = message
        self.parameter = parameter ?? Self.parameterNamed(in: message)
    }

    /// The first `--flag` a message names, without its dashes.
    static func parameterNamed(in message: String) -> String? {
        guard let r = message.range(of: "--") else { return nil }
        let name = message[r.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" }
        return name.isEmpty ? nil : String(name)
    }

    var json: String {
        var s = "{\"error\":\(JSON.string(message))"
        if let parameter { s += ",\"parameter\":\(JSON.string(parameter))" }
        return s + "}"
    }
}

/// The JSON API over `lab`'s commands. Pure functions from query parameters to a JSON body:
/// Hummingbird only carries them (see `APIRoutes`), so the tests can call them directly too.
enum API {
    /// At most this many steps per request (lab has no cap; a server needs one).
    static let maximumSteps = 100_000
    /// Boolean flags: `name=true` passes `--name`, `name=false` leaves it out.
    static let flags: Set<String> = ["nesterov", "amsgrad", "centered"]
    /// Names ArgumentParser would treat as commands of its own, and lab's --format (the API speaks JSON).
    static let reserved: Set<String> = ["help", "h", "version", "format", "experimental-dump-help",
                                        "generate-completion-script"]

    /// `lab`'s argument list for query parameters given as `name=value` pairs.
    static func arguments(from query: [(key: String, value: String)]) throws(APIError) -> [String] {
        var arguments: [String] = []
        for (key, value) in query {
            guard !key.isEmpty, key.count <= 40,
                  key.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }),
                  key.first!.isLetter, !reserved.contains(key) else {
                throw APIError("Unknown option '--\(key.prefix(40))'", parameter: String(key.prefix(40)))
            }
            if flags.contains(key) {
                switch value {
                case "true": arguments.append("--\(key)")
                case "false": break
                default: throw APIError("\(key) is a flag: give \(key)=true or \(key)=false, got '\(value.prefix(40))'",
                                        parameter: key)
                }
            } else {
                arguments += ["--\(key)", value]
            }
        }
        return arguments
    }

    /// Parses `query` as the flags of `T` (lab's command), with lab's validation and messages.
    static func parse<T: ParsableArguments>(_ type: T.Type, _ query: [(key: String, value: String)]) throws(APIError) -> T {
        let arguments = try arguments(from: query)
        do {
            return try T.parse(arguments)
        } catch {
            let message = T.message(for: error)
            throw APIError(message.split(separator: "\n").first.map(String.init) ?? message)
        }
    }

    static func checkSteps(_ steps: Int) throws(APIError) {
        guard steps <= maximumSteps else {
            throw APIError("--steps must be ≤ \(maximumSteps) per request on this server, got \(steps)", parameter: "steps")
        }
    }

    // MARK: Endpoints

    /// GET /api/optimize: lab optimize's rows, plus where the run blew up.
    ///
    /// `divergence` is lab's stop (a non-finite loss: the last row); `explosion` is the first step whose
    /// loss exceeds 10⁶ × the first (Descent's standard criterion), which the page reports as divergence.
    static func optimize(_ query: [(key: String, value: String)]) throws(APIError) -> String {
        let r = try parse(OptimizeRequest.self, query)
        try checkSteps(r.steps)
        let f = r.conditionOption.function(r.function)
        let trajectory = Descent.optimize(f, from: r.start.values, steps: r.steps,
                                          optimizer: r.optimizerOptions.make(lr: r.lr), schedule: r.schedule)
        let rows = trajectory.points.map { [Double($0.step), $0.learningRate, $0.loss, $0.point[0], $0.point[1]] }
        var extra: [(String, String)] = []
        extra.append(("divergence", trajectory.divergence.map { "{\"step\":\($0.step)}" } ?? "null"))
        let first = trajectory.points.first?.loss ?? .nan
        let explosion = trajectory.points.first { DivergenceCriterion.standard.isDiverged($0.loss, firstLoss: first) }
        extra.append(("explosion", explosion.map { "{\"step\":\($0.step)}" } ?? "null"))
        return JSON.table(columns: ["step", "lr", "loss", "x", "y"], rows: rows, extra: extra)
    }

    /// GET /api/schedule: lab schedule's rows.
    static func schedule(_ query: [(key: String, value: String)]) throws(APIError) -> String {
        let r = try parse(ScheduleRequest.self, query)
        try checkSteps(r.steps)
        let rows = (0..<r.steps).map { [Double($0), r.schedule.rate(at: $0, base: r.lr)] }
        return JSON.table(columns: ["step", "lr"], rows: rows)
    }

    /// GET /api/find-lr: lab find-lr's rows and its two suggestions.
    static func findLearningRate(_ query: [(key: String, value: String)]) throws(APIError) -> String {
        let r = try parse(FindLRRequest.self, query)
        try checkSteps(r.steps)
        let f = r.conditionOption.function(r.function)
        let test = RangeTest(minimumRate: r.minLr, maximumRate: r.maxLr, steps: r.steps)
        var parameters = r.start.values
        var optimizer = r.optimizerOptions.make(lr: r.minLr)
        let result = test.run(parameters: &parameters, optimizer: &optimizer) { theta, _, gradient in
            f.gradient(theta, into: &gradient)
            return f.value(theta)
        }
        let rows = result.rates.indices.map { [Double($0), result.rates[$0], result.losses[$0], result.smoothed[$0]] }
        let suggestions = "{\"steep\":\(JSON.number(result.steepest)),\"min/10\":\(JSON.number(result.minimumOverTen))}"
        return JSON.table(columns: ["step", "lr", "loss", "smoothed"], rows: rows, extra: [("suggestions", suggestions)])
    }

    /// GET /api/limits: the analytic largest stable rates on the quadratic (null for the other functions).
    static func limits(_ query: [(key: String, value: String)]) throws(APIError) -> String {
        let r = try parse(LimitsRequest.self, query)
        guard let q = r.conditionOption.function(r.function) as? Quadratic else {
            return "{\"L\":null,\"sgd\":null,\"momentum\":null,\"nesterov\":null}"
        }
        let beta = r.momentum ?? 0
        return "{\"L\":\(JSON.number(q.largestEigenvalue)),\"sgd\":\(JSON.number(q.largestStableRate()))"
            + ",\"momentum\":\(JSON.number(q.largestStableRate(momentum: beta)))"
            + ",\"nesterov\":\(JSON.number(q.largestStableRate(momentum: beta, nesterov: true)))}"
    }

    /// GET /api/palette: the book's colours (Figures), so the page's runs look like the book's series.
    static func palette(_ query: [(key: String, value: String)]) throws(APIError) -> String {
        guard query.isEmpty else { throw APIError("Unknown option '--\(query[0].key.prefix(40))'", parameter: String(query[0].key.prefix(40))) }
        return "{\"palette\":[" + GnuplotScript.palette.map { JSON.string($0) }.joined(separator: ",") + "]}"
    }

    /// GET /api/contours: the function's contour lines over its plotting window.
    static func contours(_ query: [(key: String, value: String)]) throws(APIError) -> String {
        let r = try parse(ContoursRequest.self, query)
        let f = r.conditionOption.function(r.function)
        let window = Contours.window(for: r.function)
        let lines = Contours(function: f, window: window, levels: 14)
        var s = "{\"window\":[\(window.map { JSON.number($0) }.joined(separator: ","))],\"levels\":["
        s += lines.levels.map { level in
            "{\"value\":\(JSON.number(level.value)),\"segments\":["
                + level.segments.map { "[" + $0.map { JSON.number(($0 * 1e4).rounded() / 1e4) }.joined(separator: ",") + "]" }
                    .joined(separator: ",")
                + "]}"
        }.joined(separator: ",")
        return s + "]}"
    }
}

/// GET /api/limits: the function (and κ) and the momentum of the slider.
struct LimitsRequest: ParsableArguments {
    @Option(help: "Test function.") var function: FunctionName
    @OptionGroup var conditionOption: ConditionOption
    @Option(parsing: .unconditional, help: "Momentum β ≥ 0.") var momentum: Double?
    func validate() throws {
        try conditionOption.validate(for: function)
        if let m = momentum, !(m.isFinite && m >= 0 && m < 1) {
            throw ValidationError("--momentum must be in [0, 1) for a stability limit (e.g. --momentum 0.9), got \(m)")
        }
    }
}

/// GET /api/contours: the function (and κ).
struct ContoursRequest: ParsableArguments {
    @Option(help: "Test function.") var function: FunctionName
    @OptionGroup var conditionOption: ConditionOption
    func validate() throws { try conditionOption.validate(for: function) }
}

/// JSON text with numbers exactly as `lab` prints them in CSV.
enum JSON {
    /// A number as lab's CSV writes it (Swift's shortest round-trip `description`); JSON has no
    /// NaN or infinity, so those become the strings "nan", "inf", "-inf" (lab's text for them).
    static func number(_ v: Double) -> String { v.isFinite ? "\(v)" : "\"\(v)\"" }
    static func number(_ v: Double?) -> String { v.map { number($0) } ?? "null" }

    static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    /// `{"columns": […], "rows": [[…], …], …extra}`; column 0 (the step) is an integer, as in lab's CSV.
    static func table(columns: [String], rows: [[Double]], extra: [(String, String)] = []) -> String {
        var s = "{\"columns\":[" + columns.map { string($0) }.joined(separator: ",") + "],\"rows\":["
        s.reserveCapacity(rows.count * 24 * columns.count)
        for (i, row) in rows.enumerated() {
            if i > 0 { s += "," }
            s += "["
            for (j, v) in row.enumerated() {
                if j > 0 { s += "," }
                s += j == 0 ? "\(Int(v))" : number(v)
            }
            s += "]"
        }
        s += "]"
        for (key, value) in extra { s += ",\(string(key)):\(value)" }
        return s + "}"
    }
}
