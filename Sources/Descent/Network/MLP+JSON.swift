/// An MLP's parameters as JSON, in PyTorch's `nn.Linear` layout so weights move between Descent
/// and PyTorch unchanged:
///
///     {"layers": [{"weight": [[w₁₁, …, w₁ₙ], …], "bias": [b₁, …]}, …]}
///
/// layers input side first; each weight is out × in (row o holds the weights into output o), which is
/// the transpose of Descent's in × out storage. A batch-normalised layer also carries
/// `"batch_norm": {"weight": […], "bias": […], "running_mean": […], "running_var": […]}` (γ, β and the
/// running averages under `torch.nn.BatchNorm1d`'s names); when a file omits it, γ = 1, β = 0, mean 0
/// and variance 1 (PyTorch's initial values). Numbers are written in shortest round-trip form, so
/// writing and reading give back the same bits.
extension MLP {
    /// `parameters` as JSON (one weight row per line), with `statistics` (default: the initial
    /// ones) for batch-normalised layers.
    public func parametersJSON(_ parameters: [Double], statistics: RunningStatistics? = nil) -> String {
        precondition(parameters.count == parameterCount, "expected \(parameterCount) parameters")
        let stats = statistics ?? initialStatistics()
        var out = "{\"layers\": [\n"
        for (l, layer) in layers.enumerated() {
            out += "  {\"weight\": [\n"
            for o in 0..<layer.outputs {
                let row = (0..<layer.inputs).map { i in jsonNumber(parameters[layer.weightRange.lowerBound + i * layer.outputs + o]) }
                out += "    [" + row.joined(separator: ", ") + "]" + (o + 1 < layer.outputs ? ",\n" : "\n")
            }
            out += "  ], \"bias\": [" + layer.biasRange.map { jsonNumber(parameters[$0]) }.joined(separator: ", ") + "]"
            if layer.batchNorm {
                func list(_ values: some Sequence<Double>) -> String { "[" + values.map(jsonNumber).joined(separator: ", ") + "]" }
                out += ",\n   \"batch_norm\": {\"weight\": \(list(layer.gammaRange.map { parameters[$0] })), "
                    + "\"bias\": \(list(layer.betaRange.map { parameters[$0] })), "
                    + "\"running_mean\": \(list(stats.mean[layer.statisticsRange])), "
                    + "\"running_var\": \(list(stats.variance[layer.statisticsRange]))}"
            }
            out += "}"
            out += l + 1 < layers.count ? ",\n" : "\n"
        }
        return out + "]}\n"
    }

    /// Parameters read from JSON in the layout of ``parametersJSON(_:statistics:)``.
    /// - Throws: ``ParameterFileError`` for malformed JSON, non-finite numbers, or a shape that does
    ///   not match this network (the message gives the expected shape).
    public func parameters(fromJSON text: String) throws(ParameterFileError) -> [Double] {
        try parametersAndStatistics(fromJSON: text).parameters
    }

