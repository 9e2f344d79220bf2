import Foundation
import TestSupport

/// What a chapter printed and wrote.
struct ChapterRun {
    let status: Int32
    let stdout: String
    let stderr: String
    let page: String
}

/// Runs a chapter in quick mode into a temporary folder (no rendering) and returns what it printed.
func runChapter(_ slug: String, _ extra: [String] = []) throws -> ChapterRun {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chapter-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = try runProcess(builtExecutable(slug), ["--output", dir.path, "--quick", "--no-render"] + extra)
    let page = (try? String(contentsOf: dir.appendingPathComponent("\(slug)/README.md"), encoding: .utf8)) ?? ""
    return ChapterRun(status: run.status, stdout: run.stdout, stderr: run.stderr, page: page)
}

/// The first number after `label` in `text` (e.g. "2/L = 0.5" → 0.5), or nil.
func number(after label: String, in text: String) -> Double? {
    guard let r = text.range(of: label) else { return nil }
    let rest = text[r.upperBound...].drop { !($0.isNumber || $0 == "-" || $0 == "−") }
    let token = rest.prefix { $0.isNumber || $0 == "." || $0 == "e" || $0 == "-" || $0 == "−" || $0 == "+" }
    return Double(token.replacingOccurrences(of: "−", with: "-"))
}
