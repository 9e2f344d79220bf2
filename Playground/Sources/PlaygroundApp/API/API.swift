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
                                          optimizer: r.optimizerOptions.make(lr: r.lr), schedule: r.schedule,
                                          noise: r.gradientNoise)
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

    /// GET /api/directions: the quadratic's two eigen-directions (x and y) for one run of /api/optimize's
    /// query: each one's eigenvalue λ, the contraction factor per step the closed form predicts (heavy
    /// ball ρ(α, β, λ), ``HeavyBall/rate(learningRate:momentum:eigenvalue:)``: plain or momentum SGD,
    /// constant rate, no noise; null otherwise) and the one the run measures, (|θᵢ(N)| / |θᵢ(N/2)|)^(2/N)
    /// over the second half of the run (null when that coordinate is 0, 1 when it did not shrink);
    /// which direction limits the run; and the best rates the closed forms give: α* = 2/(μ + L) for
    /// gradient descent (per-step factor (κ − 1)/(κ + 1)) and (α*, β*) for momentum.
    static func directions(_ query: [(key: String, value: String)]) throws(APIError) -> String {
        let r = try parse(OptimizeRequest.self, query)
        try checkSteps(r.steps)
        guard r.function == .quadratic, let q = r.conditionOption.function(r.function) as? Quadratic else {
            throw APIError("the per-direction view needs --function quadratic (its eigen-directions are x and y)",
                           parameter: "function")
        }
        guard r.steps >= 2 else { throw APIError("--steps must be ≥ 2 to measure a rate over the second half", parameter: "steps") }
        let trajectory = Descent.optimize(q, from: r.start.values, steps: r.steps,
                                          optimizer: r.optimizerOptions.make(lr: r.lr), schedule: r.schedule,
                                          noise: r.gradientNoise)
        let options = r.optimizerOptions
        let closedForm = options.optimizer == .sgd && !options.nesterov && (options.dampening ?? 0) == 0
            && (options.weightDecay ?? 0) == 0 && r.schedule == .constant && r.gradientNoise == nil
        let beta = options.momentum ?? 0
        let half = r.steps / 2
        let eigenvalues = [q.smallestEigenvalue, q.largestEigenvalue]
        var predicted: [Double?] = [], measured: [Double?] = []
        let complete = trajectory.points.count == r.steps + 1  // else it stopped at a non-finite loss
        for (i, lambda) in eigenvalues.enumerated() {
            predicted.append(closedForm ? HeavyBall.rate(learningRate: r.lr, momentum: beta, eigenvalue: lambda) : nil)
            let d = trajectory.points.map { abs($0.point[i]) }
            if !complete || !d[r.steps].isFinite {
                measured.append(1)
            } else if d[half] == 0 {
                measured.append(nil)  // this coordinate started (or landed) exactly on the minimum
            } else {
                measured.append(min(1, Measure.convergenceRate(d, from: half, to: r.steps)))
            }
        }
        func limiting(_ values: [Double?]) -> String {
            guard let a = values[0], let b = values[1] else { return "null" }
            return a >= b ? "\"x\"" : "\"y\""
        }
        let (mu, L) = (q.smallestEigenvalue, q.largestEigenvalue)
        let (aStar, bStar) = HeavyBall.optimalParameters(smallestEigenvalue: mu, largestEigenvalue: L)
        var s = "{\"directions\":["
        s += eigenvalues.indices.map { i in
            "{\"axis\":\(JSON.string(["x", "y"][i])),\"eigenvalue\":\(JSON.number(eigenvalues[i]))"
                + ",\"predicted\":\(JSON.number(predicted[i])),\"measured\":\(JSON.number(measured[i]))}"
        }.joined(separator: ",")
        s += "],\"limiting\":{\"predicted\":\(limiting(predicted)),\"measured\":\(limiting(measured))}"
        s += ",\"gradientDescent\":{\"alpha\":\(JSON.number(2 / (mu + L))),\"rate\":\(JSON.number((L - mu) / (L + mu)))"
            + ",\"limit\":\(JSON.number(q.largestStableRate()))}"
        s += ",\"momentum\":{\"alpha\":\(JSON.number(aStar)),\"beta\":\(JSON.number(bStar))"
            + ",\"rate\":\(JSON.number(HeavyBall.optimalRate(smallestEigenvalue: mu, largestEigenvalue: L)))"
            + ",\"limit\":\(JSON.number(q.largestStableRate(momentum: beta)))}"
        return s + "}"
    }

    /// The cells of /api/momentum-plane: α in (0, αmax], β in [0, 0.99].
    static let planeColumns = 64, planeRows = 50

    /// GET /api/momentum-plane: heavy ball (SGD with momentum β, constant rate α) on the quadratic of
    /// condition κ, from `start`, for `steps` updates (default 600), on a grid of (α, β): each cell the
    /// measured contraction factor per step (‖θ_N‖/‖θ_{N/2}‖)^(2/N), capped at 1 when the run does not
    /// converge — chapter 9's picture. With the stability limit α = 2(1 + β)/L and the optimum (α*, β*).
    static func momentumPlane(_ query: [(key: String, value: String)]) throws(APIError) -> String {
        let r = try parse(PlaneRequest.self, query)
        try checkSteps(r.steps)
        let q = r.conditionOption.function(.quadratic) as! Quadratic
        let (mu, L) = (q.smallestEigenvalue, q.largestEigenvalue)
        let alphaMax = 2 * 1.99 / L * 1.005
        let alphas = (1...planeColumns).map { alphaMax * Double($0) / Double(planeColumns) }
        let betas = (0..<planeRows).map { 0.99 * Double($0) / Double(planeRows - 1) }
        let rates = betas.map { beta in
            alphas.map { HeavyBall.measuredRate(on: q, from: r.start.values, learningRate: $0, momentum: beta, steps: r.steps) }
        }
        let (aStar, bStar) = HeavyBall.optimalParameters(smallestEigenvalue: mu, largestEigenvalue: L)
        var s = "{\"alphas\":[" + alphas.map { JSON.number($0) }.joined(separator: ",") + "]"
        s += ",\"betas\":[" + betas.map { JSON.number($0) }.joined(separator: ",") + "]"
        s += ",\"rates\":[" + rates.map { "[" + $0.map { JSON.number(($0 * 1e5).rounded() / 1e5) }.joined(separator: ",") + "]" }
            .joined(separator: ",") + "]"
        s += ",\"L\":\(JSON.number(L)),\"mu\":\(JSON.number(mu))"
        s += ",\"optimum\":{\"alpha\":\(JSON.number(aStar)),\"beta\":\(JSON.number(bStar))"
            + ",\"rate\":\(JSON.number(HeavyBall.optimalRate(smallestEigenvalue: mu, largestEigenvalue: L)))}"
        s += ",\"gradientDescent\":{\"alpha\":\(JSON.number(2 / (mu + L))),\"rate\":\(JSON.number((L - mu) / (L + mu)))}"
        return s + "}"
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

/// GET /api/momentum-plane: κ of the quadratic, the start and the steps of each cell's run.
struct PlaneRequest: ParsableArguments {
    @OptionGroup var conditionOption: ConditionOption
    @Option(parsing: .unconditional, help: "Starting point X,Y.", transform: Point.parse)
    var start: Point = Point(values: [-5, -2])
    @Option(parsing: .unconditional, help: "Steps of each run, 2 ≤ N ≤ 2000.")
    var steps: Int = 600
    func validate() throws {
        try conditionOption.validate(for: .quadratic)
        guard (2...2000).contains(steps) else {
            throw ValidationError("--steps must be in 2…2000 for the plane (one run per cell), got \(steps)")
        }
        guard start.values != [0, 0] else { throw ValidationError("--start must not be the minimum (0,0)") }
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
