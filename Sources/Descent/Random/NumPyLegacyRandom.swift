import RealModule

/// NumPy's legacy random stream, as set by `np.random.seed(s)` and drawn by
/// `np.random.rand`/`np.random.randn`, so data made in NumPy can be reproduced.
///
/// - Bits: MT19937 (Matsumoto & Nishimura, 1998), seeded with `init_genrand(s)`.
/// - Doubles: `(a >> 5 · 2²⁶ + b >> 6) / 2⁵³` from two 32-bit words (`random_sample`).
/// - Gaussians: the polar method of NumPy's `legacy_gauss`: draw x₁, x₂ uniform in
///   (−1, 1) until r² = x₁² + x₂² ∈ (0, 1); f = √(−2 ln r² / r²); return f·x₂ and cache
///   f·x₁ for the next call.
///
/// After `NumPyLegacyRandom(seed: 1)`, the first ``gaussian()`` is 1.6243453636632417,
/// as `np.random.seed(1); np.random.randn()`. The logarithm is the platform's `log`,
/// as in NumPy itself, so values match NumPy built on the same C library.
public struct NumPyLegacyRandom: Sendable {
    private var mt = [UInt32](repeating: 0, count: 624)
    private var index = 624
    private var cachedGaussian: Double?

    /// Seeds the stream as `np.random.seed(seed)` does for an integer seed.
    public init(seed: UInt32) {
        mt[0] = seed
        for i in 1..<624 {
            mt[i] = 1_812_433_253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i)
        }
        index = 624
    }

    /// The next 32-bit word of MT19937 (`genrand_int32`).
    public mutating func nextUInt32() -> UInt32 {
        if index >= 624 { twist() }
        var y = mt[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    private mutating func twist() {
        let upper: UInt32 = 0x8000_0000, lower: UInt32 = 0x7FFF_FFFF
        for i in 0..<624 {
            let y = (mt[i] & upper) | (mt[(i + 1) % 624] & lower)
            var v = mt[(i + 397) % 624] ^ (y >> 1)
            if y & 1 != 0 { v ^= 0x9908_B0DF }
            mt[i] = v
        }
        index = 0
    }

    /// A uniform draw from `[0, 1)`, as `np.random.random_sample()`.
    public mutating func uniform() -> Double {
        let a = Double(nextUInt32() >> 5), b = Double(nextUInt32() >> 6)
        return (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// A standard normal draw, as `np.random.randn()` / `np.random.standard_normal()`.
    public mutating func gaussian() -> Double {
        if let z = cachedGaussian { cachedGaussian = nil; return z }
        while true {
            let x1 = 2 * uniform() - 1, x2 = 2 * uniform() - 1
            let r2 = x1 * x1 + x2 * x2
            if r2 >= 1 || r2 == 0 { continue }
            let f = (-2 * Double.log(r2) / r2).squareRoot()
            cachedGaussian = f * x1
            return f * x2
        }
    }

    /// `count` standard normal draws in order, as `np.random.randn(count)`.
    public mutating func gaussians(_ count: Int) -> [Double] {
        (0..<count).map { _ in gaussian() }
    }
}
