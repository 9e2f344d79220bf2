import Descent
import Foundation
import LabKit
import Testing

/// A query as a JSON object of strings: any decoder whose values are strings by name reads LabKit's
/// commands (the playground uses Hummingbird's URLEncodedFormDecoder; JSONDecoder stands in here).
private func decode<T: Decodable>(_ type: T.Type, _ pairs: [String: String]) throws -> T {
    try JSONDecoder().decode(T.self, from: JSONSerialization.data(withJSONObject: pairs))
}

private func optionError(_ body: () throws -> Void) -> OptionError? {
    do { try body() } catch let error as OptionError { return error } catch { Issue.record("not an OptionError: \(error)") }
    return nil
}

@Suite struct OptimizerSettingsTests {
    /// An option not given takes the optimizer's own default: PyTorch's, as Descent's initialisers
    /// state them (the table the page and lab's help show must not drift from the optimizers).
    @Test func defaultsAreTheOptimizersOwn() throws {
        let adam = try #require(OptimizerSettings(optimizer: .adam).make(lr: 0.1) as? Adam)
        let reference = Adam(learningRate: 0.1)
        #expect(adam.beta1 == reference.beta1 && adam.beta2 == reference.beta2 && adam.eps == reference.eps)
        let rms = try #require(OptimizerSettings(optimizer: .rmsprop).make(lr: 0.1) as? RMSprop)
        let rmsReference = RMSprop(learningRate: 0.1)
        #expect(rms.alpha == rmsReference.alpha && rms.eps == rmsReference.eps && rms.momentum == rmsReference.momentum)
        let ada = try #require(OptimizerSettings(optimizer: .adagrad).make(lr: 0.1) as? AdaGrad)
        #expect(ada.eps == AdaGrad(learningRate: 0.1).eps)
        for name in OptimizerName.allCases {
            #expect(OptimizerSettings.default("eps", for: name) == (name == .sgd ? nil : (name == .adagrad || name == .articleAdagrad ? 1e-10 : 1e-8)))
        }
        #expect(OptimizerSettings.default("momentum", for: .adam) == nil)
        #expect(OptimizerSettings.default("beta2", for: .articleAdam) == 0.999)
    }

    /// `lab --help`'s ε line lists every optimizer's default; it is text, so it is checked against the table.
    @Test func epsHelpListsTheDefaults() {
        let help = OptimizerSettings.option("eps").help
        for name in OptimizerSettings.option("eps").optimizers! {
            let value = OptimizerSettings.default("eps", for: name)!
            #expect(help.contains("\(name.rawValue) \(value == 1e-10 ? "1e-10" : "1e-8")"), "\(name)")
        }
    }

    /// Every refusal names the option it is about, and that option is one of the command's.
    @Test(arguments: [
        ("momentum", OptimizerSettings(optimizer: .adam, momentum: 0.9)),
        ("nesterov", OptimizerSettings(optimizer: .sgd, nesterov: true)),
        ("dampening", OptimizerSettings(optimizer: .sgd, momentum: 0.9, nesterov: true, dampening: 0.1)),
        ("alpha", OptimizerSettings(optimizer: .rmsprop, alpha: 1)),
        ("alpha", OptimizerSettings(optimizer: .articleRmsprop, alpha: 0)),
        ("beta1", OptimizerSettings(optimizer: .adam, beta1: 1)),
        ("beta2", OptimizerSettings(optimizer: .articleAdam, beta2: .nan)),
        ("eps", OptimizerSettings(optimizer: .adagrad, eps: -1)),
        ("eps", OptimizerSettings(optimizer: .sgd, eps: 1e-8)),
        ("amsgrad", OptimizerSettings(optimizer: .articleAdam, amsgrad: true)),
        ("centered", OptimizerSettings(optimizer: .sgd, centered: true)),
        ("initial-accumulator", OptimizerSettings(optimizer: .adagrad, initialAccumulator: -1)),
        ("lr-decay", OptimizerSettings(optimizer: .adagrad, lrDecay: .infinity)),
        ("weight-decay", OptimizerSettings(optimizer: .articleAdagrad, weightDecay: 0.1)),
    ])
    func refusalsNameTheirOption(parameter: String, settings: OptimizerSettings) {
        let error = optionError { try settings.validate() }
        #expect(error?.parameter == parameter, "\(String(describing: error))")
        #expect(error?.message.contains("--\(parameter)") == true, "\(String(describing: error))")
    }
}

@Suite struct CommandSettingsTests {
    static let good = ["function": "quadratic", "start": "-5,-2", "steps": "30", "optimizer": "sgd", "lr": "0.1"]

