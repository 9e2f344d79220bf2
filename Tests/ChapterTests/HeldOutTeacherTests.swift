import Descent
import Testing
@testable import ch02_fixed_vs_decayed_rates

@Suite("Chapter 2: held-out points come from the training set's teacher")
struct HeldOutTeacherTests {
    @Test("the rebuilt teacher explains the 512 training labels up to their N(0, 0.1²) noise", arguments: [UInt64(42), 1, 5])
    func sameTeacher(seed: UInt64) {
        let task = SupervisedTask.teacherStudent(seed: seed)
        let teacher = HeldOutTeacher(taskSeed: seed, count: 16, seed: 7)
        let clean = teacher.teach(task.data.inputs)
        let residuals = (0..<task.data.count).map { task.data.targets[$0, 0] - clean[$0, 0] }
        let mean = residuals.reduce(0, +) / Double(residuals.count)
        let sd = (residuals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(residuals.count - 1)).squareRoot()
        // 512 draws of N(0, 0.1²): the sample SD is within ±10 % of 0.1 and the mean within ±0.015 of 0.
        #expect(abs(sd - SupervisedTask.teacherNoise) < 0.01 && abs(mean) < 0.015, "sd \(sd), mean \(mean)")
    }

    @Test("the excess error of the teacher itself is 0, and of a zero student is the teacher's mean square")
    func excess() {
        let task = SupervisedTask.teacherStudent(seed: 42)
        let heldOut = HeldOutTeacher(taskSeed: 42, count: 256, seed: 3)
        let zero = [Double](repeating: 0, count: task.network.parameterCount)
        let meanSquare = (0..<256).map { heldOut.clean[$0, 0] * heldOut.clean[$0, 0] }.reduce(0, +) / 256
        let ws = MLP.Workspace(network: task.network, batchSize: 1)
        #expect(abs(heldOut.excess(task, zero, workspace: ws) - meanSquare) < 1e-12)
    }

    @Test("one workspace reused across evaluations gives what a fresh prediction gives")
    func reusedWorkspace() {
        let task = SupervisedTask.teacherStudent(seed: 42)
        let heldOut = HeldOutTeacher(taskSeed: 42, count: 300, seed: 3)
        var rng = SeededGenerator(seed: 9)
        let ws = MLP.Workspace(network: task.network, batchSize: 7)
        for _ in 0..<3 {
            let θ = task.network.initialParameters(.xavierNormal, using: &rng)
            let out = task.network.predict(θ, heldOut.inputs)
            let fresh = (0..<300).map { (out[$0, 0] - heldOut.clean[$0, 0]) * (out[$0, 0] - heldOut.clean[$0, 0]) }
                .reduce(0, +) / 300
            #expect(heldOut.excess(task, θ, workspace: ws) == fresh)
        }
    }
}
