import Foundation
import Testing
@testable import Figures

/// A drawn figure counts only when it is complete (issue 10 §A2); the time limit's variable (§A3).
@Suite("Figures: completeness checks and the gnuplot time limit")
struct FigureCheckTests {
    func file(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("figcheck-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    static let ihdr: [UInt8] = [0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52] + [UInt8](repeating: 1, count: 17)
    static let iend: [UInt8] = [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]

    @Test("PNG: complete with its IEND chunk; cut off, empty, missing or not a PNG is named", arguments: [
        (signature + ihdr + iend, nil),
        (signature + ihdr + iend.dropLast(1), "no IEND"),
        (signature + ihdr, "no IEND"),
        ([UInt8](), "empty"),
        (Array("<svg/>".utf8) + iend, "not a PNG"),
    ] as [([UInt8], String?)])
    func png(bytes: [UInt8], problem: String?) throws {
        let url = try file("f.png", bytes)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let found = FigureCheck.problem(with: url)
        if let problem { #expect(found?.contains(problem) == true, "\(found ?? "nil")") } else { #expect(found == nil) }
    }

    @Test("SVG: parses with an <svg> root and ends with </svg>", arguments: [
        ("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><g><text>a &amp; b</text></g></svg>\n", nil),
        ("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><g><text>a</te", "does not end with </svg>"),
        ("<svg><g><text>a</svg>", "not well-formed"),
        ("<html><svg></svg></html><svg></svg>", "not well-formed"),
        ("<g></g><!-- </svg>", "not well-formed"),
        ("<html></svg>", "not well-formed"),
    ] as [(String, String?)])
    func svg(text: String, problem: String?) throws {
        let url = try file("f.svg", Array(text.utf8))
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let found = FigureCheck.problem(with: url)
        if let problem { #expect(found?.contains(problem) == true, "\(found ?? "nil")") } else { #expect(found == nil) }
    }

    @Test("DESCENT_GNUPLOT_TIMEOUT: 60 s by default, a positive number overrides, anything else is an error")
    func timeoutVariable() throws {
        #expect(try Gnuplot.timeoutSeconds(environment: [:]) == 60)
        #expect(try Gnuplot.timeoutSeconds(environment: ["DESCENT_GNUPLOT_TIMEOUT": "2.5"]) == 2.5)
        for bad in ["0", "-1", "soon", "", "inf", "nan"] {
            #expect(throws: GnuplotError.badTimeout(bad)) { try Gnuplot.timeoutSeconds(environment: ["DESCENT_GNUPLOT_TIMEOUT": bad]) }
        }
        #expect("\(GnuplotError.timedOut(script: "loss.gp", seconds: 60))".contains("did not finish loss.gp within 60 s"))
    }
}
