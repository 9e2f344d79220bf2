import Descent
import Testing
@testable import Figures
@testable import Notebook

@Suite("Notebook: plotting helpers and the regenerate command")
struct PlottingHelpersTests {
    @Test("markedLine: the whole line without a legend entry, and its markers from the offset, every n points")
    func markedLine() {
        let x = (0..<10).map(Double.init), y = x.map { $0 * $0 }
        let s = Series.markedLine(title: "run", x: x, y: y, pen: .named("SGD"), every: 4, offset: 1)
        #expect(s.count == 2)
        #expect(s[0].title == "" && s[0].x == x && s[0].y == y && s[0].style == .lines)
        #expect(s[1].title == "run" && s[1].style == .points)
        #expect(s[1].x == [1, 5, 9] && s[1].y == [1, 25, 81])
        #expect(s.allSatisfy { $0.pen == .named("SGD") })
        // No finite point to mark (a run that diverged before the first marker): one titled line.
        let nan = Series.markedLine(title: "gone", x: [0, 1, 2], y: [1, .nan, .nan], pen: .named("SGD"), every: 5,
                                    offset: 1)
        #expect(nan.count == 1 && nan[0].title == "gone")
    }

    @Test("marker: a run's start (index 0) and end (index −1) as lone points")
    func marker() {
        let run = optimize(Quadratic(), from: [-5, -2], steps: 3, optimizer: SGD(learningRate: 0.1))
        let start = Series(marker: run, at: 0, title: "start"), end = Series(marker: run, at: -1, title: "end")
        #expect(start.style == .points && start.x == [-5] && start.y == [-2])
        #expect(end.x == [run.points.last!.point[0]] && end.y == [run.points.last!.point[1]])
        #expect(end.x != start.x)
    }

    @Test("the page header gives both regenerate commands, with the run's seed and --quick when not the defaults")
    func regenerateCommand() throws {
        let plain = Notebook.regenerate("ch03-adagrad", try ChapterOptions.parse([]))
        #expect(plain == "`Scripts/book --only ch03-adagrad` or `swift run -c release ch03-adagrad`")
        let seeded = Notebook.regenerate("ch03-adagrad", try ChapterOptions.parse(["--seed", "3", "--quick"]))
        #expect(seeded == "`Scripts/book --only ch03-adagrad --seed 3 --quick` or "
                + "`swift run -c release ch03-adagrad --seed 3 --quick`")
    }
}
