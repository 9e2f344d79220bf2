import Foundation
import TestSupport
import Testing

/// The figures of chapters 5–7 that fresh readers could not read, checked in the gnuplot scripts a
/// quick run writes: series that vanished (dashed paths), markers hidden under others, rules drawn
/// in the colour of the line they mark.
@Suite("Figures of ch05–ch07 a student can read", .serialized)
struct FigureReadabilityTests {
    /// Runs a chapter in quick mode without rendering and returns its figure scripts by name.
    func scripts(_ slug: String) throws -> [String: String] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("figure-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try runProcess(builtExecutable(slug), ["--output", dir.path, "--quick", "--no-render"])
        #expect(run.status == 0 && !run.signaled, "\(run.stderr)")
        let folder = dir.appendingPathComponent(slug)
        var out: [String: String] = [:]
        for f in try FileManager.default.contentsOfDirectory(atPath: folder.path) where f.hasSuffix(".gp") {
            out[String(f.dropLast(3))] = try String(contentsOf: folder.appendingPathComponent(f), encoding: .utf8)
        }
        return out
    }

    /// (title, colour, dash) of every drawn series, in drawing order, one list per `plot` command.
    func series(_ script: String) -> [[(title: String, color: String, dash: Int)]] {
        let pattern = #/lc rgb "(#[0-9A-Fa-f]{6})" lw [0-9.]+ dt (\d+).*? title "([^"]*)"/#
        return script.components(separatedBy: "\n    plot ").dropFirst().map { command in
            let plot = command.components(separatedBy: "\n    unset output")[0].components(separatedBy: "\nunset")[0]
            return plot.matches(of: pattern).map { (String($0.output.3), String($0.output.1), Int($0.output.2)!) }
        }
    }

    @Test("ch05 race: every optimizer's path is a solid line (Nesterov's dashes hid its path)")
    func race() throws {
        let race = try #require(try scripts("ch05-adam")["race"])
        let paths = series(race).flatMap { $0.filter { $0.title == "path" } }
        #expect(paths.count == 7)
        #expect(paths.allSatisfy { $0.dash == 1 }, "\(paths)")
    }

    @Test("ch06 path: the least-squares ring is drawn after (on top of) both paths, in its own colour")
    func leastSquares() throws {
        let path = try #require(try scripts("ch06-linear-regression")["path"])
        let drawn = try #require(series(path).first)
        let ring = try #require(drawn.firstIndex { $0.title.hasPrefix("least squares") })
        let adam = try #require(drawn.firstIndex { $0.title == "Adam" })
        let gd = try #require(drawn.firstIndex { $0.title == "gradient descent" })
        #expect(ring > adam && ring > gd)
        #expect(drawn[ring].color != drawn[adam].color && drawn[ring].color != drawn[gd].color)
    }

    @Test("ch07 grid and range test: five rules in five colours, none the colour of the curve they mark")
    func rules() throws {
        let figures = try scripts("ch07-finding-the-learning-rate")
        let rules = ["valley", "steep", "minimum", "slide", "verified"]
        for (name, curve) in [("grid", "grid"), ("range-test", "smoothed (β = 0.98)")] {
            let plots = series(try #require(figures[name]))
            #expect(plots.count == 5, "\(name): \(plots.count) panels")
            for panel in plots {
                let line = try #require(panel.first { $0.title == curve }, "\(name): no \(curve)")
                let marks = panel.filter { rules.contains($0.title) }
                #expect(!marks.isEmpty)
                #expect(marks.allSatisfy { $0.color != line.color }, "\(name): \(marks) on \(line)")
                #expect(Set(marks.map(\.color)).count == marks.count, "\(name): \(marks)")
            }
        }
    }

    @Test("ch07 grid: each rule is one marker at the loss it reached with a dotted drop line, not a stem from a row")
    func gridMarkers() throws {
        let grid = try #require(try scripts("ch07-finding-the-learning-rate")["grid"])
        let rules = ["valley", "steep", "minimum", "slide", "verified"]
        // (style, colour, dash, title) of every drawn series, in drawing order.
        let pattern = #/with (\w+) lc rgb "(#[0-9A-Fa-f]{6})" lw [0-9.]+ dt (\d+).*? title "([^"]*)"/#
        let drawn = grid.matches(of: pattern).map { (String($0.output.1), String($0.output.2), String($0.output.3),
                                                     String($0.output.4)) }
        let marks = drawn.indices.filter { i in rules.contains { drawn[i].3.contains($0) } }
        #expect(marks.count >= 5 * 3, "\(marks.count) rule marks")
        for i in marks {
            #expect(drawn[i].0 == "points", "\(drawn[i])")
            #expect(i > 0 && drawn[i - 1].0 == "lines" && drawn[i - 1].1 == drawn[i].1 && drawn[i - 1].2 == "3",
                    "\(drawn[i]) has no dotted drop line in its colour")
        }
    }
}