    /// Parameters and batch-norm running averages read from JSON in the layout of
    /// ``parametersJSON(_:statistics:)``; a missing `"batch_norm"` gives PyTorch's initial values.
    public func parametersAndStatistics(fromJSON text: String) throws(ParameterFileError)
        -> (parameters: [Double], statistics: RunningStatistics)
    {
        var parser = JSONParser(bytes: Array(text.utf8))
        let root = try parser.parseDocument()
        guard case .object(let fields) = root, let layersValue = fields["layers"], case .array(let list) = layersValue else {
            throw ParameterFileError("expected an object {\"layers\": [...]} at the top level")
        }
        guard list.count == layers.count else {
            throw ParameterFileError("\(list.count) layers, but the network has \(layers.count) (\(shapeDescription))")
        }
        var p = [Double](repeating: 0, count: parameterCount)
        var stats = initialStatistics()
        for (l, layer) in layers.enumerated() {
            guard case .object(let entry) = list[l], let w = entry["weight"], let b = entry["bias"] else {
                throw ParameterFileError("layer \(l + 1): expected {\"weight\": [[...]], \"bias\": [...]}")
            }
            let shape = "\(layer.outputs) × \(layer.inputs) (out × in)"
            guard case .array(let rows) = w, rows.count == layer.outputs else {
                throw ParameterFileError("layer \(l + 1): weight must be \(shape); \(shapeDescription)")
            }
            for (o, rowValue) in rows.enumerated() {
                guard case .array(let row) = rowValue, row.count == layer.inputs else {
                    throw ParameterFileError("layer \(l + 1): weight row \(o + 1) must have \(layer.inputs) numbers; weight is \(shape)")
                }
                for (i, cell) in row.enumerated() {
                    guard case .number(let v) = cell, v.isFinite else {
                        throw ParameterFileError("layer \(l + 1): weight[\(o)][\(i)] is not a finite number")
                    }
                    p[layer.weightRange.lowerBound + i * layer.outputs + o] = v
                }
            }
            guard case .array(let bias) = b, bias.count == layer.outputs else {
                throw ParameterFileError("layer \(l + 1): bias must have \(layer.outputs) numbers")
            }
            for (o, cell) in bias.enumerated() {
                guard case .number(let v) = cell, v.isFinite else {
                    throw ParameterFileError("layer \(l + 1): bias[\(o)] is not a finite number")
                }
                p[layer.biasRange.lowerBound + o] = v
            }
            for i in layer.gammaRange { p[i] = 1 }
            guard let bnValue = entry["batch_norm"] else { continue }
            guard layer.batchNorm else {
                throw ParameterFileError("layer \(l + 1) has \"batch_norm\" but the network has no batch norm there (\(shapeDescription))")
            }
            guard case .object(let bn) = bnValue else {
                throw ParameterFileError("layer \(l + 1): \"batch_norm\" must be an object {\"weight\", \"bias\", \"running_mean\", \"running_var\"}")
            }
            for (key, start) in [("weight", layer.gammaRange.lowerBound), ("bias", layer.betaRange.lowerBound),
                                 ("running_mean", -1), ("running_var", -2)] {
                guard let value = bn[key] else { continue }
                guard case .array(let cells) = value, cells.count == layer.outputs else {
                    throw ParameterFileError("layer \(l + 1): batch_norm.\(key) must have \(layer.outputs) numbers")
                }
                for (o, cell) in cells.enumerated() {
                    guard case .number(let v) = cell, v.isFinite else {
                        throw ParameterFileError("layer \(l + 1): batch_norm.\(key)[\(o)] is not a finite number")
                    }
                    if key == "running_var" && v < 0 {
                        throw ParameterFileError("layer \(l + 1): batch_norm.running_var[\(o)] is negative")
                    }
                    switch start {
                    case -1: stats.mean[layer.statisticsRange.lowerBound + o] = v
                    case -2: stats.variance[layer.statisticsRange.lowerBound + o] = v
                    default: p[start + o] = v
                    }
                }
            }
        }
        return (p, stats)
    }

    /// e.g. `64 → 32 → 32 → 10`.
    public var shapeDescription: String {
        "network " + ([inputCount] + layers.map(\.outputs)).map(String.init).joined(separator: " → ")
    }
}

/// A parameter file that cannot be used, and why.
public struct ParameterFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}

private func jsonNumber(_ v: Double) -> String {
    precondition(v.isFinite, "JSON has no NaN or infinity")
    return "\(v)"
}

/// The JSON values the parameter files use.
enum JSONValue {
    case object([String: JSONValue]), array([JSONValue]), number(Double), string(String), bool(Bool), null
}

/// A small strict JSON parser (RFC 8259); numbers through Swift's correctly rounded `Double(_:)`.
///
/// Strict means: the number grammar of RFC 8259 §6 (no `+1`, `01`, `1.` or `.5`), string escapes
/// decoded (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\uXXXX` with surrogate pairs; any other
/// escape, a lone surrogate or an unescaped control character is an error), and nesting at most
/// ``maximumDepth`` arrays and objects deep, so a hostile file cannot overflow the stack.
struct JSONParser {
    /// The deepest nesting of arrays and objects accepted (a parameter file needs 4).
    static let maximumDepth = 512

    let bytes: [UInt8]
    var i = 0
    private var depth = 0
    init(bytes: [UInt8]) { self.bytes = bytes }

    private var line: Int { bytes[..<min(i, bytes.count)].reduce(1) { $0 + ($1 == 10 ? 1 : 0) } }
    private func error(_ what: String) -> ParameterFileError { ParameterFileError("JSON line \(line): \(what)") }

