extension FastaiCurve {
    /// fastai's `minimum`: a tenth of the rate at the lowest loss of the curve,
    ///
    ///     α = α_{argmin L} / 10
    ///
    /// (the first index on ties). The picked point is the minimum itself. Returns nil for an
    /// empty curve.
    public func minimum() -> RateSuggestion? {
        guard let i = losses.indices.min(by: { losses[$0] < losses[$1] }) else { return nil }
        return point(i, rate: rates[i] / 10)
    }
}
