import ArgumentParser
import BookSite
import Foundation
import Publishing
import Synchronization
import Notebook

/// Where `book --html DIR` publishes its site, checked before any chapter runs.
///
/// The site is written into a staging folder beside DIR and swapped in whole (``StagedFolder``),
/// so DIR must be a folder book may replace: new, empty, or a site an earlier `--html` wrote. A
/// symbolic link is followed (the site goes where it points; the link stays). DIR may not be the
/// book's output folder, lie inside it, or contain it.
struct SitePlan {
    /// The folder to publish (the real path, links resolved).
    let folder: StagedFolder
    /// DIR as given, for messages.
    let given: String

    init(_ directory: String, output: String, only: [String]) throws {
        given = directory
        func refuse(_ why: String) -> BookError { BookError("--html '\(directory)': \(why)") }
        guard !directory.isEmpty else {
            throw BookError("--html '' names no folder (it would write the site into the current folder); "
                + "give a folder, e.g. --html site")
        }
        let fm = FileManager.default
        let url = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        var st = stat()
        let real: String
        if lstat(url.path, &st) == 0 {
            guard let resolved = Self.realPath(url.path) else {
                throw refuse("it is a symbolic link to nothing; remove it or give another folder")
            }
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: resolved, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw refuse("it is a file, not a folder; move it away or give another folder")
            }
            real = resolved
        } else {
            let parent = url.deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            guard let realParent = Self.realPath(parent), fm.fileExists(atPath: realParent, isDirectory: &isDirectory),
                  isDirectory.boolValue else {
                throw refuse("its parent folder \(parent) does not exist; create it first or give another folder")
            }
            real = (realParent as NSString).appendingPathComponent(url.lastPathComponent)
        }
        guard real != "/" else { throw refuse("the site cannot replace the root folder") }
        // Links resolved on both sides: a link to the book, or into it, is the book.
        let book = Self.realPathOfMaybeMissing(output)
        if real == book || real.hasPrefix(book + "/") {
            throw refuse("it is the book's output folder \(output), or inside it; the site goes in a folder of its own")
        }
        if book.hasPrefix(real + "/") {
            throw refuse("the book's output folder \(output) lies inside it, and the site replaces the whole folder")
        }
        if let names = try? fm.contentsOfDirectory(atPath: real) {
            let earlierSite = names.contains("index.html") && names.contains("style.css")
            guard names.isEmpty || earlierSite else {
                throw refuse("the folder holds other files, and the site replaces the whole folder; "
                    + "give a new or empty folder, or one an earlier --html wrote")
            }
        }
        let parent = (real as NSString).deletingLastPathComponent
        guard access(parent, W_OK) == 0 else {
            throw refuse("cannot write in \(parent): \(FileProblem.reason(errno)); give a folder you can write to")
        }
        folder = StagedFolder(target: URL(fileURLWithPath: real, isDirectory: true))
        // The staging folder can be made and written (a full disk is refused now, not after the chapters).
        do {
            try folder.create()
            defer { folder.discard() }
            try Data(count: OutputFolder.probeBytes).write(to: folder.staging.appendingPathComponent(".probe"))
        } catch {
            folder.discard()
            let why = FileProblem.errnoCode(of: error).map { "\(FileProblem.reason($0)); \(FileProblem.advice($0))" } ?? "\(error)"
            throw refuse("cannot write beside it: " + why.replacingOccurrences(of: "--output DIR", with: "--html DIR"))
        }
        // A disk with less room than the book's pages and figures already take cannot hold the site
        // (its pages are those files as HTML): refused now, not after the chapters ran.
        var disk = statvfs()
        let needed = Self.pageAndFigureBytes(in: output)
        if needed > 0, statvfs(parent, &disk) == 0 {
            let free = UInt64(disk.f_bavail) * UInt64(disk.f_frsize)
            if free < needed {
                throw refuse("the disk is full for it: \(free / 1024) kB free, and the site needs at least \(needed / 1024) kB "
                    + "(the pages and figures of \(output)); free some space or give --html DIR on another disk")
            }
        }
        // The site needs the contents page and every chapter; --only writes neither the contents page
        // nor the other chapters, so they must be in the output folder already.
        if !only.isEmpty {
            let out = URL(fileURLWithPath: output, isDirectory: true)
            let missing = ["README.md"].filter { !fm.fileExists(atPath: out.appendingPathComponent($0).path) }
                + Book.chapters.map(\.slug).filter { slug in
                    !only.contains(slug) && !fm.fileExists(atPath: out.appendingPathComponent("\(slug)/README.md").path)
                }
            if !missing.isEmpty {
                throw BookError("--only with --html: the site needs the whole book, and \(output) lacks "
                    + (missing.count > 3 ? "\(missing.prefix(3).joined(separator: ", ")) and \(missing.count - 3) more"
                                         : missing.joined(separator: ", "))
                    + "; run book without --only first, or leave out --html")
            }
        }
    }

    /// Bytes of the Markdown pages and the drawn figures (.md, .svg, .png) under `output`: a lower
    /// bound on what the site takes. 0 when there is no book there yet.
    static func pageAndFigureBytes(in output: String) -> UInt64 {
        guard let walker = FileManager.default.enumerator(atPath: output) else { return 0 }
        var total: UInt64 = 0
        for case let name as String in walker where [".md", ".svg", ".png"].contains(where: { name.hasSuffix($0) }) {
            var st = stat()
            if stat((output as NSString).appendingPathComponent(name), &st) == 0, (st.st_mode & S_IFMT) == S_IFREG {
                total += UInt64(st.st_size)
            }
        }
        return total
    }

    /// `realpath(3)`, or nil when the path does not resolve.
    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// The real path of `path` when its folders may not exist yet: its longest existing prefix
    /// resolved, the rest appended.
    static func realPathOfMaybeMissing(_ path: String) -> String {
        var url = URL(fileURLWithPath: path).standardizedFileURL
        var rest: [String] = []
        while realPath(url.path) == nil, url.path != "/" {
            rest.insert(url.lastPathComponent, at: 0)
            url = url.deletingLastPathComponent()
        }
        let base = realPath(url.path) ?? url.path
        return rest.reduce(base) { ($0 as NSString).appendingPathComponent($1) }
    }
}

