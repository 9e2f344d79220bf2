/// One option of a command, described once: `lab` takes its help from here, the playground decodes
/// its query by ``name`` and serves the list to the page (GET /api/options).
public struct OptionSpec: Equatable, Sendable, Encodable {
    /// What a value looks like.
    public enum Kind: String, Sendable, Encodable {
        /// A decimal number (Swift's `Double(_:)`: `0.1`, `1e-3`, `inf` is read and then refused).
        case number
        /// A whole number.
        case integer
        /// On or off: `--name` on the command line, `name=true|false` in a query.
        case flag
        /// One of ``OptionSpec/choices``.
        case choice
        /// Two numbers `X,Y`.
        case point
        /// A learning-rate schedule spec (`cosine:T=100`).
        case schedule
    }

    /// The option's name: `lab --name`, the API's `name=`.
    public let name: String
    public let kind: Kind
    /// `lab --help`'s text for it.
    public let help: String
    /// The optimizers it applies to (nil: every one).
    public let optimizers: [OptimizerName]?
    /// The values a ``Kind/choice`` takes.
    public let choices: [String]?
    /// Whether the command needs it (it has no default).
    public let required: Bool

    public init(_ name: String, _ kind: Kind, _ help: String, for optimizers: [OptimizerName]? = nil, choices: [String]? = nil,
                required: Bool = false) {
        self.name = name
        self.kind = kind
        self.help = help
        self.optimizers = optimizers
        self.choices = choices
        self.required = required
    }
}

/// A command whose options are described by ``OptionSpec``s.
public protocol CommandOptions {
    /// Every option of the command, in `lab --help`'s order.
    static var options: [OptionSpec] { get }
}

extension CommandOptions {
    /// The option named `name` (it must exist).
    public static func option(_ name: String) -> OptionSpec {
        guard let spec = options.first(where: { $0.name == name }) else { preconditionFailure("no option \(name) in \(Self.self)") }
        return spec
    }
}

/// Every command's options and every optimizer's defaults, as the playground serves them to its page
/// (GET /api/options): the page builds its controls, their defaults and which optimizer shows which
/// from this table, so it keeps no copy of lab's options.
public struct OptionTable: Encodable, Sendable {
    /// The options of `optimize`, `schedule` and `find-lr` (on a test function), by command name.
    public let commands: [String: [OptionSpec]]
    /// For each optimizer, the value each option that applies to it takes when not given (flags: 0, off).
    public let defaults: [String: [String: Double]]

    public static let current = OptionTable(
        commands: ["optimize": OptimizeSettings.options, "schedule": ScheduleSettings.options,
                   "find-lr": FunctionSweepSettings.options],
        defaults: Dictionary(uniqueKeysWithValues: OptimizerName.allCases.map { name in
            (name.rawValue, Dictionary(uniqueKeysWithValues: OptimizerSettings.options.dropFirst().compactMap { spec in
                OptimizerSettings.default(spec.name, for: name).map { (spec.name, $0) }
            }))
        }))
}
