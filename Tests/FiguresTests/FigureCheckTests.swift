import Foundation
import Testing
@testable import Figures

/// A drawn figure counts only when it is complete; the time limit's variable.
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
        // What swift-corelibs' XMLParser used to catch, now checked without Foundation:
        ("<svg width=600><g></g></svg>", "is not quoted"),
        ("<svg><text>a & b</text></svg>", "bare &"),
        ("<svg><text a='x & y'>a</text></svg>", "bare & in the value"),
        ("<svg a=\"1\"b=\"2\"></svg>", "malformed attribute"),
        ("<svg a=\"<\"></svg>", "a < in the value"),
        ("<svg><1g/></svg>", "not a valid tag name"),
        ("<svg a></svg>", "has no value"),
        ("<svg><g/ ></svg>", "stray /"),
        ("<svg></svg x=\"1\"><svg></svg>", "has attributes"),
        ("<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\">\n"
         + "<svg xmlns:xlink=\"http://www.w3.org/1999/xlink\" a = 'b'>\n<text>&lt;&#60;&#x3C;&quot; α > β</text><g id='x'/>\n</svg>\n", nil),
    ] as [(String, String?)])
    func svg(text: String, problem: String?) throws {
        let url = try file("f.svg", Array(text.utf8))
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let found = FigureCheck.problem(with: url)
        if let problem { #expect(found?.contains(problem) == true, "\(found ?? "nil")") } else { #expect(found == nil) }
    }

    @Test("SVG: bytes that are not UTF-8 are named")
    func svgNotUTF8() throws {
        let url = try file("f.svg", Array("<svg><text>".utf8) + [0xC3, 0x28] + Array("</text></svg>".utf8))
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let found = FigureCheck.problem(with: url)
        #expect(found?.contains("invalid UTF-8 near byte 11") == true, "\(found ?? "nil")")
    }

    @Test("the root element's name skips the prolog and comments")
    func rootName() {
        #expect(FigureCheck.rootName(Array("<?xml version='1.0'?>\n<!-- <g> -->\n<!DOCTYPE svg>\n<svg a='1'><g/></svg>".utf8)) == "svg")
        #expect(FigureCheck.rootName(Array("<html>".utf8)) == "html")
        #expect(FigureCheck.rootName(Array("<?xml?>".utf8)) == nil)
    }

    @Test("SVG metadata: the first <title> and <desc> are replaced, text is escaped, the rest is untouched")
    func svgMetadata() {
        #expect(SVGMetadata.escaped("a & b < c > d é") == "a &amp; b &lt; c &gt; d é")
        let svg = "<svg>\n<title>Gnuplot</title>\n<desc>Produced by GNUPLOT</desc><g><title>α</title></g></svg>"
        let titled = SVGMetadata.replacingElement("title", with: "Loss – α = 0.1", in: svg)
        #expect(titled == "<svg>\n<title>Loss – α = 0.1</title>\n<desc>Produced by GNUPLOT</desc><g><title>α</title></g></svg>")
        let described = SVGMetadata.replacingElement("desc", with: "x axis", in: titled)
        #expect(described == "<svg>\n<title>Loss – α = 0.1</title>\n<desc>x axis</desc><g><title>α</title></g></svg>")
        #expect(SVGMetadata.replacingElement("desc", with: "x", in: "<svg><desc></svg>") == "<svg><desc></svg>")
        #expect(SVGMetadata.replacingElement("desc", with: "x", in: "<svg></desc><desc></svg>") == "<svg></desc><desc></svg>")
        #expect(SVGMetadata.replacingElement("desc", with: "x", in: "<svg><desc></desc></svg>") == "<svg><desc>x</desc></svg>")
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
