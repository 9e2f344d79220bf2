import Descent

/// The 2-D test functions `lab` and the playground know (`--function`, `function=`).
public enum FunctionName: String, CaseIterable, Sendable, Codable {
    case quadratic, rosenbrock, saddle

    /// The function at its default settings (the quadratic 0.1x² + 2y², κ = 20).
    public var function: any TestFunction {
        switch self {
        case .quadratic: return Quadratic()
        case .rosenbrock: return Rosenbrock()
        case .saddle: return Saddle()
        }
    }
}

/// The optimizers `lab` and the playground know (`--optimizer`): PyTorch's four and the article's
/// three as written.
public enum OptimizerName: String, CaseIterable, Sendable, Codable {
    case sgd, adagrad, rmsprop, adam
    case articleAdagrad = "article-adagrad"
    case articleRmsprop = "article-rmsprop"
    case articleAdam = "article-adam"
}

/// A point `X,Y` (`--start -5,-2`; negative values are fine).
public struct Point: Equatable, Sendable {
    public let values: [Double]

    public init(values: [Double]) { self.values = values }

    /// Two finite numbers separated by a comma (spaces around each are ignored).
    public static func parse(_ text: String) throws(OptionError) -> Point {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        let values = parts.compactMap { Double($0.trimmingCharacters(in: " ")) }
        guard parts.count == 2, values.count == 2, values.allSatisfy(\.isFinite) else {
            throw OptionError("--start expects two finite numbers X,Y (e.g. --start -5,-2), got '\(text)'", parameter: "start")
        }
        return Point(values: values)
    }
}

extension StringProtocol {
    /// The text without leading and trailing `character`s.
    public func trimmingCharacters(in character: Character) -> String {
        var s = Substring(self)
        while s.first == character { s.removeFirst() }
        while s.last == character { s.removeLast() }
        return String(s)
    }
}
