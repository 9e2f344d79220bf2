import Descent
import Figures
import Notebook
import Testing

@Suite("Series from chosen rows of a run")
struct PlottingRowsTests {
    @Test("strideRows: every k-th row, the last row once, limit to 2 · limit + 1 rows")
    func rows() {
        #expect(strideRows(10, keeping: 5) == [0, 2, 4, 6, 8, 9])
        #expect(strideRows(9, keeping: 4) == [0, 2, 4, 6, 8])   // the last row is a stride row: not twice
        #expect(strideRows(3, keeping: 1500) == [0, 1, 2])
        #expect(strideRows(0, keeping: 5).isEmpty)
        let long = strideRows(20_001, keeping: 1500)
        #expect(long.first == 0 && long.last == 20_000 && Set(long).count == long.count)
        #expect(long.count >= 1500 && long.count <= 3001, "\(long.count) rows")
    }

    @Test("path, loss and point series read the rows they are given")
    func series() {
        let run = optimize(Rosenbrock(), from: [-1.5, 2], steps: 20, optimizer: SGD(learningRate: 1e-4))
        let path = Series(path: run, rows: [0, 5, 20], title: "p")
        #expect(path.x == [run.points[0].point[0], run.points[5].point[0], run.points[20].point[0]])
        #expect(path.y == [run.points[0].point[1], run.points[5].point[1], run.points[20].point[1]])
        let loss = Series(loss: run, rows: [1, 10], title: "l")
        #expect(loss.x == [1, 10] && loss.y == [run.points[1].loss, run.points[10].loss])
        let end = Series(point: run.points[20].point, title: "end")
        #expect(end.style == .points && end.x == [run.points[20].point[0]] && end.y == [run.points[20].point[1]])
    }
}
