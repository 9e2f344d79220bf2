/// A value a command refuses: one line saying why, in `lab`'s words, and the option it names
/// (without its dashes: `lr` for `--lr`, the API's `lr=`), when there is one.
///
/// `lab` prints ``message`` after "Error: "; the playground answers it as JSON with ``parameter``.
public struct OptionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The option the error is about (`lr`, `max-lr`), or nil when it is about no single one.
    public let parameter: String?
    /// One line, e.g. "--lr must be a finite number > 0 (e.g. --lr 0.1), got -1.0".
    public let message: String

    public init(_ message: String, parameter: String?) {
        self.message = message
        self.parameter = parameter
    }

    public var description: String { message }
}
