#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The SVG's `<title>` and `<desc>`: gnuplot writes "Gnuplot" and its version; a screen reader
/// or a search should find the figure's title and what it shows instead.
public enum SVGMetadata {
    /// Replaces the first `<title>` and `<desc>` of the SVG at `url` (which gnuplot always writes).
    public static func apply(title: String, description: String, to url: URL) throws {
        var svg = try String(contentsOf: url, encoding: .utf8)
        svg = replacingElement("title", with: escaped(title), in: svg)
        svg = replacingElement("desc", with: escaped(description), in: svg)
        try AtomicFile.write(svg, to: url)
    }

    static func replacingElement(_ name: String, with text: String, in svg: String) -> String {
        let b = Array(svg.utf8)
        guard let open = find(Array("<\(name)>".utf8), in: b, from: 0),
              let close = find(Array("</\(name)>".utf8), in: b, from: open + name.utf8.count + 2)
        else { return svg }
        let start = open + name.utf8.count + 2
        return String(decoding: b[..<start] + Array(text.utf8) + b[close...], as: UTF8.self)
    }

    /// The first offset ≥ `start` where `pattern` occurs in `bytes`, or nil.
    static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        var i = start
        while i + pattern.count <= bytes.count {
            if bytes[i..<(i + pattern.count)].elementsEqual(pattern) { return i }
            i += 1
        }
        return nil
    }

    /// Text escaped for XML character data.
    public static func escaped(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

extension Figure {
    /// A plain-text account of what the figure draws: per plot its axes (and their scales) and
    /// its series, for the SVG's `<desc>`.
    public var textDescription: String {
        plots.map { plot in
            var parts: [String] = []
            if !plot.title.isEmpty && plots.count > 1 { parts.append("Panel \"\(plot.title)\":") }
            parts.append("x axis \(plot.xLabel)\(plot.xScale == .log ? " (log scale)" : ""),"
                         + " y axis \(plot.yLabel)\(plot.yScale == .log ? " (log scale)" : "").")
            let names = plot.series.map(\.title).filter { !$0.isEmpty }
            if !names.isEmpty { parts.append("Series: \(names.joined(separator: "; ")).") }
            if let h = plot.heatmap { parts.append("Colour: \(h.logScale ? "log10 " : "")\(h.colorLabel).") }
            if plot.contour != nil { parts.append("Contour lines of the function underneath.") }
            if !plot.markers.isEmpty { parts.append("Vertical lines: \(plot.markers.map(\.label).joined(separator: "; ")).") }
            return parts.joined(separator: " ")
        }.joined(separator: " ")
    }
}

/// A renderer that draws with `base`, then writes each figure's title and description into
/// its SVG's `<title>` and `<desc>`.
public struct DescribedSVGRenderer: FigureRenderer {
    public let base: any FigureRenderer
    /// Figure name → (title, description).
    public let descriptions: [String: (title: String, description: String)]

    public init(base: any FigureRenderer, descriptions: [String: (title: String, description: String)]) {
        self.base = base
        self.descriptions = descriptions
    }

    public func render(figure name: String, in directory: URL) async throws {
        try await base.render(figure: name, in: directory)
        guard let d = descriptions[name] else { return }
        let svg = directory.appendingPathComponent(name + ".svg")
        if FileManager.default.fileExists(atPath: svg.path) {
            try SVGMetadata.apply(title: d.title, description: d.description, to: svg)
        }
    }
}
