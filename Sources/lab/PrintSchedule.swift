import ArgumentParser
import Descent
import Figures

struct PrintSchedule: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Print the learning rate a schedule gives at steps 0…N−1.",
        discussion: "CSV columns: step,lr. Loss-driven schedules (plateau, restart) need a run: use 'lab optimize --schedule …'."
    )

    @Option(parsing: .unconditional, help: "Base learning rate α > 0.")
    var lr: Double

    @Option(parsing: .unconditional, help: "Number of steps N ≥ 1.")
    var steps: Int

    @Option(help: "Schedule spec, e.g. step:size=100,gamma=0.5 or warmup:steps=10+cosine:T=290.", transform: parseSchedule)
    var schedule: Schedule

    @Option(help: "Output format: csv, table or plot.")
    var format: Format = .csv

    func validate() throws {
        try validateRate("--lr", lr)
        try validateSteps(steps)
        if schedule.isLossDriven {
            throw ValidationError("'\(schedule)' is loss-driven: it needs a training run, so use 'lab optimize --schedule \(schedule) …' instead")
        }
    }

    func run() async throws {
        let rates = (0..<steps).map { schedule.rate(at: $0, base: lr) }
        let table = Table(header: ["step", "lr"], rows: rates.enumerated().map { [Double($0.offset), $0.element] })
        try await emit(table, format: format, figure: Figure(
            name: "schedule", title: "\(schedule), base lr \(lr)", xLabel: "step", yLabel: "learning rate",
            series: [Series(title: "lr", style: .steps, x: (0..<steps).map(Double.init), y: rates)]))
    }
}
