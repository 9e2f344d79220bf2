import Descent
import Figures
import Foundation
import Hummingbird
import LabKit

/// A request the API refuses: HTTP `status`, a message (lab's own wording for the checks lab makes,
/// from LabKit) and the query parameter it names, when there is one.
struct APIError: Error, Equatable {
    var status: Int = 400
    let message: String
    let parameter: String?

    init(status: Int = 400, _ message: String, parameter: String? = nil) {
        self.status = status
        self.message = message
        self.parameter = parameter
    }

    /// LabKit's refusal: its message and the option it names.
    init(_ error: OptionError) { self.init(error.message.split(separator: "\n").first.map(String.init) ?? error.message, parameter: error.parameter) }

    var json: String {
        var s = "{\"error\":\(JSON.string(message))"
        if let parameter { s += ",\"parameter\":\(JSON.string(parameter))" }
        return s + "}"
    }
}

/// The JSON API over `lab`'s commands. Pure functions from a query string (`function=quadratic&…`,
/// percent-encoded, without the `?`) to a JSON body: Hummingbird only carries them (see `APIRoutes`),
/// so the tests can call them directly too. Each query decodes (Hummingbird's `URLEncodedFormDecoder`)
/// into LabKit's value for the command — the same type `lab` parses its flags into, with the same
/// checks — so the API equals `lab` by construction.
enum API {
    /// At most this many steps per request (lab has no cap; a server needs one).
    static let maximumSteps = 100_000
    static let limit = RowLimit.perRequest(maximumSteps)

    /// `query` decoded as `T`; a bad parameter is an ``APIError`` that names it.
    static func decode<T: Decodable>(_ type: T.Type, _ query: String) throws(APIError) -> T {
        // Form encoding writes a space as '+' in names too; Hummingbird's decoder reads '+' as a space in
        // values only, so the names' are made %20 first (an error then names the key the client sent).
        let query = query.split(separator: "&", omittingEmptySubsequences: false).map { element in
            let key = element.prefix { $0 != "=" }
            return key.replacingOccurrences(of: "+", with: "%20") + element.dropFirst(key.count)
        }.joined(separator: "&")
        do {
            return try URLEncodedFormDecoder().decode(T.self, from: query)
        } catch let error as OptionError {
            throw APIError(error)
        } catch let error as URLEncodedFormError {
            if error.code == .duplicateKeys {
                throw APIError("--\(error.value.prefix(40)) is given more than once; give each option once",
                               parameter: String(error.value.prefix(40)))
            }
            // Name the parameter whose key or value the decoder could not read.
            let keys = query.split(separator: "&").map { element in
                let key = String(element.prefix { $0 != "=" })
                return key.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? key
            }
            let key = (keys.first { $0 == error.value } ?? keys.first { $0.contains(error.value) || error.value.contains($0) })
                .map { String($0.prefix(40)) }
            throw APIError("malformed query: \(String(describing: error).prefix(200))", parameter: key)
        } catch {
            throw APIError("malformed query: \(String(describing: error).prefix(200))")
        }
    }

    /// Runs one of LabKit's checks.
    static func check(_ body: () throws(OptionError) -> Void) throws(APIError) {
        do { try body() } catch { throw APIError(error) }
    }

    // MARK: Endpoints

    /// GET /api/optimize: lab optimize's rows, plus where the run blew up.
    ///
    /// `divergence` is lab's stop (a non-finite loss: the last row); `explosion` is the first step whose
    /// loss exceeds 10⁶ × the first (Descent's standard criterion), which the page reports as divergence.
    static func optimize(_ query: String) throws(APIError) -> String {
        let r = try decode(OptimizeSettings.self, query)
        try check { () throws(OptionError) in try r.validate(limit: limit) }
        var rows: [[Double]] = []
        rows.reserveCapacity(r.steps + 1)
        let divergence = r.run { rows.append($0) }
        var extra: [(String, String)] = []
        extra.append(("divergence", divergence.map { "{\"step\":\($0.step)}" } ?? "null"))
        let first = rows.first?[2] ?? .nan
        let explosion = rows.first { DivergenceCriterion.standard.isDiverged($0[2], firstLoss: first) }
        extra.append(("explosion", explosion.map { "{\"step\":\(Int($0[0]))}" } ?? "null"))
        return JSON.table(columns: OptimizeSettings.columns, rows: rows, extra: extra)
    }

    /// GET /api/schedule: lab schedule's rows.
    static func schedule(_ query: String) throws(APIError) -> String {
        let r = try decode(ScheduleSettings.self, query)
        try check { () throws(OptionError) in try r.validate(limit: limit) }
        return JSON.table(columns: ScheduleSettings.columns, rows: (0..<r.steps).map(r.row))
    }

    /// GET /api/find-lr: lab find-lr's rows and its two suggestions.
    static func findLearningRate(_ query: String) throws(APIError) -> String {
        let r = try decode(FunctionSweepSettings.self, query)
        try check { () throws(OptionError) in try r.validate(limit: limit) }
        let result = r.run()
        let rows = result.rates.indices.map { SweepSettings.row($0, of: result) }
        let suggestions = "{\"steep\":\(JSON.number(result.steepest)),\"min/10\":\(JSON.number(result.minimumOverTen))}"
        return JSON.table(columns: SweepSettings.columns, rows: rows, extra: [("suggestions", suggestions)])
    }

