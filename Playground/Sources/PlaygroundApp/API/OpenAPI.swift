import Foundation
import LabKit

/// The API described as OpenAPI 3.0 (GET /api/openapi.json), generated from the same option
/// definitions the endpoints decode with (LabKit's ``OptionSpec``s and the view requests' own), so
/// the document cannot drift from what the server accepts. The browser tests fuzz the server from it
/// with schemathesis.
struct OpenAPIDocument: Encodable {
    struct Info: Encodable { let title: String, version: String, description: String }
    struct Schema: Encodable {
        var type: String
        var `enum`: [String]? = nil
        var example: String? = nil
        var properties: [String: Schema]? = nil
        var required: [String]? = nil
    }
    struct Parameter: Encodable {
        let name: String
        let `in` = "query"
        let description: String
        let required: Bool
        let schema: Schema
    }
    struct Media: Encodable { let schema: Schema }
    struct Response: Encodable { let description: String, content: [String: Media] }
    struct Operation: Encodable {
        let summary: String
        let operationId: String
        let parameters: [Parameter]
        let responses: [String: Response]
    }
    struct PathItem: Encodable { let get: Operation }

    let openapi = "3.0.3"
    let info: Info
    let paths: [String: PathItem]

    /// The endpoints: path, summary and the options each decodes.
    static let endpoints: [(path: String, summary: String, options: [OptionSpec])] = [
        ("optimize", "lab optimize: one optimizer on a 2-D test function, rows step, lr, loss, x, y", OptimizeSettings.options),
        ("schedule", "lab schedule: a schedule's rate at steps 0…N−1", ScheduleSettings.options),
        ("find-lr", "lab find-lr --function: a learning-rate range test from a point", FunctionSweepSettings.options),
        ("directions", "the quadratic's eigen-directions: predicted and measured contraction per step", OptimizeSettings.options),
        ("momentum-plane", "the heavy ball's measured rate over a grid of (α, β)", PlaneRequest.options),
        ("limits", "the largest stable rates on the quadratic", LimitsRequest.options),
        ("contours", "the function's contour lines over its plotting window", ContoursRequest.options),
        ("palette", "the book's colours", []),
        ("options", "every command's options and every optimizer's defaults (LabKit's table)", []),
    ]

    static func schema(_ spec: OptionSpec) -> Schema {
        switch spec.kind {
        case .number: return Schema(type: "number")
        case .integer: return Schema(type: "integer")
        case .flag: return Schema(type: "boolean")
        case .choice: return Schema(type: "string", enum: spec.choices)
        case .point: return Schema(type: "string", example: "-5,-2")
        case .schedule: return Schema(type: "string", example: "cosine:T=100")
        }
    }

    static let error = Schema(type: "object", properties: ["error": Schema(type: "string"), "parameter": Schema(type: "string")],
                              required: ["error"])

    static let current: OpenAPIDocument = {
        var paths: [String: PathItem] = [:]
        for endpoint in endpoints {
            let json = { (description: String, schema: Schema) in
                Response(description: description, content: ["application/json": Media(schema: schema)])
            }
            paths["/api/" + endpoint.path] = PathItem(get: Operation(
                summary: endpoint.summary, operationId: endpoint.path,
                parameters: endpoint.options.map {
                    Parameter(name: $0.name, description: $0.help, required: $0.required, schema: schema($0))
                },
                responses: [
                    "200": json("the result", Schema(type: "object")),
                    "400": json("a parameter refused: the message and the parameter it names", error),
                    "503": json("the computation took longer than the server allows", error),
                ]))
        }
        return OpenAPIDocument(
            info: Info(title: "Descent playground API", version: "1",
                       description: "lab's commands over HTTP: each query parameter is lab's flag without its dashes; "
                           + "the numbers are lab's CSV values (non-finite ones as the strings \"inf\", \"-inf\", \"nan\")."),
            paths: paths)
    }()

    /// The document as JSON text.
    static let json: String = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(current)) ?? Data("{}".utf8), as: UTF8.self)
    }()
}
