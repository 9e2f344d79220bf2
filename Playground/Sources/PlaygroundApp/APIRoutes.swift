import Foundation
import Hummingbird
import Synchronization

/// GET /api/optimize, /api/schedule, /api/find-lr (lab's commands), /api/limits and /api/contours
/// (what the page draws besides the runs). Query parameters are lab's flags without the dashes.
struct APIRoutes {
    /// A computation still running after this answers 503 (it is capped by ``API/maximumSteps``).
    let timeout: Duration

    static let compute = DispatchQueue(label: "playground.compute", qos: .userInitiated, attributes: .concurrent)

    typealias Endpoint = @Sendable (String) throws(APIError) -> String

    func add(to group: RouterGroup<PlaygroundContext>) {
        let endpoints: [(String, Endpoint)] = [
            ("optimize", API.optimize), ("schedule", API.schedule), ("find-lr", API.findLearningRate),
            ("limits", API.limits), ("contours", API.contours), ("palette", API.palette),
            ("directions", API.directions), ("momentum-plane", API.momentumPlane), ("options", API.options),
            ("openapi.json", API.openAPI),
        ]
        for (path, endpoint) in endpoints {
            group.get(RouterPath(path)) { request, _ in await self.answer(request, endpoint) }
        }
    }

    /// Runs `endpoint` off the event loop, racing it against the timeout; errors become JSON.
    func answer(_ request: Request, _ endpoint: @escaping Endpoint) async -> Response {
        let query = request.uri.query ?? ""
        let result = await Self.race(endpoint, query, timeout: timeout)
        switch result {
        case .success(let body): return json(body)
        case .failure(let error): return json(error.json, status: .init(code: error.status))
        }
    }

    /// `endpoint(query)` on ``compute`` (Dispatch's threads), or a 503 "request timed out" error if
    /// `timeout` passes first; the first of the two to finish answers.
    static func race(_ endpoint: @escaping Endpoint, _ query: String,
                     timeout: Duration) async -> Result<String, APIError> {
        await withCheckedContinuation { continuation in
            let once = Once()
            let timer = Task {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled, once.claim() {
                    continuation.resume(returning: .failure(APIError(status: 503, "request timed out after \(timeout)")))
                }
            }
            // On Dispatch's threads, not Swift's cooperative pool: a busy pool must not starve the timer.
            Self.compute.async {
                let result: Result<String, APIError>
                do throws(APIError) { result = .success(try endpoint(query)) } catch { result = .failure(error) }
                timer.cancel()
                if once.claim() { continuation.resume(returning: result) }
            }
        }
    }
}

/// A flag that can be claimed once (the first of two racing tasks resumes the continuation).
final class Once: Sendable {
    private let claimed = Mutex(false)
    func claim() -> Bool {
        claimed.withLock { done in
            if done { return false }
            done = true
            return true
        }
    }
}