    /// GET /api/limits: the analytic largest stable rates on the quadratic (null for the other functions).
    static func limits(_ query: String) throws(APIError) -> String {
        let r = try decode(LimitsRequest.self, query)
        try check(r.validate)
        guard let q = Condition.function(r.function, condition: r.condition) as? Quadratic else {
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
    static func directions(_ query: String) throws(APIError) -> String {
        let r = try decode(OptimizeSettings.self, query)
        try check { () throws(OptionError) in try r.validate(limit: limit) }
        guard r.function == .quadratic, let q = r.testFunction as? Quadratic else {
            throw APIError("the per-direction view needs --function quadratic (its eigen-directions are x and y)",
                           parameter: "function")
        }
        guard r.steps >= 2 else { throw APIError("--steps must be ≥ 2 to measure a rate over the second half", parameter: "steps") }
        let trajectory = r.trajectory()
        let options = r.optimizer
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
    static func momentumPlane(_ query: String) throws(APIError) -> String {
        let r = try decode(PlaneRequest.self, query)
        try check(r.validate)
        let q = Condition.function(.quadratic, condition: r.condition) as! Quadratic
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

    /// GET /api/options: LabKit's option table (every command's options, every optimizer's defaults),
    /// from which the page builds its controls.
    static func options(_ query: String) throws(APIError) -> String {
        _ = try decode(NoOptions.self, query)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do { return String(decoding: try encoder.encode(OptionTable.current), as: UTF8.self) } catch {
            throw APIError(status: 500, "the option table could not be encoded: \(error)")
        }
    }

    /// GET /api/openapi.json: this API as an OpenAPI 3.0 document, generated from the option definitions.
    static func openAPI(_ query: String) throws(APIError) -> String {
        _ = try decode(NoOptions.self, query)
        return OpenAPIDocument.json
    }

    /// GET /api/palette: the book's colours (Figures), so the page's runs look like the book's series.
    static func palette(_ query: String) throws(APIError) -> String {
        _ = try decode(NoOptions.self, query)
        return "{\"palette\":[" + GnuplotScript.palette.map { JSON.string($0) }.joined(separator: ",") + "]}"
    }

    /// GET /api/contours: the function's contour lines over its plotting window.
    static func contours(_ query: String) throws(APIError) -> String {
        let r = try decode(ContoursRequest.self, query)
        try check(r.validate)
        let f = Condition.function(r.function, condition: r.condition)
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
struct LimitsRequest: Decodable {
    static let options = [OptimizeSettings.option("function"), Condition.option,
                          OptionSpec("momentum", .number, "Momentum β ∈ [0, 1) of the heavy ball's limit 2(1 + β)/L.")]
    let function: FunctionName
    let condition: Double?
    let momentum: Double?

    init(from decoder: any Decoder) throws {
        let r = try OptionReader(decoder, options: Self.options)
        function = try r.required("function") { n throws(OptionError) in try r.choice(n, FunctionName.self) }
        condition = try r.number("condition")
        momentum = try r.number("momentum")
    }

    func validate() throws(OptionError) {
        try Condition.validate(condition, for: function)
        if let m = momentum, !(m.isFinite && m >= 0 && m < 1) {
            throw OptionError("--momentum must be in [0, 1) for a stability limit (e.g. --momentum 0.9), got \(m)", parameter: "momentum")
        }
    }
}

/// GET /api/momentum-plane: κ of the quadratic, the start and the steps of each cell's run.
struct PlaneRequest: Decodable {
    static let options = [Condition.option, OptimizeSettings.option("start"),
                          OptionSpec("steps", .integer, "Steps of each run, 2 ≤ N ≤ 2000.")]
    let condition: Double?
    let start: Point
    let steps: Int

    init(from decoder: any Decoder) throws {
        let r = try OptionReader(decoder, options: Self.options)
        condition = try r.number("condition")
        start = try r.point("start") ?? Point(values: [-5, -2])
        steps = try r.integer("steps") ?? 600
    }

    func validate() throws(OptionError) {
        try Condition.validate(condition, for: .quadratic)
        guard (2...2000).contains(steps) else {
            throw OptionError("--steps must be in 2…2000 for the plane (one run per cell), got \(steps)", parameter: "steps")
        }
        guard start.values != [0, 0] else { throw OptionError("--start must not be the minimum (0,0)", parameter: "start") }
    }
}

/// GET /api/contours: the function (and κ).
struct ContoursRequest: Decodable {
    static let options = [OptimizeSettings.option("function"), Condition.option]
    let function: FunctionName
    let condition: Double?

    init(from decoder: any Decoder) throws {
        let r = try OptionReader(decoder, options: Self.options)
        function = try r.required("function") { n throws(OptionError) in try r.choice(n, FunctionName.self) }
        condition = try r.number("condition")
    }

    func validate() throws(OptionError) { try Condition.validate(condition, for: function) }
}

/// A request that takes no parameters (GET /api/palette).
struct NoOptions: Decodable {
    init(from decoder: any Decoder) throws { _ = try OptionReader(decoder, options: []) }
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
