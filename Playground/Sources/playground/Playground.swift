import ArgumentParser
import Foundation
import Hummingbird
import PlaygroundApp

@main
struct PlaygroundCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "playground",
        abstract: "Serve Descent's optimizer playground (/), its JSON API (/api/…) and the book as HTML (/book/).",
        discussion: "Binds the loopback address unless --host says otherwise. Usually started by Scripts/playground."
    )

    @Option(help: "Address to bind (127.0.0.1: this machine only; 0.0.0.0: every interface).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port).")
    var port = 8080

    @Option(help: "Folder of the generated book (the repository's output/).")
    var book = "output"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0…65535, got \(port)") }
        guard !host.isEmpty else { throw ValidationError("--host must not be empty") }
    }

    func run() async throws {
        let bookURL = URL(fileURLWithPath: book, isDirectory: true)
        if !FileManager.default.fileExists(atPath: bookURL.appendingPathComponent("README.md").path) {
            FileHandle.standardError.write(Data("warning: no book in '\(book)' (README.md missing): /book/ will answer 404\n".utf8))
        }
        let app = try buildApplication(PlaygroundConfiguration(host: host, port: port, book: bookURL))
        try await app.runService()
    }
}
