/// A learning rate read off a range-test curve, with the point of the curve it picked —
/// fastai's `(lr, (lr, loss))`, so a plot can mark where each rule looked.
public struct RateSuggestion: Sendable, Equatable {
    /// The suggested learning rate.
    public var rate: Double
    /// The curve's rate at the picked point (equal to `rate` except for ``FastaiCurve/minimum()``,
    /// which suggests a tenth of it).
    public var pointRate: Double
    /// The (smoothed) loss at the picked point.
    public var pointLoss: Double
    /// The picked point's index in the full recorded curve (before trimming).
    public var index: Int

    public init(rate: Double, pointRate: Double, pointLoss: Double, index: Int) {
        self.rate = rate
        self.pointRate = pointRate
        self.pointLoss = pointLoss
        self.index = index
    }
}

/// A range-test curve as fastai's `Learner.lr_find` hands it to its suggestion functions.
///
/// fastai records the smoothed loss (β = 0.98, bias-corrected) at every sweep step, then
/// drops the first ⌊num_it/10⌋ and the last 5 points, and cuts the curve at its first NaN:
///
///     lrs, losses = lrs[num_it//10:-5], losses[num_it//10:-5]
///     losses = losses[:first NaN]
///
/// (fastai 2.8, `callback/schedule.py`). The rules ``valley()``, ``steep()``, ``minimum()`` and
/// ``slide(difference:threshold:)`` read this trimmed curve.
public struct FastaiCurve: Sendable, Equatable {
    /// Index of the first kept point in the full curve.
    public let offset: Int
    /// The kept rates.
    public let rates: [Double]
    /// The kept smoothed losses.
    public let losses: [Double]

    /// - Parameters:
    ///   - rates: αᵢ of every recorded sweep step.
    ///   - smoothed: the smoothed loss sᵢ of every recorded step.
    ///   - iterations: the sweep's requested number of steps (fastai's `num_it`), which may be
    ///     more than were recorded when the sweep stopped early.
    public init(rates: [Double], smoothed: [Double], iterations: Int) {
        precondition(rates.count == smoothed.count, "one loss per rate")
        let start = Swift.max(0, iterations / 10)
        var end = smoothed.count - 5                     // Python's [a:-5]
        end = Swift.max(end, start)
        if start < end, let nan = smoothed[start..<end].firstIndex(where: \.isNaN) { end = nan }
        offset = start
        self.rates = start < end ? Array(rates[start..<end]) : []
        losses = start < end ? Array(smoothed[start..<end]) : []
    }

    /// The curve of a Descent range test (its `steps` is `num_it`).
    public init(_ result: RangeTest.Result, iterations: Int) {
        self.init(rates: result.rates, smoothed: result.smoothed, iterations: iterations)
    }

    /// The suggestion for the kept point `i`.
    func point(_ i: Int, rate: Double? = nil) -> RateSuggestion {
        RateSuggestion(rate: rate ?? rates[i], pointRate: rates[i], pointLoss: losses[i], index: offset + i)
    }
}
