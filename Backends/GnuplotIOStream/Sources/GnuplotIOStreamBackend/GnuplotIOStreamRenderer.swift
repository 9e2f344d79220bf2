import CGnuplotIOStream
import Figures
import Foundation

/// Renders figures through gnuplot-iostream (C++) instead of spawning gnuplot from Swift.
/// Produces the same `.svg` and `.png` files as ``Figures/GnuplotRenderer``: both run the
/// same `<name>.gp` script in the figure's folder.
public struct GnuplotIOStreamRenderer: FigureRenderer {
    public init() {}

    public func render(figure name: String, in directory: URL) async throws {
        guard Gnuplot.isAvailable else { throw GnuplotError.notInstalled }
        signal(SIGPIPE, SIG_IGN)  // a gnuplot that dies early must not kill us mid-write
        var buffer = [CChar](repeating: 0, count: 8192)
        let status = descent_gnuplot_iostream_run(directory.path, name + ".gp", &buffer, buffer.count)
        if status != 0 {
            let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw GnuplotError.failed(status: "gnuplot-iostream \(status)", message: "\(name).gp: " + message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
