extension FastaiCurve {
    /// fastai's default rule, `valley`: the rate about 1/3 + 1/6 of the way into the longest
    /// valley of the curve.
    ///
    /// 1. `lds[i]` is the length of the longest strictly decreasing subsequence ending at i:
    ///    `lds[i] = max(1, max over j < i with L_i < L_j of lds[j] + 1)` — O(n²).
    /// 2. The valley ends at the first i with the largest `lds`; fastai sets its start to
    ///    end − lds (one before the subsequence's first point) and updates the running
    ///    maximum inside the inner loop; both quirks are kept.
    /// 3. With s = (end − start)/3, the picked index is start + ⌊s⌋ + ⌊s/2⌋.
    ///
    /// Returns nil for an empty curve (where fastai raises an index error).
    /// - Complexity: O(n²) in the number of kept points.
    public func valley() -> RateSuggestion? {
        let n = losses.count
        guard n > 0 else { return nil }
        var lds = [Int](repeating: 1, count: n)
        var maxStart = 0, maxEnd = 0
        for i in 1..<Swift.max(1, n) {
            for j in 0..<i {
                if losses[i] < losses[j] && lds[i] < lds[j] + 1 { lds[i] = lds[j] + 1 }
                if lds[maxEnd] < lds[i] { maxEnd = i; maxStart = maxEnd - lds[maxEnd] }
            }
        }
        let sections = Double(maxEnd - maxStart) / 3
        let i = maxStart + Int(sections) + Int(sections / 2)
        // fastai's start is −1 when the valley begins at the first point; for a valley of two
        // points the index is then −1, which Python reads as the last point. Kept, for parity.
        return point(i < 0 ? i + n : i)
    }
}
