import Foundation
import TestSupport
import Testing

/// The CSV rows of a find-lr run as (step, lr, loss, smoothed).
private func curve(_ run: LabRun) -> [(step: Int, lr: Double, loss: Double, smoothed: Double)] {
    run.lines.dropFirst().map { line in
        let f = line.split(separator: ",").map(String.init)
        return (Int(f[0])!, Double(f[1])!, Double(f[2])!, Double(f[3])!)
    }
}

/// The last CSV row of `lab train` as its fields.
private func lastRow(_ run: LabRun) -> [String] {
    run.lines.last!.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
}

private let quadratic = ["find-lr", "--function", "quadratic", "--start", "-5,-2", "--optimizer", "sgd"]

@Suite("lab find-lr: train's model flags, --mode, --sweep, --diverge-factor, --smoothing, --suggest lists")
struct FindLearningRateSurfaceTests {
    static let model = ["--data", "digits", "--layers", "16,16", "--batch-size", "64", "--seed", "3", "--batch-norm",
                        "--residual", "--activation", "relu", "--init", "he-normal"]

    @Test("with --init-params, --batch-norm and --residual a verified trial is exactly 'lab train' with the same flags")
    func trialIsTrainWithModelFlags() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("find-lr-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let params = dir.appendingPathComponent("start.json").path
        // Starting weights with batch-norm running averages that are not PyTorch's 0 and 1.
        let save = try lab(["train"] + Self.model + ["--optimizer", "sgd", "--lr", "0.05", "--steps", "7", "--save-params", params])
        #expect(save.status == 0, "\(save.stderr)")
        let flags = Self.model + ["--init-params", params, "--optimizer", "adam"]
        let run = try lab(["find-lr"] + flags + ["--train-steps", "16", "--suggest", "verified", "--steps", "40"])
        #expect(run.status == 0, "\(run.stderr)")
        let tried = FindLearningRateDataTests.trials(run.stderr)
        #expect(tried.count >= 3, "\(run.stderr)")
        for t in tried.suffix(2) + tried.prefix(1) {
            let train = try lab(["train"] + flags + ["--lr", t.rate, "--steps", t.steps, "--eval-every", t.steps])
            #expect(train.status == 0, "\(train.stderr)")
            let last = lastRow(train)
            #expect(last[0] == t.steps && last[3] == t.loss, "lab train --lr \(t.rate): \(last) vs trial loss \(t.loss)")
        }
    }

