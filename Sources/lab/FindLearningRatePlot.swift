#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ArgumentParser
import Descent
import Figures
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `find-lr --plot FILE.svg|FILE.png`: the range test drawn to a file by gnuplot through `Figures`.
///
/// The figure: the recorded losses Lᵢ (points) and the smoothed sᵢ (a line) against the rate
/// (log axis); each asked fastai rule's pick on the smoothed curve, one mark each (valley,
/// steep and slide suggest the rate they picked); `minimum` suggests a tenth of its pick, drawn
/// as a second, vertical mark at that rate; the verified rule's trials (their loss after their
/// steps; one that ended more than 10× above the curve's highest loss is drawn on the top edge,
/// as "verified trials above X") and its pick among them. The legend goes below the axes, where it covers nothing.
///
/// Written whole or not at all: gnuplot draws into a private temporary folder (with the
/// timeout and process-group cleanup of ``Gnuplot``); the drawing is checked (``FigureCheck``)
/// and only then copied over the destination through ``OutputFile`` (temporary file + rename).
enum FindLearningRatePlot {
    /// The extensions --plot draws.
    static let extensions = ["svg", "png"]

    /// The extension of `path` that --plot will draw, or a validation error naming the flag.
    static func validatePath(_ path: String) throws {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), extensions.contains(String(name[name.index(after: dot)...])) else {
            throw ValidationError("--plot '\(path)': give a file ending in .svg or .png (e.g. --plot finder.png)")
        }
    }

    static func fileExtension(_ path: String) -> String { String(path[path.index(after: path.lastIndex(of: ".")!)...]) }

    /// The figure of a sweep, its rules' picks (by name) and the verified trials.
    /// `recorded` names the loss the sweep recorded (e.g. "validation loss" with --mode validation).
    /// A rule that suggests its picked point's rate gets one mark, "NAME: RATE", on the curve; one
    /// that suggests another rate (minimum: a tenth) gets "NAME picks RATE" there and a vertical
    /// line "NAME suggests RATE" at the suggestion.
    static func figure(_ result: RangeTest.Result, picks: [(name: String, pick: RateSuggestion?)],
                       verified: VerifiedSearch.Result?, title: String, recorded: String = "loss") -> Figure {
        var series = [Series(title: recorded, style: .points, x: result.rates, y: result.losses, color: 7),
                      Series(title: "smoothed", x: result.rates, y: result.smoothed, color: 0)]
        var markers: [Marker] = []
        for (k, (name, pick)) in picks.enumerated() {
            guard let p = pick else { continue }
            let color = [1, 2, 3, 5][k % 4]
            if p.rate != p.pointRate {
                series.append(Series(title: "\(name) picks \(significant(p.pointRate, 3))", style: .points,
                                     x: [p.pointRate], y: [p.pointLoss], color: color))
                markers.append(Marker(x: p.rate, label: "\(name) suggests \(significant(p.rate, 3))", color: color))
            } else {
                series.append(Series(title: "\(name): \(significant(p.rate, 3))", style: .points,
                                     x: [p.pointRate], y: [p.pointLoss], color: color))
            }
        }
        // A trial that blew up without diverging (loss 1e36) would squash the curve: trials more
        // than 10× above the curve's highest loss are drawn on the top edge, as their own series.
        let curve = (result.losses + result.smoothed).filter { $0.isFinite }
        let ceiling = 10 * (curve.max() ?? 1)
        if let v = verified {
            // The full-budget trials only: the screening runs are shorter and scored on the inner split,
            // so their losses are not on the same scale.
            let tried = v.trials.filter { $0.phase > 0 && $0.loss.isFinite }
            let (shown, above) = (tried.filter { $0.loss <= ceiling }, tried.filter { $0.loss > ceiling })
            series.append(Series(title: "verified trials' final loss (B steps)", style: .points,
                                 x: shown.map(\.rate), y: shown.map(\.loss), color: 6))
            if !above.isEmpty {
                series.append(Series(title: "verified trials above \(significant(ceiling, 2))", style: .points,
                                     x: above.map(\.rate), y: above.map { _ in ceiling },
                                     pen: Pen(color: Palette.black, point: 8)))
            }
            // No mark when no trial beat the untrained network (find-lr then says "none" on stderr).
            if let rate = v.rate, let loss = v.loss {
                let picked = tried.filter { $0.rate == rate }.min { $0.loss < $1.loss }
                series.append(Series(title: "verified: \(significant(rate, 3))", style: .points,
                                     x: [rate], y: [min(picked?.loss ?? loss, ceiling)], color: 4))
            }
        }
        let values = series.flatMap(\.y).filter(\.isFinite)
        let positive = values.allSatisfy { $0 > 0 }
        // A margin on a log axis, so no mark sits on the frame.
        let range = positive ? values.min().flatMap { lo in values.max().map { hi in lo / 1.6...hi * 1.6 } } : nil
        // Up to ten legend entries and a curve that spans the whole width: below the axes, the
        // legend covers nothing (``KeyPlacement`` sizes the margin for its rows).
        let plot = Plot(title: title, xLabel: "learning rate (log scale)", yLabel: positive ? "loss (log scale)" : "loss",
                        xScale: .log, yScale: positive ? .log : .linear, yRange: range, key: .below, series: series,
                        markers: markers)
        return Figure(name: "find-lr", title: title, plots: [plot], size: (900, 720))
    }

    /// The two classic suggestions `find-lr --function` prints without --suggest: the steepest
    /// descent of the smoothed curve, and the rate at its minimum ÷ 10 (``RangeTest/suggest(_:)``).
    static func classicPicks(_ r: RangeTest.Result) -> [(name: String, pick: RateSuggestion?)] {
        let steepest = r.steepest.flatMap { rate in
            r.rates.firstIndex(of: rate).map { RateSuggestion(rate: rate, pointRate: rate, pointLoss: r.smoothed[$0], index: $0) }
        }
        let lowest = r.minimumOverTen.flatMap { rate in
            r.smoothed.indices.min { r.smoothed[$0] < r.smoothed[$1] }.map {
                RateSuggestion(rate: rate, pointRate: r.rates[$0], pointLoss: r.smoothed[$0], index: $0)
            }
        }
        return [("steepest", steepest), ("min/10", lowest)]
    }

    /// Before any work: gnuplot is there and the destination can be written (see ``OutputFile``).
    static func prepare(_ path: String, data: String?) throws -> OutputFile {
        guard Gnuplot.isAvailable else { throw LabError("--plot needs gnuplot. \(Gnuplot.installHint)") }
        return try OutputFile(path: path, flag: "--plot", notSameAs: data.map { ("--data", $0) })
    }

    /// Draws `figure` in a temporary folder and returns the bytes of its `.svg` or `.png` (per
    /// `path`), checked complete; the folder is removed either way.
    static func render(_ figure: Figure, for path: String) async throws -> [UInt8] {
        let base = Gnuplot.currentEnvironment()["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/lab-find-lr-plot-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else {
            throw LabError("--plot: cannot create a temporary folder in \(base): \(String(cString: strerror(errno)))")
        }
        let folder = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let files = ["gp", "dat", "svg", "png"].map { "\(figure.name).\($0)" }
        // A SIGTERM or Ctrl-C while gnuplot draws removes the folder too (the destination is not touched yet).
        PendingTemporary.setFolder(folder, files: files)
        defer {
            for file in files { unlink("\(folder)/\(file)") }
            rmdir(folder)
            PendingTemporary.setFolder(nil)
        }
        let url = URL(fileURLWithPath: folder)
        do {
            try FigureWriter.write(figure, to: url)
            try await FigureWriter.render([figure.name], in: url, renderer: GnuplotRenderer(), parallelism: 1)
            return Array(try Data(contentsOf: url.appendingPathComponent("\(figure.name).\(fileExtension(path))")))
        } catch let error as GnuplotError {
            throw LabError("--plot '\(path)': \(error); nothing was written")
        } catch let error as FigureError {
            throw LabError("--plot '\(path)': \(error); nothing was written")
        } catch let error as LabError {
            throw error
        } catch {
            throw LabError("--plot '\(path)': \(error); nothing was written")
        }
    }
}
