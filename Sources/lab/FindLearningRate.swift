import ArgumentParser
import Descent
import Figures

struct FindLearningRate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find-lr",
        abstract: "Run a learning-rate range test (Smith 2017; fastai lr_find) on a 2-D test function.",
        discussion: """
            The rate grows exponentially from --min-lr to --max-lr over --steps updates; after each \
            update the loss is recorded and smoothed (β = 0.98, bias-corrected); the sweep stops \
            when the smoothed loss exceeds 4× its best. CSV columns: step,lr,loss,smoothed. The two \
            suggestions go to stderr: 'suggested lr (steepest): X' (steepest descent of the smoothed \
            loss against log lr) and 'suggested lr (min/10): Y'. The suggestions need the whole \
            curve, so a sweep holds it in memory: --steps is at most 10⁶.
            """
    )

    @Option(help: "Test function (formulas in 'lab optimize --help').")
    var function: FunctionName

    @Option(parsing: .unconditional, help: "Starting point X,Y, e.g. --start -5,-2.", transform: Point.parse)
    var start: Point

    @OptionGroup var conditionOption: ConditionOption

    @OptionGroup var optimizerOptions: OptimizerOptions

    @Option(parsing: .unconditional, help: "Smallest rate of the sweep (> 0).")
    var minLr: Double = 1e-7

    @Option(parsing: .unconditional, help: "Largest rate of the sweep (> --min-lr).")
    var maxLr: Double = 10

    @Option(parsing: .unconditional, help: "Number of sweep steps N, 2 ≤ N ≤ 10⁶.")
    var steps: Int = 100

    @Option(help: "Output format: csv, table or plot.")
    var format: Format = .csv

    func validate() throws {
        try conditionOption.validate(for: function)
        try validateRate("--min-lr", minLr)
        try validateRate("--max-lr", maxLr)
        guard maxLr > minLr else { throw ValidationError("--max-lr (\(maxLr)) must be larger than --min-lr (\(minLr))") }
        guard steps >= 2 else { throw ValidationError("--steps must be ≥ 2 for a sweep (e.g. --steps 100), got \(steps)") }
        guard steps <= Limits.sweepSteps else {
            throw ValidationError("--steps must be at most \(Limits.sweepSteps) (10⁶) for a sweep, which keeps its curve in memory; got \(steps)")
        }
    }

    func run() async throws {
        let f = conditionOption.function(function)
        let test = RangeTest(minimumRate: minLr, maximumRate: maxLr, steps: steps)
        var parameters = start.values
        var optimizer = optimizerOptions.make(lr: minLr)
        let result = test.run(parameters: &parameters, optimizer: &optimizer) { theta, _, gradient in
            f.gradient(theta, into: &gradient)
            return f.value(theta)
        }
        var printer = RowPrinter(header: ["step", "lr", "loss", "smoothed"], format: format, largestInteger: steps)
        try printer.start()
        for i in result.rates.indices { try printer.row([Double(i), result.rates[i], result.losses[i], result.smoothed[i]]) }
        try await printer.finish { _ in Figure(
            name: "find-lr", title: "Range test: \(optimizerOptions.optimizer.rawValue) on \(f.name)",
            xLabel: "learning rate", yLabel: "loss", xScale: .log,
            series: [Series(title: "loss", style: .points, x: result.rates, y: result.losses),
                     Series(title: "smoothed", x: result.rates, y: result.smoothed)]) }
        printError("suggested lr (steepest): \(result.steepest.map { "\($0)" } ?? "none (fewer than 3 points)")")
        printError("suggested lr (min/10): \(result.minimumOverTen.map { "\($0)" } ?? "none")")
    }
}
