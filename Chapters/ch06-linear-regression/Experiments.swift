import Descent

/// The article's §4 listing, in Swift: `np.random.seed(1)`, X = randn(100, 1),
/// y = 3X + 2 + 0.5·randn(100, 1); a `Dense(1)` model; full-batch Adam at 0.01 for 1000 steps.
struct Listing {
    let data = Datasets.linearRecipe(count: 100, numpySeed: 1)
    /// One weight and one bias: parameters [w, b].
    let model = MLP(sizes: [1, 1], activations: [.identity])

    var x: [Double] { data.inputs.elements }
    var y: [Double] { data.targets.elements }

    /// MSE of the line w·x + b on the data.
    func loss(_ p: [Double]) -> Double {
        Loss.meanSquaredError.value(output: model.predict(p, data.inputs), target: data.targets)
    }

    /// Full-batch training from w = b = 0, recording (w, b) and the loss before every step;
    /// `observe` sees the optimizer after every step.
    func fit<O: Optimizer>(_ optimizer: O, steps: Int = 1000, observe: (O) -> Void = { _ in })
        -> (parameters: [Double], path: [[Double]], losses: [Double]) {
        var opt = optimizer
        var p = [0.0, 0.0]
        var path: [[Double]] = [], losses: [Double] = []
        let ws = MLP.Workspace(network: model, batchSize: data.count)
        for _ in 0..<steps {
            let l = ws.lossAndGradient(p, input: data.inputs, target: data.targets, loss: .meanSquaredError)
            path.append(p)
            losses.append(l)
            opt.step(&p, gradient: ws.gradient)
            observe(opt)
        }
        path.append(p)
        losses.append(loss(p))
        return (p, path, losses)
    }
}
