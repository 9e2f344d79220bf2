import ArgumentParser
import Descent
import Figures

struct Optimize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one optimizer on a 2-D test function and print its trajectory.",
        discussion: """
            CSV columns: step,lr,loss,x,y with rows for steps 0…N. Row k holds the point before \
            update k→k+1 and its loss; lr is the rate used for that update (row N: the rate the \
            schedule would give next). Functions: quadratic 0.1x²+2y², rosenbrock \
            (1−x)²+100(y−x²)², saddle x²−y². When the loss becomes non-finite the run stops at \
            that row and stderr says 'diverged at step k' (the exit status stays 0: the CSV is complete). \
            Rows are written as they are computed, so memory stays constant up to --steps 10⁸; a \
            write that fails (full disk, closed pipe) stops lab with exit status 1 and one line \
            saying the output is incomplete.
            """
    )

    @Option(help: "Test function (formulas above).")
    var function: FunctionName

    @Option(parsing: .unconditional, help: "Starting point X,Y, e.g. --start -5,-2.", transform: Point.parse)
    var start: Point

    @Option(parsing: .unconditional, help: "Number of updates N, 1 ≤ N ≤ 10⁸ (the output has N+1 rows; --format plot: N < 10⁶).")
    var steps: Int

    @OptionGroup var conditionOption: ConditionOption

    @OptionGroup var optimizerOptions: OptimizerOptions

    @Option(parsing: .unconditional, help: "Base learning rate α > 0.")
    var lr: Double

    @Option(help: "Learning-rate schedule, e.g. cosine:T=100 (default constant). Forms: constant, polynomial:T=…[,power=…], exponential:gamma=…, step:size=…[,gamma=…], cosine:T=…[,min=…], one-cycle:T=…[,pct=…][,div=…][,final=…], warm-restarts:T0=…[,mult=…][,min=…], warmup:steps=W+SPEC, plateau[:factor=…][,patience=…], restart:threshold=…[,factor=…][,gamma=…].", transform: parseSchedule)
    var schedule: Schedule = .constant

    @Option(parsing: .unconditional, help: "Gradient noise σ ≥ 0: every update sees ∇f + σ·N(0, I) (a mini-batch's noise on the exact function); rows keep the exact loss. Default 0.")
    var noise: Double = 0

    @Option(parsing: .unconditional, help: "Seed of the noise (needs --noise > 0). Default 0.")
    var seed: UInt64?

    @Option(help: "Output format: csv, table or plot.")
    var format: Format = .csv

    func validate() throws {
        try conditionOption.validate(for: function)
        try validateSteps(steps, format: format)
        try validateRate("--lr", lr)
        try validateFinite(schedule, base: lr, steps: steps + 1)
        guard noise.isFinite && noise >= 0 else {
            throw ValidationError("--noise must be a finite number ≥ 0 (e.g. --noise 0.5), got \(noise)")
        }
        if seed != nil && noise == 0 {
            throw ValidationError("--seed sets the noise's stream: give --noise σ > 0 with it")
        }
    }

    /// The noise of `--noise` and `--seed`, or nil for exact gradients.
    var gradientNoise: GradientNoise? { noise > 0 ? GradientNoise(sigma: noise, seed: seed ?? 0) : nil }

    func run() async throws {
        let f = conditionOption.function(function)
        var printer = RowPrinter(header: ["step", "lr", "loss", "x", "y"], format: format, largestInteger: steps)
        try printer.start()
        let divergence = try optimize(f, from: start.values, steps: steps,
                                      optimizer: optimizerOptions.make(lr: lr), schedule: schedule,
                                      noise: gradientNoise) { p in
            try printer.row([Double(p.step), p.learningRate, p.loss, p.point[0], p.point[1]])
        }
        try await printer.finish { columns in
            let positive = columns[2].allSatisfy { $0 > 0 && $0.isFinite }
            return Figure(
                name: "optimize", title: "\(optimizerOptions.optimizer.rawValue) on \(f.name), lr \(lr)",
                xLabel: "step", yLabel: "loss", yScale: positive ? .log : .linear,
                series: [Series(title: "loss", x: columns[0], y: columns[2])])
        }
        if let d = divergence {
            printError("diverged at step \(d.step)")
        }
    }
}
