import RealModule

extension FastaiCurve {
    /// fastai's `steep`: the rate where the curve falls fastest per unit of ln α, by forward
    /// differences:
    ///
    ///     gᵢ = (L_{i+1} − L_i) / (ln α_{i+1} − ln α_i),   i = 0 … n−2;   pick i = argmin g
    ///
    /// (the first index on ties, like `torch.argmin`). Returns nil with fewer than 2 points.
    public func steep() -> RateSuggestion? {
        guard losses.count >= 2 else { return nil }
        var best = 0, bestSlope = Double.infinity
        for i in 0..<(losses.count - 1) {
            let g = (losses[i + 1] - losses[i]) / (Double.log(rates[i + 1]) - Double.log(rates[i]))
            if g < bestSlope { bestSlope = g; best = i }
        }
        return point(best)
    }
}
