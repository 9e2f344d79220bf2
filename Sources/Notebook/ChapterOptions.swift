import ArgumentParser

/// The options every chapter accepts (its `--help` lists them with its own).
public struct ChapterOptions: ParsableArguments, Sendable {
    @Option(help: "Folder for the book's pages, figures and data (created if missing).")
    public var output: String = "output"

    @Option(help: "Seed for every random draw of the chapter (the page records it).")
    public var seed: UInt64 = 42

    @Flag(help: "Smaller runs: fewer steps, seeds and grid points (seconds, for tests).")
    public var quick = false

    @Flag(help: "Write the .gp and .dat files but do not run gnuplot.")
    public var noRender = false

    @Flag(help: "Draw terminal plots in the narrative even when stdout is not a terminal.")
    public var plots = false

    @Flag(help: "Show the exercises' solutions: their code and what it prints.")
    public var solutions = false

    @Flag(help: "Print nothing but errors.")
    public var quiet = false

    public init() {}
}
