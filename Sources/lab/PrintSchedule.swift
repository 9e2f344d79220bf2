import ArgumentParser
import Descent
import Figures
import LabKit

struct PrintSchedule: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Print the learning rate a schedule gives at steps 0…N−1.",
        discussion: """
            CSV columns: step,lr. Loss-driven schedules (plateau, restart) need a run: use \
            'lab optimize --schedule …'. Rows are written as they are computed (constant memory up \
            to --steps 10⁸). A schedule whose rate would overflow to ±inf or NaN within the steps \
            (e.g. exponential:gamma=1e308) is refused before anything is printed.
            """
    )

    @Option(parsing: .unconditional, help: help(ScheduleSettings.option("lr")))
    var lr: Double

    @Option(parsing: .unconditional, help: help(ScheduleSettings.option("steps")))
    var steps: Int

    @Option(help: help(ScheduleSettings.option("schedule")), transform: parseSchedule)
    var schedule: Schedule

    @Option(help: "Output format: csv, table or plot.")
    var format: Format = .csv

    /// The command as LabKit's value.
    var settings: ScheduleSettings { ScheduleSettings(lr: lr, steps: steps, schedule: schedule) }

    func validate() throws { try checked { () throws(OptionError) in try settings.validate(limit: format.rowLimit) } }

    func run() async throws {
        let settings = settings
        var printer = RowPrinter(header: ScheduleSettings.columns, format: format, largestInteger: steps - 1)
        try printer.start()
        for t in 0..<steps { try printer.row(settings.row(t)) }
        try await printer.finish { columns in
            Figure(name: "schedule", title: "\(schedule), base lr \(lr)", xLabel: "step", yLabel: "learning rate",
                   series: [Series(title: "lr", style: .steps, x: columns[0], y: columns[1])])
        }
    }
}
