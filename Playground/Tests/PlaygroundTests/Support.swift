import Foundation
import LabKit
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PlaygroundApp

/// The repository root (this file is Playground/Tests/PlaygroundTests/Support.swift).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// The built `lab` binary the API must agree with: $LAB, else the root package's release or debug build.
let labBinary: URL? = {
    if let path = ProcessInfo.processInfo.environment["LAB"] { return URL(fileURLWithPath: path) }
    let candidates = ["release", "debug"].map { repositoryRoot.appendingPathComponent(".build/\($0)/lab") }
    return candidates.filter { FileManager.default.isExecutableFile(atPath: $0.path) }
        .max { modified($0) < modified($1) }
}()

func modified(_ url: URL) -> Date {
    ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date) ?? .distantPast
}

struct LabResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs `lab` with `arguments`.
func lab(_ arguments: [String]) throws -> LabResult {
    guard let labBinary else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "build lab first: swift build (in the repository root)"])
    }
    let process = Process()
    process.executableURL = labBinary
    process.arguments = arguments
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("playground-lab-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("out"), err = dir.appendingPathComponent("err")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return LabResult(status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
                     stderr: try String(contentsOf: err, encoding: .utf8))
}

/// `lab`'s argument list for an API query string (what the page sends): `name=value` → `--name value`,
/// `name=true` for a flag → `--name`.
func labArguments(_ query: String) -> [String] {
    query.split(separator: "&").flatMap { pair -> [String] in
        let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
        let value = kv.count > 1 ? (kv[1].removingPercentEncoding ?? kv[1]) : ""
        if OptimizerSettings.options.contains(where: { $0.name == kv[0] && $0.kind == .flag }) {
            return value == "true" ? ["--\(kv[0])"] : []
        }
        return ["--\(kv[0])", value]
    }
}

/// A query string from name–value pairs, each percent-encoded (what the page's URLSearchParams sends).
func query(_ pairs: [(String, String)]) -> String {
    var allowed = CharacterSet.urlQueryAllowed
    allowed.remove(charactersIn: "&=+")
    return pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
}

/// The test application on the committed book, without a socket.
func testApplication(timeout: Duration = .seconds(120)) throws -> some ApplicationProtocol {
    try buildApplication(PlaygroundConfiguration(book: repositoryRoot.appendingPathComponent("output"),
                                                 requestTimeout: timeout))
}

/// GET `uri` on `client`: status, content type and body.
func get(_ client: some TestClientProtocol, _ uri: String, headers: HTTPFields = [:],
         body: ByteBuffer? = nil) async throws -> (status: HTTPResponse.Status, type: String?, body: String) {
    try await client.execute(uri: uri, method: .get, headers: headers, body: body) { response in
        (response.status, response.headers[.contentType], String(buffer: response.body))
    }
}

/// The rows of an API answer as lab's CSV lines (`[0,0.4,58.0]` → `0,0.4,58.0`; "inf" → inf).
func csvLines(fromJSON body: String) throws -> (header: String, rows: [String]) {
    let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    let columns = try #require(object["columns"] as? [String])
    guard let start = body.range(of: "\"rows\":[")?.upperBound else { throw CocoaError(.coderReadCorrupt) }
    var rows: [String] = []
    var rest = body[start...]
    while rest.first == "[" {
        let end = try #require(rest.firstIndex(of: "]"))
        rows.append(rest[rest.index(after: rest.startIndex)..<end].replacingOccurrences(of: "\"", with: ""))
        rest = rest[rest.index(after: end)...]
        if rest.first == "," { rest = rest.dropFirst() }
    }
    return (columns.joined(separator: ","), rows)
}

/// The text of `"key":value` in a JSON body (a number or null), as written.
func rawValue(_ key: String, in body: String) -> String {
    guard let r = body.range(of: "\"\(key)\":") else { return "(missing)" }
    return String(body[r.upperBound...].prefix { $0 != "," && $0 != "}" })
}
