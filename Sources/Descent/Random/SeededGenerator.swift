/// A seeded pseudo-random generator that gives the same stream on every platform.
///
/// The state is xoshiro256** (Blackman & Vigna, 2018), seeded by expanding the 64-bit
/// seed with SplitMix64. Doubles are the top 53 bits scaled to `[0, 1)`. Gaussian draws
/// use Marsaglia's polar method with ``portableLog(_:)`` — plain IEEE arithmetic and a
/// correctly rounded square root — so the stream does not depend on the platform's `libm`.
///
/// ```swift
/// var rng = SeededGenerator(seed: 42)
/// let u = rng.uniform()          // in [0, 1)
/// let z = rng.gaussian()         // N(0, 1)
/// ```
///
/// It conforms to `RandomNumberGenerator`, but the standard library's `random(in:)`
/// algorithms are not documented to be stable across releases; use the methods here
/// for anything that must reproduce.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64
    private var cachedGaussian: Double?

    /// Creates a generator whose whole stream is determined by `seed`.
    public init(seed: UInt64) {
        var sm = SplitMix64(state: seed)
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
        cachedGaussian = nil
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// A uniform draw from `[0, 1)` with 53 random bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform draw from `[lower, upper)`.
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * uniform()
    }

    /// A uniform integer in `0..<bound` (Lemire's unbiased multiply-and-reject).
    public mutating func integer(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// A standard normal draw, N(0, 1) (Marsaglia's polar method; the second value of
    /// each pair is cached and returned by the next call).
    public mutating func gaussian() -> Double {
        if let z = cachedGaussian { cachedGaussian = nil; return z }
        while true {
            let x1 = 2 * uniform() - 1, x2 = 2 * uniform() - 1
            let r2 = x1 * x1 + x2 * x2
            if r2 >= 1 || r2 == 0 { continue }
            let f = (-2 * portableLog(r2) / r2).squareRoot()
            cachedGaussian = f * x1
            return f * x2
        }
    }

    /// A normal draw with the given mean and standard deviation.
    public mutating func gaussian(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * gaussian()
    }

    /// A uniformly random permutation of `0..<count` (Fisher–Yates, using ``integer(below:)``).
    public mutating func permutation(_ count: Int) -> [Int] {
        var p = Array(0..<count)
        var i = count - 1
        while i > 0 {
            let j = integer(below: i + 1)
            p.swapAt(i, j)
            i -= 1
        }
        return p
    }
}

@inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
}

/// SplitMix64 (Steele, Lea & Flood, 2014): used to expand one seed into xoshiro's state.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The natural logarithm computed with IEEE-754 arithmetic only, so it gives the same
/// bits on every platform (unlike `libm`'s `log`, whose last bit may differ).
///
/// With x = m·2ᵉ, m ∈ [√½, √2): log x = e·ln 2 + 2·atanh(s), s = (m − 1)/(m + 1),
/// summing the atanh series to s²³. Error ≤ 2 ulp for normal positive x.
///
/// - Precondition: `x` is finite and positive.
public func portableLog(_ x: Double) -> Double {
    precondition(x > 0 && x.isFinite, "portableLog needs a finite positive argument")
    var e = Int(x.exponent)
    var m = x.significand  // in [1, 2)
    if m > 1.4142135623730951 { m /= 2; e += 1 }
    let s = (m - 1) / (m + 1)
    let s2 = s * s
    // 2·(s + s³/3 + … + s²³/23), Horner from the highest term. The coefficients are written out:
    // the loop that computed 1/k at every step spent most of its time dividing (a quarter of
    // chapter 11, whose noise draws call this), and each literal is the same correctly rounded 1/k.
    var series = 1.0 / 23
    series = series * s2 + 1.0 / 21
    series = series * s2 + 1.0 / 19
    series = series * s2 + 1.0 / 17
    series = series * s2 + 1.0 / 15
    series = series * s2 + 1.0 / 13
    series = series * s2 + 1.0 / 11
    series = series * s2 + 1.0 / 9
    series = series * s2 + 1.0 / 7
    series = series * s2 + 1.0 / 5
    series = series * s2 + 1.0 / 3
    series = series * s2 + 1.0 / 1
    let logM = 2 * s * series
    let ln2Hi = 6.93147180369123816490e-01, ln2Lo = 1.90821492927058770002e-10
    return Double(e) * ln2Hi + (logM + Double(e) * ln2Lo)
}
