import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PlaygroundApp

/// The API answers exactly what `lab` prints: the same numbers (text for text) and the same errors.
@Suite struct APIParityTests {
    /// Queries the page sends, over every optimizer, function, schedule and flag.
    static let agreeing: [(command: String, query: String)] = [
        ("optimize", "function=quadratic&start=-5,-2&steps=50&optimizer=sgd&lr=0.4&nesterov=true&momentum=0.9"),
        ("optimize", "function=quadratic&start=-5,-2&steps=40&optimizer=sgd&lr=0.52"),
        ("optimize", "function=quadratic&condition=3.16&start=2.5,-1.25&steps=30&optimizer=sgd&lr=0.3&momentum=0.5"),
        ("optimize", "function=rosenbrock&start=-1.5,2&steps=500&optimizer=adam&lr=0.05&amsgrad=true"),
        ("optimize", "function=rosenbrock&start=-1.5,2&steps=200&optimizer=adam&lr=0.02&beta1=0.8&beta2=0.99&eps=1e-6&schedule=cosine:T=200"),
        ("optimize", "function=saddle&start=1,0.01&steps=60&optimizer=rmsprop&lr=0.01&alpha=0.9&momentum=0.5&centered=true"),
        ("optimize", "function=quadratic&start=-5,-2&steps=80&optimizer=adagrad&lr=1&eps=1e-10&schedule=warmup:steps=10%2Bcosine:T=70"),
        ("optimize", "function=quadratic&start=-5,-2&steps=25&optimizer=article-adagrad&lr=1"),
        ("optimize", "function=quadratic&start=-5,-2&steps=25&optimizer=article-rmsprop&lr=0.1&alpha=0.9"),
        ("optimize", "function=quadratic&start=-5,-2&steps=25&optimizer=article-adam&lr=0.3&beta1=0.9&beta2=0.999&eps=1e-8"),
        ("optimize", "function=quadratic&start=-5,-2&steps=2000&optimizer=sgd&lr=3"),  // overflows: inf/nan rows
        ("optimize", "function=quadratic&start=-5,-2&steps=100&optimizer=sgd&lr=0.4&schedule=plateau:factor=0.5,patience=3"),
        ("optimize", "function=quadratic&start=-5,-2&steps=300&optimizer=sgd&lr=0.1&momentum=0.5&noise=0.7&seed=3"),
        ("optimize", "function=rosenbrock&start=-1.2,1&steps=200&optimizer=adam&lr=0.05&noise=2"),
        ("schedule", "lr=0.1&steps=300&schedule=warmup:steps=10%2Bcosine:T=290"),
        ("schedule", "lr=0.5&steps=50&schedule=step:size=10,gamma=0.5"),
        ("schedule", "lr=1&steps=120&schedule=one-cycle:T=120"),
        ("find-lr", "function=quadratic&start=-5,-2&optimizer=sgd&min-lr=1e-6&max-lr=10"),
        ("find-lr", "function=rosenbrock&start=-1.5,2&optimizer=adam&steps=60"),
        ("find-lr", "function=quadratic&start=-5,-2&optimizer=sgd&sweep=linear&max-lr=1&smoothing=0.9&diverge-factor=6"),
        ("find-lr", "function=quadratic&condition=100&start=-5,-2&optimizer=sgd&momentum=0.9&steps=80"),
    ]

