// Times one full training step (forward, backward, Adam update, float64) for the shapes of the
// performance issue and prints JSON, for compare.py to set next to NumPy and PyTorch:
//
//   (a) 10 hidden × 64, tanh, batch 128, 2 inputs, 1 output, MSE
//   (b) 4 hidden × 256, ReLU, batch 256, 2 inputs, 1 output, MSE
//   (c) 4 hidden × 1024, ReLU, batch 512, 64 inputs, 10 outputs, softmax cross-entropy
//
//     swift run -c release StepTimer [--seconds S] [--only a|b|c|…] [--threads 1|2]
import Descent
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Shape {
    let name: String
    let hidden: [Int]
    let activation: Activation
    let batch: Int
    var inputs = 2
    var outputs = 1
    var loss = Loss.meanSquaredError
    var residual = false
    var batchNorm = false
}

let shapes = [
    Shape(name: "a", hidden: Array(repeating: 64, count: 10), activation: .tanh, batch: 128),
    Shape(name: "b", hidden: Array(repeating: 256, count: 4), activation: .relu, batch: 256),
    Shape(name: "c", hidden: Array(repeating: 1024, count: 4), activation: .relu, batch: 512, inputs: 64, outputs: 10,
          loss: .softmaxCrossEntropy),
    Shape(name: "a-residual", hidden: Array(repeating: 64, count: 10), activation: .tanh, batch: 128, residual: true),
    Shape(name: "a-batchnorm", hidden: Array(repeating: 64, count: 10), activation: .tanh, batch: 128, batchNorm: true),
    Shape(name: "a-both", hidden: Array(repeating: 64, count: 10), activation: .tanh, batch: 128,
          residual: true, batchNorm: true),
    // The finder's digits shape (one network of the K = 42 ensemble).
    Shape(name: "digits", hidden: [32, 32], activation: .tanh, batch: 32, inputs: 64, outputs: 10,
          loss: .softmaxCrossEntropy),
]

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

var seconds = 3.0
if let i = CommandLine.arguments.firstIndex(of: "--seconds"), i + 1 < CommandLine.arguments.count,
   let s = Double(CommandLine.arguments[i + 1]) { seconds = s }

var only: String?
if let i = CommandLine.arguments.firstIndex(of: "--only"), i + 1 < CommandLine.arguments.count { only = CommandLine.arguments[i + 1] }

if let i = CommandLine.arguments.firstIndex(of: "--threads"), i + 1 < CommandLine.arguments.count {
    guard let t = Int(CommandLine.arguments[i + 1]), Kernels.setThreads(t) else {
        print("StepTimer: --threads must be 1 or 2")
        exit(2)
    }
}

var entries: [String] = []
for shape in shapes where only == nil || only == shape.name {
    let net = MLP(inputs: shape.inputs, hidden: shape.hidden, outputs: shape.outputs, activation: shape.activation,
                  residual: shape.residual, batchNorm: shape.batchNorm)
    var rng = SeededGenerator(seed: 0)
    var theta = net.initialParameters(shape.activation == .relu ? .heUniform : .xavierUniform, using: &rng)
    let x = Matrix(rows: shape.batch, columns: shape.inputs,
                   elements: (0..<(shape.inputs * shape.batch)).map { _ in rng.gaussian() })
    // MSE: Gaussian targets; softmax cross-entropy: one-hot classes.
    let y = Matrix(rows: shape.batch, columns: shape.outputs, elements: (0..<(shape.outputs * shape.batch)).map { i in
        shape.loss == .meanSquaredError ? rng.gaussian() : (i % shape.outputs == (i / shape.outputs) % shape.outputs ? 1 : 0)
    })
    let ws = MLP.Workspace(network: net, batchSize: shape.batch)
    var adam = Adam(learningRate: 1e-3)
    func step() {
        ws.lossAndGradient(theta, input: x, target: y, loss: shape.loss)
        adam.step(&theta, gradient: ws.gradient)
    }
    for _ in 0..<20 { step() }  // warm-up
    var times: [Double] = []
    let start = now()
    while now() - start < seconds {
        let t0 = now()
        step()
        times.append(now() - t0)
    }
    times.sort()
    let median = times[times.count / 2]
    let flops = net.layers.reduce(0.0) { $0 + 3 * 2 * Double(shape.batch) * Double($1.inputs * $1.outputs) }
    entries.append("\"\(shape.name)\": {\"median_seconds\": \(median), \"steps\": \(times.count), \"flops\": \(flops), \"parameters\": \(net.parameterCount)}")
}
print("{\"isa\": \"\(Kernels.instructionSet)\", \"threads\": \(Kernels.threads), " + entries.joined(separator: ", ") + "}")