    @Test("--mode validation: the loss after the first update is 'lab train --steps 1''s val_loss (batch norm: running averages)",
          arguments: [[], ["--batch-norm"]])
    func validationMode(_ extra: [String]) throws {
        let flags = ["--data", "digits", "--layers", "16", "--batch-size", "64", "--seed", "5", "--optimizer", "sgd",
                     "--momentum", "0.9"] + extra
        let sweep = ["--min-lr", "0.01", "--max-lr", "1", "--steps", "12", "--suggest", "valley"]
        let run = try lab(["find-lr"] + flags + sweep + ["--mode", "validation"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = curve(run)
        let train = try lab(["train"] + flags + ["--lr", "0.01", "--steps", "1", "--eval-every", "1"])
        #expect(train.status == 0, "\(train.stderr)")
        #expect("\(rows[0].loss)" == lastRow(train)[3], "sweep \(rows[0].loss) vs train val_loss \(lastRow(train))")
        // Train mode records the next mini-batch's loss, a different number; the rates are the same.
        let plain = try lab(["find-lr"] + flags + sweep)
        #expect(plain.status == 0)
        #expect(curve(plain)[0].loss != rows[0].loss)
        #expect(curve(plain).map(\.lr) == rows.map(\.lr))
    }

    @Test("--sweep linear: rate i is min + (max − min)·i/(N − 1); the default stays exponential")
    func linearSweep() throws {
        let run = try lab(quadratic + ["--sweep", "linear", "--min-lr", "0.01", "--max-lr", "0.25", "--steps", "25"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = curve(run)
        #expect(rows.count == 25)
        for r in rows {
            let expected = 0.01 + (0.25 - 0.01) * (Double(r.step) / 24)
            #expect(abs(r.lr - expected) <= 1e-15 * expected, "step \(r.step): \(r.lr) vs \(expected)")
        }
        let exponential = curve(try lab(quadratic + ["--min-lr", "0.01", "--max-lr", "0.25", "--steps", "25"]))
        for r in exponential {
            let expected = 0.01 * pow(25.0, Double(r.step) / 24)
            #expect(abs(r.lr - expected) <= 1e-14 * expected, "step \(r.step): \(r.lr) vs \(expected)")
        }
    }

    @Test("--diverge-factor F: the sweep ends at the first i > 0 with sᵢ > F·min(s₀…sᵢ)", arguments: [1.2, 4, 50])
    func divergeFactor(_ factor: Double) throws {
        let run = try lab(quadratic + ["--min-lr", "1e-3", "--max-lr", "10", "--steps", "200", "--smoothing", "0.5",
                                       "--diverge-factor", "\(factor)"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = curve(run)
        // Where an independent reading of the recorded curve says the sweep must stop.
        var best = Double.infinity, stop: Int?
        for (i, r) in rows.enumerated() {
            best = min(best, r.smoothed)
            if i > 0 && r.smoothed > factor * best { stop = i; break }
        }
        #expect(stop == rows.count - 1, "F = \(factor): rows \(rows.count), first exceedance at \(String(describing: stop))")
    }

    @Test("--diverge-factor changes where the sweep stops")
    func divergeFactorMatters() throws {
        let counts = try [1.2, 50].map { f in
            curve(try lab(quadratic + ["--min-lr", "1e-3", "--max-lr", "10", "--steps", "200", "--smoothing", "0.5",
                                       "--diverge-factor", "\(f)"])).count
        }
        #expect(counts[0] < counts[1], "\(counts)")
    }

    @Test("--smoothing β: the smoothed column is the bias-corrected EMA of the loss column", arguments: [0.0, 0.5, 0.9])
    func smoothing(_ beta: Double) throws {
        let run = try lab(quadratic + ["--min-lr", "1e-3", "--max-lr", "1", "--steps", "60", "--smoothing", "\(beta)"])
        #expect(run.status == 0, "\(run.stderr)")
        var a = 0.0
        for (i, r) in curve(run).enumerated() {
            a = beta * a + (1 - beta) * r.loss
            let s = a / (1 - pow(beta, Double(i + 1)))
            #expect(abs(s - r.smoothed) <= 1e-12 * abs(s), "β = \(beta), step \(i): \(r.smoothed) vs hand-computed \(s)")
        }
    }

    @Test("--suggest takes a comma list: each asked rule once, in print order; all still works")
    func suggestList() throws {
        func rules(_ run: LabRun) -> [String] {
            run.stderr.split(separator: "\n").filter { $0.hasPrefix("suggested lr (") }
                .map { String($0.dropFirst("suggested lr (".count).prefix { $0 != ")" }) }
        }
        let data = ["find-lr", "--data", "moons", "--layers", "8", "--optimizer", "adam", "--train-steps", "8", "--steps", "40"]
        let listed = try lab(data + ["--suggest", "verified,valley"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(rules(listed) == ["valley", "verified"])
        let function = try lab(quadratic + ["--suggest", "slide,steep,steep"])
        #expect(function.status == 0, "\(function.stderr)")
        #expect(rules(function) == ["steep", "slide"])
        let all = try lab(data + ["--suggest", "all"])
        #expect(rules(all) == ["valley", "steep", "minimum", "slide", "verified"])
    }

    @Test("bad values are refused with an error naming the flag, nothing on stdout", arguments: [
        (quadratic + ["--diverge-factor", "1"], "--diverge-factor"),
        (quadratic + ["--diverge-factor", "nan"], "--diverge-factor"),
        (quadratic + ["--diverge-factor", "inf"], "--diverge-factor"),
        (quadratic + ["--smoothing", "1"], "--smoothing"),
        (quadratic + ["--smoothing", "-0.1"], "--smoothing"),
        (quadratic + ["--smoothing", "nan"], "--smoothing"),
        (quadratic + ["--sweep", "cubic"], "--sweep"),
        (quadratic + ["--mode", "test"], "--mode"),
        (quadratic + ["--mode", "validation"], "--mode validation needs --data"),
        (quadratic + ["--batch-norm"], "--batch-norm belongs to --data"),
        (quadratic + ["--init-params", "x.json"], "--init-params belongs to --data"),
        (quadratic + ["--suggest", "valley,bogus"], "--suggest"),
        (quadratic + ["--suggest", ""], "--suggest"),
        (quadratic + ["--plot", "curve.pdf"], "--plot 'curve.pdf': give a file ending in .svg or .png"),
        (quadratic + ["--plot", "curve"], "--plot"),
        (quadratic + ["--sweep", "linear", "--min-lr", "1e-320", "--max-lr", "1"], "not a finite positive rate"),
        (["find-lr", "--data", "moons", "--optimizer", "sgd", "--mode", "validation", "--validation", "0"], "--validation must be > 0"),
        (["find-lr", "--data", "moons", "--optimizer", "sgd", "--residual", "--layers", "8,4"], "--residual needs"),
        (["find-lr", "--data", "moons", "--optimizer", "sgd", "--batch-norm", "--layers", "none"], "--batch-norm normalises"),
        (["find-lr", "--data", "moons", "--optimizer", "sgd", "--batch-norm", "--batch-size", "1"], "--batch-norm needs batches"),
        (["find-lr", "--data", "moons", "--optimizer", "sgd", "--init-params", "/nonexistent/p.json"], "--init-params"),
    ])
    func refused(_ c: (arguments: [String], message: String)) throws {
        let run = try lab(c.arguments)
        #expect(run.status != 0 && !run.crashed)
        #expect(run.stderr.split(separator: "\n").first?.contains(c.message) == true, "\(c.arguments): \(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test("--help documents the new flags")
    func help() throws {
        let run = try lab(["find-lr", "--help"])
        #expect(run.status == 0)
        for flag in ["--init-params", "--batch-norm", "--residual", "--mode", "--sweep", "--diverge-factor", "--smoothing",
                     "--plot", "--target", "--task", "--validation", "--batch-size", "--seed", "--layers", "--activation", "--init"] {
            #expect(run.stdout.contains(flag), "\(flag) missing from find-lr --help")
        }
        // The formulas (the discussion wraps at the terminal's width, so only unbroken pieces).
        for formula in ["min + (max−min)·i/(N−1)", "F·min(s₀…sᵢ)", "aᵢ = β·aᵢ₋₁ + (1−β)·Lᵢ"] {
            #expect(run.stdout.contains(formula), "\(formula) missing from find-lr --help")
        }
    }
}

@Suite("lab find-lr --plot FILE.svg|.png")
struct FindLearningRatePlotTests {
    static let data = ["find-lr", "--data", "moons", "--layers", "8", "--optimizer", "adam", "--train-steps", "8", "--steps", "60"]

    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("find-lr-plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("an SVG and a PNG: complete files, every rule and the verified trials in the legend; stdout unchanged",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/gnuplot"), "gnuplot is not installed"))
    func drawn() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = try lab(Self.data + ["--suggest", "all"])
        let svg = dir.appendingPathComponent("curve.svg"), png = dir.appendingPathComponent("curve.png")
        let runSVG = try lab(Self.data + ["--suggest", "all", "--plot", svg.path])
        #expect(runSVG.status == 0, "\(runSVG.stderr)")
        #expect(runSVG.stdout == plain.stdout && runSVG.stderr == plain.stderr)
        let text = try String(contentsOf: svg, encoding: .utf8)
        #expect(text.contains("<svg") && text.contains("</svg>"))
        for title in ["training batch loss", "smoothed", "valley: ", "steep: ", "minimum picks ", "minimum suggests ",
                      "slide: ", "verified trials' final loss", "verified: ", "learning rate", "Range test: adam"] {
            #expect(text.contains(title), "'\(title)' missing from the SVG")
        }
        let runPNG = try lab(Self.data + ["--suggest", "valley", "--plot", png.path])
        #expect(runPNG.status == 0, "\(runPNG.stderr)")
        let bytes = [UInt8](try Data(contentsOf: png))
        #expect(bytes.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["curve.png", "curve.svg"])
    }

    @Test("--function without --suggest: the two classic lines' rates are marked (min/10 as its pick and a vertical line)",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/gnuplot"), "gnuplot is not installed"))
    func classicMarks() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg = dir.appendingPathComponent("f.svg")
        let run = try lab(quadratic + ["--plot", svg.path])
        #expect(run.status == 0, "\(run.stderr)")
        let text = try String(contentsOf: svg, encoding: .utf8)
        let steepest = run.stderr.split(separator: "\n").first { $0.hasPrefix("suggested lr (steepest)") }
        #expect(steepest != nil && text.contains("steepest: "), "\(run.stderr)")
        #expect(text.contains("min/10 picks ") && text.contains("min/10 suggests "))
    }

    @Test("gnuplot failing, writing nothing, or hanging: one error line naming --plot, the old file untouched, no stray file",
          arguments: ["exit 1", "exit 0", "sleep 900.\(UInt32.random(in: 100_000...999_999))"])
    func failures(_ body: String) throws {
        let fake = try fakeGnuplot(body)
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: fake); try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("curve.png")
        try "old".write(to: target, atomically: true, encoding: .utf8)
        let run = try lab(Self.data + ["--plot", target.path],
                          environment: ["PATH": "\(fake.path):/usr/bin:/bin", "DESCENT_GNUPLOT_TIMEOUT": "1"])
        #expect(!run.timedOut && !run.crashed)
        #expect(run.status == 1, "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("--plot '\(target.path)'"), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(try String(contentsOf: target, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["curve.png"])
    }

    @Test("SIGTERM while gnuplot draws: lab dies of the signal, its drawing folder in TMPDIR is gone, the old file untouched",
          arguments: [SIGTERM, SIGINT])
    func killedWhileDrawing(_ signal: Int32) throws {
        let marker = "900.\(UInt32.random(in: 100_000...999_999))"
        let fake = try fakeGnuplot("sleep \(marker)")
        let dir = try Self.folder(), tmp = try Self.folder()
        defer {
            _ = try? runProcess(URL(fileURLWithPath: "/usr/bin/pkill"), ["-f", "sleep \(marker)"])
            for url in [fake, dir, tmp] { try? FileManager.default.removeItem(at: url) }
        }
        let target = dir.appendingPathComponent("curve.svg")
        try "old".write(to: target, atomically: true, encoding: .utf8)
        let child = try RunningProcess(labURL, Self.data + ["--plot", target.path], environment: environment(with: [
            "PATH": "\(fake.path):/usr/bin:/bin", "TMPDIR": tmp.path, "DESCENT_GNUPLOT_TIMEOUT": "300"]))
        let process = child.process
        // Wait (up to 120 s, by polling, not by timing anything) until the drawing folder exists.
        var drawing: [String] = []
        for _ in 0..<1200 where drawing.isEmpty {
            drawing = (try? FileManager.default.contentsOfDirectory(atPath: tmp.path))?.filter { $0.hasPrefix("lab-find-lr-plot-") } ?? []
            if drawing.isEmpty { usleep(100_000) }
        }
        try #require(!drawing.isEmpty, "lab never created its drawing folder in TMPDIR")
        usleep(300_000)  // let gnuplot start inside it
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signal)
        let left = try FileManager.default.contentsOfDirectory(atPath: tmp.path).filter { $0.hasPrefix("lab-find-lr-plot-") }
        #expect(left.isEmpty, "left behind in TMPDIR: \(left)")
        #expect(try String(contentsOf: target, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["curve.svg"])
    }

    @Test("no gnuplot, or a folder that does not exist: refused before any work, nothing written", arguments: [
        (["PATH": "/nonexistent"], "curve.svg", "--plot needs gnuplot"),
        (nil, "missing/curve.svg", "--plot"),
    ] as [([String: String]?, String, String)])
    func refusedFirst(_ c: (environment: [String: String]?, name: String, message: String)) throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try lab(Self.data + ["--plot", dir.appendingPathComponent(c.name).path], environment: c.environment)
        #expect(run.status == 1)
        #expect(run.stderr.split(separator: "\n").count == 1 && run.stderr.contains(c.message), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
