import Foundation
import Testing
@testable import Descent

/// Descent against trajectories and schedules computed by PyTorch (Tests/Golden/make_golden.py;
/// the version is in Tests/Golden/VERSIONS.txt).
@Suite("PyTorch golden values")
struct GoldenTests {
    @Test("every optimizer option reproduces torch.optim at 1e-12", arguments: goldenCases("optimize"))
    func trajectory(_ c: GoldenCase) throws {
        let golden = try readCSV(c.csv)
        #expect(golden.header == ["step", "lr", "loss", "x", "y"])
        let start = c.value("--start")!.split(separator: ",").map { Double($0)! }
        let schedule = try c.value("--schedule").map { try Schedule(parsing: $0) } ?? .constant
        let run = optimize(TestFunctions.named(c.value("--function")!)!, from: start,
                           steps: Int(c.value("--steps")!)!, optimizer: optimizer(for: c), schedule: schedule)
        #expect(run.divergence == nil)
        try #require(run.points.count == golden.rows.count)
        var worst = 0.0
        for (p, g) in zip(run.points, golden.rows) {
            #expect(Double(p.step) == g[0])
            let mine = [p.learningRate, p.loss, p.point[0], p.point[1]]
            for (a, b) in zip(mine, g.dropFirst()) {
                #expect(close(a, b, rel: 1e-12), "\(c.name) step \(p.step): \(a) vs torch \(b)")
                if a != b { worst = max(worst, abs(a - b) / max(abs(a), abs(b))) }
            }
        }
    }

    @Test("every schedule form reproduces torch.optim.lr_scheduler at 1e-12", arguments: goldenCases("schedule"))
    func schedule(_ c: GoldenCase) throws {
        let golden = try readCSV(c.csv)
        let s = try Schedule(parsing: c.value("--schedule")!)
        let base = c.double("--lr")!
        #expect(golden.rows.count == Int(c.value("--steps")!)!)
        for row in golden.rows {
            let mine = s.rate(at: Int(row[0]), base: base)
            // PyTorch's schedulers update the rate recursively, so near a zero rate they carry
            // rounding of order ε·α: compare relatively, with an absolute floor of 1e-15·α.
            #expect(close(mine, row[1], rel: 1e-12, abs: 1e-15 * base), "\(c.name) t=\(Int(row[0])): \(mine) vs torch \(row[1])")
        }
    }
}