    /// A query decodes into the value lab's flags give, field for field.
    @Test func decodesLikeLabsFlags() throws {
        let q = try decode(OptimizeSettings.self, Self.good.merging(["momentum": "0.9", "nesterov": "true", "condition": "5",
                                                                     "schedule": "cosine:T=30", "noise": "0.5", "seed": "7"]) { $1 })
        let expected = OptimizeSettings(function: .quadratic, start: Point(values: [-5, -2]), steps: 30, condition: 5,
                                        optimizer: OptimizerSettings(optimizer: .sgd, momentum: 0.9, nesterov: true), lr: 0.1,
                                        schedule: try Schedule(parsing: "cosine:T=30"), noise: 0.5, seed: 7)
        #expect(q == expected)
        let s = try decode(ScheduleSettings.self, ["lr": "0.5", "steps": "10", "schedule": "step:size=5,gamma=0.5"])
        #expect(s.row(7) == [7, 0.25])
        let f = try decode(FunctionSweepSettings.self, ["function": "saddle", "start": "1,0.1", "optimizer": "adam", "sweep": "linear"])
        #expect(f.sweep == SweepSettings(spacing: .linear))
    }

    /// Bad values are refused with the option named, before any work: unknown names, wrong types,
    /// missing options, a flag that is not true/false, and every check of validate().
    @Test(arguments: [
        (["bogus": "1"], "bogus"),
        (["lr": "abc"], "lr"),
        (["steps": "1.5"], "steps"),
        (["seed": "-4", "noise": "1"], "seed"),
        (["function": "cubic"], "function"),
        (["optimizer": "lbfgs"], "optimizer"),
        (["nesterov": "yes"], "nesterov"),
        (["start": "1"], "start"),
        (["schedule": "cosine"], "schedule"),
        (["lr": "-1"], "lr"),
        (["lr": "inf"], "lr"),
        (["steps": "0"], "steps"),
        (["steps": "100001"], "steps"),
        (["schedule": "exponential:gamma=1e308"], "schedule"),
        (["condition": "0.5"], "condition"),
        (["function": "saddle", "condition": "5"], "condition"),
        (["noise": "-1"], "noise"),
        (["seed": "3"], "seed"),
        (["momentum": "-0.5"], "momentum"),
    ])
    func refusalsNameTheirParameter(change: [String: String], parameter: String) {
        let error = optionError {
            let q = try decode(OptimizeSettings.self, Self.good.merging(change) { $1 })
            do { try q.validate(limit: .perRequest(100_000)) } catch { throw error }
        }
        #expect(error?.parameter == parameter, "\(change): \(String(describing: error))")
    }

    @Test func missingOptionsAreNamed() {
        for name in ["function", "start", "steps", "optimizer", "lr"] {
            var query = Self.good
            query[name] = nil
            #expect(optionError { _ = try decode(OptimizeSettings.self, query) }?.parameter == name)
        }
    }

    /// The limits a caller sets: a plot's rows (lab) and a server's steps per request (the API).
    @Test func rowLimits() throws {
        let s = ScheduleSettings(lr: 0.1, steps: 1_000_000, schedule: .constant)
        try s.validate()
        try s.validate(limit: .plot(1_000_000))
        #expect(optionError { try s.validate(limit: .plot(999_999)) }?.parameter == "steps")
        #expect(optionError { try s.validate(limit: .perRequest(100_000)) }?.message == "--steps must be ≤ 100000 per request on this server, got 1000000")
        let loss = ScheduleSettings(lr: 0.1, steps: 10, schedule: try Schedule(parsing: "plateau"))
        #expect(optionError { try loss.validate() }?.parameter == "schedule")
    }

    /// The command's rows are Descent's run, unchanged: optimize's rows are `optimize`'s trajectory,
    /// the sweep is `RangeTest.run` on the function.
    @Test func rowsAreDescentsRun() throws {
        let q = try decode(OptimizeSettings.self, Self.good.merging(["optimizer": "adam", "function": "rosenbrock"]) { $1 })
        var rows: [[Double]] = []
        _ = q.run { rows.append($0) }
        let reference = Descent.optimize(Rosenbrock(), from: [-5, -2], steps: 30, optimizer: Adam(learningRate: 0.1))
        #expect(rows == reference.points.map { [Double($0.step), $0.learningRate, $0.loss, $0.point[0], $0.point[1]] })
        let f = FunctionSweepSettings(function: .quadratic, start: Point(values: [-5, -2]), condition: 50,
                                      optimizer: OptimizerSettings(optimizer: .sgd))
        var theta = [-5.0, -2.0]
        var sgd = SGD(learningRate: 1e-7)
        let quadratic = Quadratic(condition: 50)
        let expected = RangeTest().run(parameters: &theta, optimizer: &sgd) { p, _, g in
            quadratic.gradient(p, into: &g)
            return quadratic.value(p)
        }
        #expect(f.run() == expected)
    }
}