extension BookCommand {
    /// `--html DIR`: the generated book in `book` as a static web site, written into a staging
    /// folder beside DIR and swapped in whole (the same pages the Playground serves under /book/).
    /// A failure or a signal leaves DIR as it was and no staging folder.
    func writeSite(from book: URL, plan: SitePlan, children: Children) throws {
        let folder = plan.folder
        folder.recoverAbandoned()
        let site: BookSite
        do { site = try BookSite(source: book, chapters: Book.chapters.map(\.slug)) } catch {
            throw BookError("cannot read the book in '\(book.path)' to make the web site: "
                + (FileProblem.errnoCode(of: error).map(FileProblem.reason) ?? "\(error)"))
        }
        func failed(_ error: any Error) -> BookError {
            let sentence = FileProblem.sentence(error, doing: "writing the web site", path: folder.staging.path)?
                .replacingOccurrences(of: "--output DIR", with: "--html DIR") ?? "writing the web site failed: \(error)"
            return BookError(sentence + " (nothing was published; \(folder.target.path) is unchanged)")
        }
        children.writingSite(folder)
        defer { children.writingSite(nil) }
        if children.interruption != nil { folder.discard(); throw ExitCode(128 + children.interruption!) }
        do {
            try folder.create()
            try site.write(to: folder.staging)
            try children.publishing.withLock { _ in try folder.publish() }
        } catch {
            folder.discard()
            throw failed(error)
        }
        let math = site.katex == nil ? "formulas as plain TeX (install libjs-katex for KaTeX)" : "KaTeX from \(site.katex!.path)"
        FileHandle.standardError.write(Data("book: web site with \(site.chapters.count) chapter(s) → \(plan.given)/index.html; \(math)\n".utf8))
    }
}
