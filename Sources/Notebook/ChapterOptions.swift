import ArgumentParser
import Foundation

/// The options every chapter accepts (its `--help` lists them with its own).
public struct ChapterOptions: ParsableArguments, Sendable {
    @Option(help: "Folder for the book's pages, figures and data (created if missing).")
    public var output: String = "output"

    @Option(parsing: .unconditional, help: "Seed for every random draw of the chapter, an integer from 0 to \(ChapterOptions.seedRange.upperBound) (the page records it).",
            transform: ChapterOptions.parseSeed)
    public var seed: UInt64 = ChapterOptions.defaultSeed

    /// The seed of the committed book.
    public static let defaultSeed: UInt64 = 42

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

    public func validate() throws {
        guard !output.isEmpty else {
            throw ValidationError("--output '' names no folder (it would write into the current folder); give a folder, e.g. --output output")
        }
    }

    /// The seeds a run accepts: 0 … 2³² − 1. Chapters derive further seeds from it (a seed set,
    /// `seed + k`, `seed · 1000 + k`), which stay far inside `UInt64` from any seed in this range.
    public static let seedRange: ClosedRange<UInt64> = 0...UInt64(UInt32.max)

    /// `--seed`: an integer in ``seedRange``; "-1" says the seed must be ≥ 0 (rather than
    /// "Missing value", which is what a negative number read as a flag would give).
    public static func parseSeed(_ text: String) throws -> UInt64 {
        if let value = UInt64(text), seedRange.contains(value) { return value }
        if let negative = Int64(text), negative < 0 { throw ValidationError("seed must be ≥ 0 (got \(text))") }
        throw ValidationError("seed must be an integer from 0 to \(seedRange.upperBound) (got '\(text)')")
    }
}
