import Foundation

/// An executable built next to the test bundle (the chapters, `book`).
func builtExecutable(_ name: String) -> URL {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: ".build/debug/\(name)")
}

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
    let p = Process()
    p.executableURL = builtExecutable(slug)
    p.arguments = ["--output", dir.path, "--quick", "--no-render"] + extra
    let out = dir.appendingPathComponent(".stdout"), err = dir.appendingPathComponent(".stderr")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    p.standardOutput = try FileHandle(forWritingTo: out)
    p.standardError = try FileHandle(forWritingTo: err)
    try p.run()
    p.waitUntilExit()
    let page = (try? String(contentsOf: dir.appendingPathComponent("\(slug)/README.md"), encoding: .utf8)) ?? ""
    return ChapterRun(status: p.terminationStatus, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "", page: page)
}

/// The first number after `label` in `text` (e.g. "2/L = 0.5" → 0.5), or nil.
func number(after label: String, in text: String) -> Double? {
    guard let r = text.range(of: label) else { return nil }
    let rest = text[r.upperBound...].drop { !($0.isNumber || $0 == "-" || $0 == "−") }
    let token = rest.prefix { $0.isNumber || $0 == "." || $0 == "e" || $0 == "-" || $0 == "−" || $0 == "+" }
    return Double(token.replacingOccurrences(of: "−", with: "-"))
}