    @Test(arguments: agreeing)
    func numbersAreLabsCSV(command: String, query: String) async throws {
        let expected = try lab([command] + labArguments(query))
        #expect(expected.status == 0, "lab refused: \(expected.stderr)")
        let csv = expected.stdout.split(separator: "\n").map(String.init)
        try await testApplication().test(.router) { client in
            let answer = try await get(client, "/api/\(command)?\(query)")
            #expect(answer.status == .ok, "\(answer.body)")
            #expect(answer.type == "application/json; charset=utf-8")
            let (header, rows) = try csvLines(fromJSON: answer.body)
            #expect(header == csv.first)
            #expect(rows.count == csv.count - 1)
            for (got, want) in zip(rows, csv.dropFirst()) where got != want {
                Issue.record("row differs: API \(got) vs lab \(want)")
                break
            }
            if command == "find-lr" {
                // lab's suggestions on stderr: "suggested lr (steepest): X", "suggested lr (min/10): Y"
                // Compared as text: the API writes lab's digits.
                let steep = rawValue("steep", in: answer.body).replacingOccurrences(of: "null", with: "none")
                #expect(expected.stderr.contains("suggested lr (steepest): \(steep)\n"), "\(expected.stderr) vs \(steep)")
                let tenth = rawValue("min/10", in: answer.body).replacingOccurrences(of: "null", with: "none")
                #expect(expected.stderr.contains("suggested lr (min/10): \(tenth)\n"), "\(expected.stderr) vs \(tenth)")
            }
            if command == "optimize" {
                // lab's 'diverged at step k' on stderr ⇔ the API's divergence.
                let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])
                let step = (object["divergence"] as? [String: Any])?["step"] as? Int
                #expect(step.map { expected.stderr.contains("diverged at step \($0)") } ?? !expected.stderr.contains("diverged"))
            }
        }
    }

    /// Bad parameters: 400, the parameter named, and lab's own message for every check LabKit makes.
    static let refused: [(command: String, query: String, parameter: String)] = [
        ("optimize", "function=quadratic&start=-5,-2&steps=3&optimizer=sgd&lr=abc", "lr"),
        ("optimize", "function=quadratic&start=-5,-2&steps=3&optimizer=sgd&lr=-1", "lr"),
        ("optimize", "function=quadratic&start=-5,-2&steps=3&optimizer=sgd&lr=inf", "lr"),
        ("optimize", "function=quad&start=-5,-2&steps=3&optimizer=sgd&lr=1", "function"),
        ("optimize", "start=-5,-2&steps=3&optimizer=sgd&lr=1", "function"),
        ("optimize", "function=quadratic&start=1&steps=3&optimizer=sgd&lr=1", "start"),
        ("optimize", "function=quadratic&start=-5,nan&steps=3&optimizer=sgd&lr=1", "start"),
        ("optimize", "function=quadratic&start=-5,-2&steps=0&optimizer=sgd&lr=1", "steps"),
        ("optimize", "function=quadratic&start=-5,-2&steps=1.5&optimizer=sgd&lr=1", "steps"),
        ("optimize", "function=quadratic&start=-5,-2&steps=3&optimizer=sgd&lr=1&nesterov=true", "nesterov"),
        ("optimize", "function=quadratic&start=-5,-2&steps=3&optimizer=adam&lr=1&momentum=0.9", "momentum"),
        ("optimize", "function=quadratic&start=-5,-2&steps=3&optimizer=adam&lr=1&beta1=1", "beta1"),
        ("optimize", "function=quadratic&start=-5,-2&steps=3&optimizer=adam&lr=1&eps=-1", "eps"),
        ("optimize", "function=quadratic&start=-5,-2&steps=3&optimizer=lbfgs&lr=1", "optimizer"),
        ("optimize", "function=quadratic&start=-5,-2&steps=3&optimizer=sgd&lr=1&schedule=cosine", "schedule"),
        ("optimize", "function=quadratic&start=-5,-2&steps=3&optimizer=sgd&lr=1&condition=0.5", "condition"),
        ("optimize", "function=saddle&start=-5,-2&steps=3&optimizer=sgd&lr=1&condition=5", "condition"),
        ("optimize", "function=quadratic&start=-5,-2&steps=3&optimizer=sgd&lr=1&bogus=2", "bogus"),
        ("optimize", "function=quadratic&start=-5,-2&steps=3&optimizer=sgd&lr=1&noise=-1", "noise"),
        ("optimize", "function=quadratic&start=-5,-2&steps=3&optimizer=sgd&lr=1&noise=nan", "noise"),
        ("optimize", "function=quadratic&start=-5,-2&steps=3&optimizer=sgd&lr=1&seed=4", "seed"),
        ("optimize", "function=quadratic&start=-5,-2&steps=3&optimizer=sgd&lr=1&noise=1&seed=-4", "seed"),
        ("optimize", "function=quadratic&start=-5,-2&steps=3&optimizer=sgd&lr=1&schedule=exponential:gamma=1e308", "schedule"),
        ("optimize", "function=quadratic&start=-5,-2&steps=3&optimizer=sgd&lr=1&lr=2", "lr"),
        ("optimize", "function=quadratic&start=-5,-2&steps=3&optimizer=sgd&lr=1&momentum=0.9&nesterov=true&dampening=0.5", "dampening"),
        ("optimize", "function=quadratic&start=-5,-2&steps=3&optimizer=rmsprop&lr=1&alpha=1", "alpha"),
        ("schedule", "lr=0.1&steps=10&schedule=exponential:gamma=1e308", "schedule"),
        ("schedule", "lr=0.1&steps=10&schedule=plateau", "schedule"),
        ("schedule", "lr=0.1&steps=10", "schedule"),
        ("find-lr", "function=quadratic&start=-5,-2&optimizer=sgd&min-lr=1&max-lr=0.1", "max-lr"),
        ("find-lr", "function=quadratic&start=-5,-2&optimizer=sgd&steps=1", "steps"),
        ("find-lr", "function=quadratic&start=-5,-2&optimizer=sgd&smoothing=1", "smoothing"),
        ("find-lr", "function=quadratic&start=-5,-2&optimizer=sgd&diverge-factor=1", "diverge-factor"),
        ("find-lr", "function=quadratic&start=-5,-2&optimizer=sgd&min-lr=5e-324&max-lr=10", "max-lr"),
    ]

    @Test(arguments: refused)
    func errorsAreLabsMessages(command: String, query: String, parameter: String) async throws {
        let expected = try lab([command] + labArguments(query))
        #expect(expected.status != 0)
        let labMessage = try #require(expected.stderr.split(separator: "\n").first { $0.hasPrefix("Error: ") })
            .dropFirst("Error: ".count)
        try await testApplication().test(.router) { client in
            let answer = try await get(client, "/api/\(command)?\(query)")
            #expect(answer.status == .badRequest)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: String])
            let message = try #require(object["error"])
            #expect(object["parameter"] == parameter)
            if labMessage.hasPrefix("The value '") || labMessage.hasPrefix("Missing expected argument") {
                // A value lab's argument parser refuses before LabKit's checks: ArgumentParser words lab's
                // message ("The value 'abc' is invalid for '--lr <lr>'"); the API's names the option, and
                // where a LabKit parser gave the reason (--start, --schedule) lab's message ends with it.
                #expect(message.contains("--\(parameter)"), "\(message)")
                if let reason = labMessage.range(of: ">': ") {
                    #expect(String(labMessage[reason.upperBound...]) == message)
                }
            } else {
                #expect(message == String(labMessage))
            }
        }
    }
}
