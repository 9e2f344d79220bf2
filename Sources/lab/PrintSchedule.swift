import ArgumentParser
import Descent
import Figures

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

    @Option(parsing: .unconditional, help: "Base learning rate α > 0.")
    var lr: Double

    @Option(parsing: .unconditional, help: "Number of steps N, 1 ≤ N ≤ 10⁸ (--format plot: N ≤ 10⁶).")
    var steps: Int

    @Option(help: "Schedule spec, e.g. step:size=100,gamma=0.5 or warmup:steps=10+cosine:T=290.", transform: parseSchedule)
    var schedule: Schedule

    @Option(help: "Output format: csv, table or plot.")
    var format: Format = .csv

    func validate() throws {
        try validateRate("--lr", lr)
        try validateSteps(steps, format: format, rows: steps)
        if schedule.isLossDriven {
            throw ValidationError("'\(schedule)' is loss-driven: it needs a training run, so use 'lab optimize --schedule \(schedule) …' instead")
        }
        try validateFinite(schedule, base: lr, steps: steps)
    }

    func run() async throws {
        var printer = RowPrinter(header: ["step", "lr"], format: format, largestInteger: steps - 1)
        try printer.start()
        for t in 0..<steps { try printer.row([Double(t), schedule.rate(at: t, base: lr)]) }
        try await printer.finish { columns in
            Figure(name: "schedule", title: "\(schedule), base lr \(lr)", xLabel: "step", yLabel: "learning rate",
                   series: [Series(title: "lr", style: .steps, x: columns[0], y: columns[1])])
        }
    }
}
