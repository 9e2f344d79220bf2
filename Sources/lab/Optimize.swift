import ArgumentParser
import Descent
import Figures
import LabKit

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

    @Option(help: help(OptimizeSettings.option("function")))
    var function: FunctionName

    @Option(parsing: .unconditional, help: help(OptimizeSettings.option("start")), transform: parsePoint)
    var start: Point

    @Option(parsing: .unconditional, help: help(OptimizeSettings.option("steps")))
    var steps: Int

    @OptionGroup var conditionOption: ConditionOption

    @OptionGroup var optimizerOptions: OptimizerOptions

    @Option(parsing: .unconditional, help: help(OptimizeSettings.option("lr")))
    var lr: Double

    @Option(help: help(OptimizeSettings.option("schedule")), transform: parseSchedule)
    var schedule: Schedule = .constant

    @Option(parsing: .unconditional, help: help(OptimizeSettings.option("noise")))
    var noise: Double = 0

    @Option(parsing: .unconditional, help: help(OptimizeSettings.option("seed")))
    var seed: UInt64?

    @Option(help: "Output format: csv, table or plot.")
    var format: Format = .csv

    /// The command as LabKit's value.
    var settings: OptimizeSettings {
        OptimizeSettings(function: function, start: start, steps: steps, condition: conditionOption.condition,
                         optimizer: optimizerOptions.settings, lr: lr, schedule: schedule, noise: noise, seed: seed)
    }

    func validate() throws { try checked { () throws(OptionError) in try settings.validate(limit: format.rowLimit) } }

    func run() async throws {
        let settings = settings
        var printer = RowPrinter(header: OptimizeSettings.columns, format: format, largestInteger: steps)
        try printer.start()
        let divergence = try settings.run { try printer.row($0) }
        try await printer.finish { columns in
            let positive = columns[2].allSatisfy { $0 > 0 && $0.isFinite }
            return Figure(
                name: "optimize", title: "\(optimizerOptions.optimizer.rawValue) on \(settings.testFunction.name), lr \(lr)",
                xLabel: "step", yLabel: "loss", yScale: positive ? .log : .linear,
                series: [Series(title: "loss", x: columns[0], y: columns[2])])
        }
        if let d = divergence {
            printError("diverged at step \(d.step)")
        }
    }
}
