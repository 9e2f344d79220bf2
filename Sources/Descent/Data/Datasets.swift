import RealModule

/// The synthetic data sets of the book. All are seeded: the same generator state gives
/// the same data on every platform.
public enum Datasets {
    /// The article's linear recipe (§4): x ~ N(0, 1), y = 3x + 2 + 0.5·ε, ε ~ N(0, 1),
    /// drawn from NumPy's legacy stream exactly as
    /// `np.random.seed(s); X = np.random.randn(n, 1); y = 3*X + 2 + 0.5*np.random.randn(n, 1)`.
    public static func linearRecipe(count: Int, numpySeed: UInt32) -> Dataset {
        var rng = NumPyLegacyRandom(seed: numpySeed)
        let x = rng.gaussians(count)
        let noise = rng.gaussians(count)
        let y = zip(x, noise).map { 3 * $0 + 2 + 0.5 * $1 }
        return Dataset(inputs: Matrix(rows: count, columns: 1, elements: x),
                       targets: Matrix(rows: count, columns: 1, elements: y))
    }

    /// The same recipe drawn from a ``SeededGenerator``.
    public static func linearRecipe(count: Int, rng: inout SeededGenerator) -> Dataset {
        let x = (0..<count).map { _ in rng.gaussian() }
        let y = x.map { 3 * $0 + 2 + 0.5 * rng.gaussian() }
        return Dataset(inputs: Matrix(rows: count, columns: 1, elements: x),
                       targets: Matrix(rows: count, columns: 1, elements: y))
    }

    /// Two interleaved spirals, `count/2` points per class (targets 0 and 1).
    ///
    /// Class c's point at u ~ U(0, 1): r = u, θ = `turns`·2π·u + cπ, (x, y) = r(cos θ, sin θ)
    /// plus N(0, `noise`²) on each coordinate. Not linearly separable; a classic test of
    /// depth and optimizers.
    public static func spirals(count: Int, turns: Double = 1.5, noise: Double = 0.05,
                               rng: inout SeededGenerator) -> Dataset {
        precondition(count >= 2 && count % 2 == 0, "spirals needs an even count ≥ 2")
        var x: [Double] = [], y: [Double] = []
        for i in 0..<count {
            let c = i % 2
            let u = rng.uniform()
            let r = u
            let theta = turns * 2 * Double.pi * u + Double(c) * Double.pi
            x.append(r * Double.cos(theta) + noise * rng.gaussian())
            x.append(r * Double.sin(theta) + noise * rng.gaussian())
            y.append(Double(c))
        }
        return Dataset(inputs: Matrix(rows: count, columns: 2, elements: x),
                       targets: Matrix(rows: count, columns: 1, elements: y))
    }

    /// Two interleaving half circles ("moons", as scikit-learn's `make_moons`), targets 0
    /// and 1, with N(0, `noise`²) added to each coordinate.
    public static func moons(count: Int, noise: Double = 0.1, rng: inout SeededGenerator) -> Dataset {
        precondition(count >= 2 && count % 2 == 0, "moons needs an even count ≥ 2")
        var x: [Double] = [], y: [Double] = []
        for i in 0..<count {
            let c = i % 2
            let t = Double.pi * rng.uniform()
            let (px, py) = c == 0 ? (Double.cos(t), Double.sin(t)) : (1 - Double.cos(t), 0.5 - Double.sin(t))
            x.append(px + noise * rng.gaussian())
            x.append(py + noise * rng.gaussian())
            y.append(Double(c))
        }
        return Dataset(inputs: Matrix(rows: count, columns: 2, elements: x),
                       targets: Matrix(rows: count, columns: 1, elements: y))
    }

    /// A teacher–student regression set: inputs x ~ N(0, I), targets y = teacher(x) + N(0,
    /// `noise`²), where the teacher is a random tanh MLP (`inputs` → `hidden` → 1, Xavier
    /// normal weights). A student of the same shape can reach the noise floor `noise²`.
    public static func teacherRegression(count: Int, inputs: Int = 2, hidden: [Int] = [16],
                                         noise: Double = 0.1, rng: inout SeededGenerator) -> Dataset {
        let teacher = MLP(inputs: inputs, hidden: hidden, outputs: 1, activation: .tanh)
        let weights = teacher.initialParameters(.xavierNormal, using: &rng)
        let x = Matrix(rows: count, columns: inputs, elements: (0..<(count * inputs)).map { _ in rng.gaussian() })
        var y = teacher.predict(weights, x)
        for i in 0..<count { y[i, 0] += noise * rng.gaussian() }
        return Dataset(inputs: x, targets: y)
    }
}
