/// An MLP's parameters as JSON, in PyTorch's `nn.Linear` layout so weights move between Descent
/// and PyTorch unchanged:
///
///     {"layers": [{"weight": [[w₁₁, …, w₁ₙ], …], "bias": [b₁, …]}, …]}
///
/// layers input side first; each weight is out × in (row o holds the weights into output o), which is
/// the transpose of Descent's in × out storage. Numbers are written in shortest round-trip form, so
/// writing and reading give back the same bits.
extension MLP {
    /// `parameters` as JSON (one weight row per line).
    public func parametersJSON(_ parameters: [Double]) -> String {
        precondition(parameters.count == parameterCount, "expected \(parameterCount) parameters")
        var out = "{\"layers\": [\n"
        for (l, layer) in layers.enumerated() {
            out += "  {\"weight\": [\n"
            for o in 0..<layer.outputs {
                let row = (0..<layer.inputs).map { i in jsonNumber(parameters[layer.weightRange.lowerBound + i * layer.outputs + o]) }
                out += "    [" + row.joined(separator: ", ") + "]" + (o + 1 < layer.outputs ? ",\n" : "\n")
            }
            out += "  ], \"bias\": [" + layer.biasRange.map { jsonNumber(parameters[$0]) }.joined(separator: ", ") + "]}"
            out += l + 1 < layers.count ? ",\n" : "\n"
        }
        return out + "]}\n"
    }

    /// Parameters read from JSON in the layout of ``parametersJSON(_:)``.
    /// - Throws: ``ParameterFileError`` for malformed JSON, non-finite numbers, or a shape that does
    ///   not match this network (the message gives the expected shape).
    public func parameters(fromJSON text: String) throws(ParameterFileError) -> [Double] {
        var parser = JSONParser(bytes: Array(text.utf8))
        let root = try parser.parseDocument()
        guard case .object(let fields) = root, let layersValue = fields["layers"], case .array(let list) = layersValue else {
            throw ParameterFileError("expected an object {\"layers\": [...]} at the top level")
        }
        guard list.count == layers.count else {
            throw ParameterFileError("\(list.count) layers, but the network has \(layers.count) (\(shapeDescription))")
        }
        var p = [Double](repeating: 0, count: parameterCount)
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
        }
        return p
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
struct JSONParser {
    let bytes: [UInt8]
    var i = 0
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
    private mutating func value() throws(ParameterFileError) -> JSONValue {
        skipSpace()
        guard i < bytes.count else { throw error("unexpected end of file") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var fields: [String: JSONValue] = [:]
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(fields) }
            while true {
                skipSpace()
                guard case .string(let key) = try value() else { throw error("expected a string key") }
                try expect(":")
                fields[key] = try value()
                skipSpace()
                guard i < bytes.count else { throw error("unexpected end of file in an object") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(fields) }
                throw error("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
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
            i += 1
            var s: [UInt8] = []
            while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                if bytes[i] == UInt8(ascii: "\\") { i += 1 }
                if i < bytes.count { s.append(bytes[i]) }
                i += 1
            }
            guard i < bytes.count else { throw error("unterminated string") }
            i += 1
            return .string(String(decoding: s, as: UTF8.self))
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
            guard !text.isEmpty, let v = Double(text) else { throw error("'\(text.isEmpty ? String(UnicodeScalar(bytes[start])) : text)' is not a number") }
            return .number(v)
        }
    }
}