    mutating func parseDocument() throws(ParameterFileError) -> JSONValue {
        let v = try value()
        skipSpace()
        guard i == bytes.count else { throw error("unexpected text after the JSON value") }
        return v
    }
    private mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
    }
    private mutating func expect(_ c: Character) throws(ParameterFileError) {
        skipSpace()
        guard i < bytes.count, bytes[i] == c.asciiValue! else { throw error("expected '\(c)'") }
        i += 1
    }
    private mutating func enter() throws(ParameterFileError) {
        depth += 1
        guard depth <= JSONParser.maximumDepth else {
            throw error("arrays and objects nested more than \(JSONParser.maximumDepth) deep (the nesting limit)")
        }
    }
    private mutating func value() throws(ParameterFileError) -> JSONValue {
        skipSpace()
        guard i < bytes.count else { throw error("unexpected end of file") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            try enter()
            defer { depth -= 1 }
            i += 1
            var fields: [String: JSONValue] = [:]
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(fields) }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a string key") }
                let key = try string()
                try expect(":")
                fields[key] = try value()
                skipSpace()
                guard i < bytes.count else { throw error("unexpected end of file in an object") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(fields) }
                throw error("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            try enter()
            defer { depth -= 1 }
            i += 1
            var items: [JSONValue] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                items.append(try value())
                skipSpace()
                guard i < bytes.count else { throw error("unexpected end of file in an array") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw error("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            for (word, v) in [("true", JSONValue.bool(true)), ("false", .bool(false)), ("null", .null)]
            where bytes[i...].starts(with: word.utf8) {
                i += word.utf8.count
                return v
            }
            throw error("unexpected word")
        default:
            let start = i
            while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            guard !text.isEmpty else {
                throw error("'\(String(UnicodeScalar(bytes[start])))' is not a number")
            }
            guard JSONParser.isNumber(bytes[start..<i]), let v = Double(text) else { throw error("'\(text)' is not a number") }
            return .number(v)
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` (RFC 8259 §6).
    static func isNumber(_ s: ArraySlice<UInt8>) -> Bool {
        var k = s.startIndex
        let end = s.endIndex
        func digit(_ k: Int) -> Bool { k < end && s[k] >= UInt8(ascii: "0") && s[k] <= UInt8(ascii: "9") }
        if k < end && s[k] == UInt8(ascii: "-") { k += 1 }
        guard digit(k) else { return false }
        if s[k] == UInt8(ascii: "0") { k += 1 } else { while digit(k) { k += 1 } }
        if k < end && s[k] == UInt8(ascii: ".") {
            k += 1
            guard digit(k) else { return false }
            while digit(k) { k += 1 }
        }
        if k < end && (s[k] == UInt8(ascii: "e") || s[k] == UInt8(ascii: "E")) {
            k += 1
            if k < end && (s[k] == UInt8(ascii: "+") || s[k] == UInt8(ascii: "-")) { k += 1 }
            guard digit(k) else { return false }
            while digit(k) { k += 1 }
        }
        return k == end
    }

    /// A string starting at the opening quote, escapes decoded.
    private mutating func string() throws(ParameterFileError) -> String {
        i += 1
        var s: [UInt8] = []
        while true {
            guard i < bytes.count else { throw error("unterminated string") }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; break }
            if b < 0x20 { throw error("a control character (byte \(b)) inside a string; write it as an escape such as \\n") }
            if b != UInt8(ascii: "\\") { s.append(b); i += 1; continue }
            i += 1
            guard i < bytes.count else { throw error("unterminated string") }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): s.append(e)
            case UInt8(ascii: "b"): s.append(0x08)
            case UInt8(ascii: "f"): s.append(0x0C)
            case UInt8(ascii: "n"): s.append(0x0A)
            case UInt8(ascii: "r"): s.append(0x0D)
            case UInt8(ascii: "t"): s.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw error("a lone surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in a string")
                    }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else {
                        throw error("a lone surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in a string")
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw error("a lone surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in a string")
                }
                s.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
            default:
                throw error("'\\\(String(decoding: [e], as: UTF8.self))' is not a JSON escape")
            }
        }
        return String(decoding: s, as: UTF8.self)
    }

    private mutating func hex4() throws(ParameterFileError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw error("unterminated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let d: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("'\\u' needs four hexadecimal digits")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }
}
