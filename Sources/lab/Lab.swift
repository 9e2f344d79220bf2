import ArgumentParser

@main
struct Lab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Descent's optimizer playground: run an optimizer on a 2-D test function, print a learning-rate schedule, or run a learning-rate range test.",
        discussion: """
            Every command prints CSV by default (a stable contract other tools compare against), \
            an aligned table with --format table, or a terminal plot with --format plot (needs gnuplot).

            Examples:
              lab optimize --function quadratic --start -5,-2 --steps 50 --optimizer sgd --lr 0.4
              lab optimize --function rosenbrock --start -1.5,2 --steps 500 --optimizer adam --lr 0.05 --amsgrad
              lab schedule --lr 0.1 --steps 300 --schedule warmup:steps=10+cosine:T=290
              lab find-lr --function quadratic --start -5,-2 --optimizer sgd --min-lr 1e-6 --max-lr 10
              lab train --data digits --optimizer adam --lr 0.001 --steps 2000
            """,
        subcommands: [Optimize.self, PrintSchedule.self, FindLearningRate.self, Train.self]
    )
}
