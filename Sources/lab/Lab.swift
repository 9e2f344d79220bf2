import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct Lab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Descent's optimizer playground: run an optimizer on a 2-D test function, print a learning-rate schedule, or run a learning-rate range test.",
        discussion: """
            Every command prints CSV by default (a stable contract other tools compare against), \
            an aligned table with --format table, or a terminal plot with --format plot (needs gnuplot; not predict).
            Each option may be given once. Output is checked: if a write fails (full disk, closed \
            pipe) lab exits 1 with one line saying the output is incomplete.

            Examples:
              lab optimize --function quadratic --start -5,-2 --steps 50 --optimizer sgd --lr 0.4
              lab optimize --function rosenbrock --start -1.5,2 --steps 500 --optimizer adam --lr 0.05 --amsgrad
              lab schedule --lr 0.1 --steps 300 --schedule warmup:steps=10+cosine:T=290
              lab find-lr --function quadratic --start -5,-2 --optimizer sgd --min-lr 1e-6 --max-lr 10
              lab train --data digits --optimizer adam --lr 0.001 --steps 2000 --save-params digits.json
              lab predict --params digits.json --data new-digits.csv
            """,
        subcommands: [Optimize.self, PrintSchedule.self, FindLearningRate.self, Train.self, Predict.self]
    )

    /// Parses and runs like ArgumentParser's own `main`, after two checks it cannot make:
    /// an option given twice is an error (ArgumentParser keeps the last), and standard output
    /// must be open. SIGPIPE is ignored so a closed pipe is a checked write error (EPIPE).
    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let repeated = repeatedOption(in: arguments) {
            let command = configuration.subcommands.first { $0._commandName == arguments.first }?._commandName
            printError("Error: \(repeated) is given more than once; give each option once")
            printError("  See 'lab\(command.map { " " + $0 } ?? "") --help' for the options.")
            terminate(ExitCode.validationFailure.rawValue)
        }
        if fcntl(STDOUT_FILENO, F_GETFD) == -1 && !arguments.contains(where: { $0 == "--help" || $0 == "-h" }) {
            exit(withError: LabError("standard output is closed: nothing was written (output incomplete)"))
        }
        do {
            var command = try parse(arguments)
            // Each command runs here, on the main thread: called through the protocol, `run()` would
            // move to the concurrency runtime's thread pool, starting a thread (≈ 0.4 ms of CPU, measured with the start-up benchmark).
            // lab's async functions are nonisolated(nonsending) (Package.swift), so they stay on the
            // caller's thread; only a gnuplot run (--format plot) leaves it.
            switch command {
            case let c as FindLearningRate: try await c.run()
            case let c as Train: try await c.run()
            case let c as Predict: try await c.run()
            case let c as Optimize: try await c.run()
            case let c as PrintSchedule: try await c.run()
            case var c as AsyncParsableCommand: try await c.run()
            default: try command.run()
            }
        } catch {
            // An error is one line: the notes of a run that did not happen are dropped.
            Notes.drop()
            // Help (and --version) is output like any other: written through the checked writer, so
            // help into a full disk or a closed pipe is exit 1 and one line, not a silent exit 0.
            if exitCode(for: error) == .success {
                let message = fullMessage(for: error)
                do {
                    if !message.isEmpty { try writeStdout(message + "\n") }
                } catch let failure {
                    exit(withError: failure)
                }
                terminate(0)
            }
            exit(withError: error)
        }
        Notes.flush()
    }
}

extension Lab {
    /// The command `arguments` ask for. A line that starts with a subcommand's name is parsed by a
    /// `lab` that knows that subcommand only (``LabWith``); anything else (no subcommand, `help`,
    /// a typo) by the full `lab`.
    static func parse(_ arguments: [String]) throws -> ParsableCommand {
        switch arguments.first {
        case "find-lr": return try LabWith<FindLearningRate>.parseAsRoot(arguments)
        case "train": return try LabWith<Train>.parseAsRoot(arguments)
        case "predict": return try LabWith<Predict>.parseAsRoot(arguments)
        case "optimize": return try LabWith<Optimize>.parseAsRoot(arguments)
        case "schedule": return try LabWith<PrintSchedule>.parseAsRoot(arguments)
        default: return try parseAsRoot(arguments)
        }
    }
}

/// `lab` with one subcommand. ArgumentParser builds the option definitions of every subcommand of
/// the root it parses with (about 0.6 ms of CPU for lab's four, measured); through this root only
/// those of the command asked for. It is named `lab` too, so usage lines, help and errors read the
/// same (`Usage: lab find-lr …`).
struct LabWith<Subcommand: ParsableCommand>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "lab", subcommands: [Subcommand.self])
    }
}

/// Ends the process with `status` (a free function: inside `Lab`, `exit` is ArgumentParser's).
func terminate(_ status: Int32) -> Never { exit(status) }

/// The first long option (`--name` or `--name=value`) that occurs more than once before a
/// `--` terminator, or nil. Every value `lab` takes is a number, a name or a schedule spec,
/// none of which starts with `--`, so each such token is an option name.
func repeatedOption(in arguments: [String]) -> String? {
    var seen: Set<Substring> = []
    for argument in arguments {
        if argument == "--" { break }
        guard argument.hasPrefix("--"), argument.count > 2 else { continue }
        let name = argument.split(separator: "=", maxSplits: 1)[0]
        if !seen.insert(name).inserted { return String(name) }
    }
    return nil
}
