import Foundation
import Testing

// `lab --format plot` with failing and hanging gnuplots. Only the plot path.

/// A folder holding an executable `gnuplot` shell script (used by every lab test that fakes gnuplot).
func fakeGnuplot(_ body: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lab-fake-gnuplot-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let file = dir.appendingPathComponent("gnuplot")
    try ("#!/bin/sh\n" + body + "\n").write(to: file, atomically: true, encoding: .utf8)
    chmod(file.path, 0o755)
    return dir
}

private let plotArguments = ["schedule", "--lr", "0.1", "--steps", "100", "--schedule", "cosine:T=100", "--format", "plot"]

@Suite("lab --format plot with a failing or hanging gnuplot")
struct LabPlotFaultTests {
    /// Before the fix about one run in ten trapped inside swift-subprocess ("FileDescriptor …
    /// was not closed"): the script was written to gnuplot's stdin pipe, the child died first,
    /// and the library abandoned the pipe's descriptor when the write failed.
    @Test("200 runs with a gnuplot that exits 1 or dies of SIGSEGV: every run exits 1 with a sentence, none crashes")
    func failingGnuplot200() throws {
        let exit1 = try fakeGnuplot("exit 1"), segv = try fakeGnuplot("kill -SEGV $$")
        defer { try? FileManager.default.removeItem(at: exit1); try? FileManager.default.removeItem(at: segv) }
        let runs = 200
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var items = [(Int32, Bool, String)](repeating: (0, false, ""), count: 200)
            func set(_ i: Int, _ value: (Int32, Bool, String)) { lock.lock(); items[i] = value; lock.unlock() }
        }
        let box = Results()
        // Four at a time: the whole loop takes a few seconds.
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for i in stride(from: worker, to: runs, by: 4) {
                let fake = i % 2 == 0 ? exit1 : segv
                let run = try? lab(plotArguments, environment: ["PATH": "\(fake.path):/usr/bin:/bin", "COLUMNS": "100"])
                box.set(i, (run?.status ?? -1, run?.crashed ?? true, run?.stderr ?? ""))
            }
        }
        var crashes = 0
        for (i, (status, crashed, stderr)) in box.items.enumerated() {
            if crashed || status != 1 { crashes += 1 }
            let expected = i % 2 == 0 ? "exit status 1" : "killed by signal 11"
            #expect(stderr.contains("--format plot: gnuplot failed (\(expected)") && stderr.contains("--format table"),
                    "run \(i): \(stderr.prefix(300))")
        }
        #expect(crashes == 0, "\(crashes) of \(runs) runs crashed or exited with another status")
    }

    @Test("a hanging gnuplot is stopped after DESCENT_GNUPLOT_TIMEOUT seconds, naming the terminal plot")
    func hangingGnuplot() throws {
        // A shell waiting on a child with a command line of its own: only killing gnuplot's
        // process group stops the child too.
        // It sleeps longer than the watchdog: a lab that waited for it is caught as `timedOut`, and
        // one that stopped it only on its own exit leaves the child running.
        let sleep = "sleep 900.\(UInt32.random(in: 100_000...999_999))"
        let hang = try fakeGnuplot("\(sleep)\nexit 0")
        defer { try? FileManager.default.removeItem(at: hang) }
        let run = try lab(plotArguments, environment: ["PATH": "\(hang.path):/usr/bin:/bin", "DESCENT_GNUPLOT_TIMEOUT": "1"])
        #expect(!run.timedOut, "lab waited for the hanging gnuplot")
        #expect(run.status == 1 && !run.crashed)
        #expect(run.stderr.contains("terminal plot") && run.stderr.contains("within 1 s"), "\(run.stderr)")
        usleep(100_000)
        let stillRunning = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).contains { pid in
            guard Int(pid) != nil, let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: raw.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(sleep)
        }
        #expect(!stillRunning, "the hanging gnuplot's child still runs")
    }
}
