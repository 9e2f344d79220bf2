extension FastaiCurve {
    /// fastai's `slide` ("interval slide rule"): from the right end, slide a window of
    /// `difference` points to the left until the loss gradients at its two ends agree within
    /// `threshold`; suggest the rate at the window's left end where it stopped.
    ///
    /// With gᵢ = `np.gradient(L)` (unit spacing: central differences inside, one-sided at the
    /// ends), r = n−1, l = r − `difference`, α = α_l; while l ≥ 0 and |g_r − g_l| > threshold:
    /// α = α_l, r −= 1, l −= 1. The threshold is in loss units, as fastai's is.
    ///
    /// Returns nil when the curve has at most `difference` points (fastai raises there).
    public func slide(difference: Int = 15, threshold: Double = 0.005) -> RateSuggestion? {
        let n = losses.count
        guard n > difference, n >= 2 else { return nil }
        var g = [Double](repeating: 0, count: n)
        g[0] = losses[1] - losses[0]
        g[n - 1] = losses[n - 1] - losses[n - 2]
        for i in 1..<(n - 1) { g[i] = (losses[i + 1] - losses[i - 1]) / 2 }
        var r = n - 1, l = r - difference
        var picked = l
        while l >= 0 && abs(g[r] - g[l]) > threshold {
            picked = l
            r -= 1
            l -= 1
        }
        return point(picked)
    }
}
