import Figures
import Foundation
import GnuplotIOStreamBackend
import Testing

let hasGnuplot = Gnuplot.isAvailable

func scratch() throws -> URL {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("iostream-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
    return d
}

let sample = Figure(name: "sample", title: "Two backends, one figure", plots: [
    Plot(title: "loss", xLabel: "step", yLabel: "loss", yScale: .log,
         series: [Series(title: "α = 0.1", x: [0, 1, 2, 3], y: [1, 0.5, 0.25, 0.125]),
                  Series(title: "α = 1", style: .linesPoints, x: [0, 1, 2, 3], y: [1, 2, 4, 8])]),
    Plot(title: "path", xLabel: "x", yLabel: "y",
         series: [Series(title: "path", x: [-1, 0], y: [1, 0])],
         contour: Contour(xRange: -1...1, yRange: -1...1, resolution: 11) { x, y in x * x + y * y }),
])

@Suite("gnuplot-iostream backend")
struct BackendTests {
    @Test("draws the same svg and png files as the default renderer", .enabled(if: hasGnuplot, "gnuplot is not installed"))
    func sameFiles() async throws {
        let a = try scratch(), b = try scratch()
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        try FigureWriter.write(sample, to: a)
        try FigureWriter.write(sample, to: b)
        try await FigureWriter.render([sample.name], in: a, renderer: GnuplotRenderer())
        try await FigureWriter.render([sample.name], in: b, renderer: GnuplotIOStreamRenderer())
        for ext in ["gp", "dat", "svg", "png"] {
            let x = try Data(contentsOf: a.appendingPathComponent("sample.\(ext)"))
            let y = try Data(contentsOf: b.appendingPathComponent("sample.\(ext)"))
            #expect(x.count > 100 && x == y, "sample.\(ext) differs between backends")
        }
    }

    @Test("a broken script is an error naming the script line", .enabled(if: hasGnuplot, "gnuplot is not installed"))
    func broken() async throws {
        let d = try scratch()
        defer { try? FileManager.default.removeItem(at: d) }
        try "set title \"x\"\nplot no_such_variable\n".write(to: d.appendingPathComponent("bad.gp"), atomically: true, encoding: .utf8)
        await #expect {
            try await GnuplotIOStreamRenderer().render(figure: "bad", in: d)
        } throws: { error in
            let text = "\(error)"
            return text.contains("bad.gp") && text.contains("line 2") && text.contains("undefined")
        }
    }
}
