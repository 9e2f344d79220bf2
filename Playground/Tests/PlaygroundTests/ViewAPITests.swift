import Descent
import Foundation
import Testing
@testable import PlaygroundApp

/// The endpoints behind the page's per-direction view and momentum plane, against closed forms
/// (Descent's `HeavyBall`, computed independently of the runs the endpoints measure).
@Suite struct ViewAPITests {
    static func object(_ body: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    }

    /// Plain gradient descent on a·x² + 2y² moves each coordinate by exactly (1 − αλ) per step, so the
    /// measured factor must equal |1 − αλ| to rounding; with momentum (complex roots) it is √β per step.
    @Test(arguments: [(20.0, 0.1, 0.0), (20.0, 0.45, 0.0), (5.0, 0.3, 0.0), (20.0, 0.3, 0.6), (100.0, 0.6, 0.0)])
    func directionsMatchTheClosedForm(condition: Double, lr: Double, momentum: Double) throws {
        let body = try API.directions(query([("function", "quadratic"), ("condition", "\(condition)"), ("start", "-5,-2"),
                                             ("steps", "400"), ("optimizer", "sgd"), ("lr", "\(lr)"), ("momentum", "\(momentum)")]))
        let o = try Self.object(body)
        let dirs = try #require(o["directions"] as? [[String: Any]])
        let q = Quadratic(condition: condition)
        let lambdas = [q.smallestEigenvalue, q.largestEigenvalue]
        for (i, d) in dirs.enumerated() {
            let lambda = try #require(d["eigenvalue"] as? Double)
            #expect(lambda == lambdas[i])
            let closed = HeavyBall.rate(learningRate: lr, momentum: momentum, eigenvalue: lambda)
            let predicted = try #require(d["predicted"] as? Double)
            #expect(abs(predicted - closed) < 1e-15)
            if momentum == 0 {
                #expect(abs(closed - abs(1 - lr * lambda)) < 1e-15)
                let measured = try #require(d["measured"] as? Double)
                if closed < 1 { #expect(abs(measured - closed) < 1e-9, "direction \(i): \(measured) vs \(closed)") }
            }
        }
        let limiting = try #require((o["limiting"] as? [String: Any])?["predicted"] as? String)
        let rhos = lambdas.map { HeavyBall.rate(learningRate: lr, momentum: momentum, eigenvalue: $0) }
        #expect(limiting == (rhos[0] >= rhos[1] ? "x" : "y"))
        let gd = try #require(o["gradientDescent"] as? [String: Double])
        #expect(abs(gd["alpha"]! - 2 / (lambdas[0] + lambdas[1])) < 1e-15)
        #expect(abs(gd["rate"]! - (condition - 1) / (condition + 1)) < 1e-12)
    }

    @Test func directionsRefuseOtherFunctionsAndPredictOnlyWhatHasAClosedForm() throws {
        #expect(throws: APIError.self) {
            try API.directions(query([("function", "rosenbrock"), ("start", "-1,1"), ("steps", "10"), ("optimizer", "sgd"), ("lr", "0.001")]))
        }
        for extra in [[("optimizer", "adam")], [("optimizer", "sgd"), ("noise", "0.5")],
                      [("optimizer", "sgd"), ("schedule", "cosine:T=100")]] {
            let body = try API.directions(query([("function", "quadratic"), ("start", "-5,-2"), ("steps", "100"), ("lr", "0.1")] + extra))
            let dirs = try #require(try Self.object(body)["directions"] as? [[String: Any]])
            #expect(dirs.allSatisfy { $0["predicted"] is NSNull }, "\(extra)")
            #expect(dirs.allSatisfy { $0["measured"] is Double }, "\(extra)")
        }
    }

    /// Chapter 9's check: wherever the closed form's rate is below 0.97 the measured rate matches it
    /// within 0.02; beyond the stability limit every cell is 1; the optimum is (α*, β*).
    @Test(arguments: [20.0, 5.0])
    func momentumPlaneMatchesTheClosedForm(condition: Double) throws {
        let o = try Self.object(try API.momentumPlane(query([("condition", "\(condition)")])))
        let alphas = try #require(o["alphas"] as? [Double]), betas = try #require(o["betas"] as? [Double])
        let rates = try #require(o["rates"] as? [[Double]])
        #expect(alphas.count == API.planeColumns && betas.count == API.planeRows && rates.count == betas.count)
        let q = Quadratic(condition: condition)
        let (mu, L) = (q.smallestEigenvalue, q.largestEigenvalue)
        var compared = 0, beyond = 0, worst = 0.0, worstCell = (0.0, 0.0, 0.0, 0.0)
        for (j, b) in betas.enumerated() {
            #expect(rates[j].count == alphas.count)
            for (i, a) in alphas.enumerated() {
                let theory = HeavyBall.rate(learningRate: a, momentum: b, eigenvalues: [mu, L])
                if theory < 0.97 {
                    if abs(rates[j][i] - theory) > worst { worst = abs(rates[j][i] - theory); worstCell = (a, b, rates[j][i], theory) }
                    compared += 1
                }
                if a > 1.01 * HeavyBall.stabilityLimit(momentum: b, largestEigenvalue: L) { #expect(rates[j][i] == 1); beyond += 1 }
            }
        }
        #expect(worst < 0.02, "worst difference \(worst) over \(compared) cells, at (α, β, measured, formula) \(worstCell)")
        #expect(compared > 300 && beyond > 300, "\(compared) cells compared, \(beyond) beyond the limit")
        let optimum = try #require(o["optimum"] as? [String: Double])
        let (aStar, bStar) = HeavyBall.optimalParameters(smallestEigenvalue: mu, largestEigenvalue: L)
        #expect(abs(optimum["alpha"]! / aStar - 1) < 1e-14 && abs(optimum["beta"]! / bStar - 1) < 1e-14)
    }

    @Test func momentumPlaneRefusesBadInput() {
        for query in [[("steps", "1")], [("steps", "5000")], [("condition", "0.5")], [("start", "0,0")], [("function", "saddle")]] {
            #expect(throws: APIError.self, "\(query)") { try API.momentumPlane(PlaygroundTests.query(query)) }
        }
    }
}
