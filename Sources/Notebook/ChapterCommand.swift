import ArgumentParser
import Foundation

/// The one entry shape of every chapter: a chapter names its slug and writes its body; the
/// command line (`--output`, `--seed`, `--quick`, …), the page's publication, the report of
/// false claims and where solutions go are declared here once.
///
/// ```swift
/// @main
/// struct Tour: ChapterCommand {
///     static let slug = "ch00-tour"
///     @OptionGroup var options: ChapterOptions
///     func body(_ nb: Notebook) async throws { try await TourChapter(nb: nb).write() }
/// }
/// ```
public protocol ChapterCommand: AsyncParsableCommand {
    /// The chapter's slug in ``Book/chapters`` (its executable and its folder under `output/`).
    static var slug: String { get }
    /// The chapter's entry in the contents (default: ``Book/chapter(_:)`` of ``slug``).
    static var info: ChapterInfo { get }
    /// The shared options (declare as `@OptionGroup var options: ChapterOptions`).
    var options: ChapterOptions { get }
    /// Writes the chapter: prose, calls, figures and checked claims, in reading order.
    func body(_ nb: Notebook) async throws
}

extension ChapterCommand {
    public static var info: ChapterInfo { Book.chapter(slug) }

    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: slug, abstract: "Chapter \(info.number): \(info.summary)",
                             discussion: "Writes \(info.slug)/README.md with its figures and data under --output "
                                 + "(default: output). With --solutions the page goes to a temporary folder unless "
                                 + "--output names a folder other than the book's.")
    }

    public func run() async throws {
        var options = self.options
        if options.solutions, let folder = ChapterRun.solutionsFolder(for: options.output) {
            options.output = folder
            if !options.quiet { print("Solutions run: the page goes to \(folder)/\(Self.info.slug), not the book's folder.") }
        }
        do {
            try await Notebook.run(Self.info, options) { nb in try await body(nb) }
        } catch let failed as ClaimsFailed {
            // One line per false claim, without ArgumentParser's "Error:" prefix or usage.
            FileHandle.standardError.write(Data((failed.description + "\n").utf8))
            throw ExitCode.failure
        } catch let misuse as ClaimMisuse {
            // A programming error of the chapter: EX_SOFTWARE.
            FileHandle.standardError.write(Data((misuse.description + "\n").utf8))
            throw ExitCode(70)
        }
    }
}

/// Decisions of a chapter run that do not depend on the chapter.
public enum ChapterRun {
    /// For a `--solutions` run writing to `output`: a temporary folder to use instead when
    /// `output` is the book's folder (`./output`, or any folder holding the book's contents
    /// page), nil when `output` is another folder. Solution pages never overwrite the book.
    public static func solutionsFolder(for output: String) -> String? {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: output).standardizedFileURL.resolvingSymlinksInPath().path
        let book = URL(fileURLWithPath: "output").standardizedFileURL.resolvingSymlinksInPath().path
        let index = URL(fileURLWithPath: output).appendingPathComponent("README.md")
        let holdsBook = (try? String(contentsOf: index, encoding: .utf8))?.hasPrefix("# \(Book.title)") ?? false
        guard target == book || holdsBook else { return nil }
        return fm.temporaryDirectory.appendingPathComponent("descent-solutions").path
    }
}
