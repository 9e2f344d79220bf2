/// Where a plot's legend goes so that it covers no data.
///
/// The legend's box is estimated from its entries (longest title, number of lines) and the
/// size of the panel; the data from every drawn segment, bar, band edge and marker line, in
/// axis fractions (after the log transform of a log axis). The requested corner is used when
/// its box meets no data; otherwise the first free corner; otherwise the legend goes below the
/// plot. A plot with a contour map or a heat map is data everywhere, so its legend goes below.
public enum KeyPlacement {
    /// Approximate glyph width and line height of the SVG's 12-point text, in pixels.
    static let charWidth = 7.0, lineHeight = 17.0
    /// The widest inside legend, as a fraction of the plot's width by the estimate below; wider
    /// ones go below the plot. (ch11's noise-floor panel lost its legend in the PNG at 0.905.)
    static let maxInsideWidth = 0.8

    /// The legend position for `plot` drawn in a panel of `panel` pixels.
    public static func resolve(_ plot: Plot, panel: (width: Int, height: Int)) -> Plot.Key {
        switch plot.key {
        case .none where plot.markers.isEmpty: return .none
        case .outside, .below: return plot.key
        default: break
        }
        if plot.contour != nil || plot.heatmap != nil { return .below }
        let titles = plot.series.filter(\.hasFiniteData).map(\.title) + plot.markers.map(\.label)
        guard !titles.isEmpty else { return plot.key == .auto || plot.key == .none ? .topRight : plot.key }
        // The plotting area inside the panel: margins for the title, tick labels and axis labels.
        let width = max(60, Double(panel.width) - 110), height = max(60, Double(panel.height) - 105)
        let longest = Double(titles.map(\.count).max() ?? 0)
        let kw = min(1, ((longest + 6) * charWidth) / width) + 0.02
        let kh = min(1, (Double(titles.count) * lineHeight + 10) / height) + 0.02
        // gnuplot drops an inside legend that it cannot fit across the plot (its box is wider than
        // this estimate: sample, gaps and padding), without a word: a legend that wide goes below.
        if kw > maxInsideWidth { return .below }
        let segments = dataSegments(plot)
        let corners: [Plot.Key] = [.topRight, .topLeft, .bottomRight, .bottomLeft]
        let order = plot.key == .auto || plot.key == .none ? corners : [plot.key] + corners.filter { $0 != plot.key }
        for key in order {
            let box = cornerBox(key, kw, kh)
            if !segments.contains(where: { intersects($0, box) }) { return key }
        }
        return .below
    }

    /// Rows of a legend drawn below a panel: two entries a row when two fit side by side, else one.
    /// Series with an empty title have no legend entry (gnuplot draws none), so they take no row.
    public static func belowRows(_ plot: Plot, panel: (width: Int, height: Int)) -> Int {
        let titles = plot.series.filter(\.hasFiniteData).map(\.title).filter { !$0.isEmpty }
            + plot.markers.map(\.label)
        let longest = Double(titles.map(\.count).max() ?? 0)
        let twoFit = 2 * (longest + 8) * charWidth < Double(panel.width) - 40
        return twoFit ? (titles.count + 1) / 2 : titles.count
    }

    /// Lines of text gnuplot's `set key … spacing` puts between two legend rows.
    public static let keySpacing = 1.15

    /// The bottom margin, in character heights, of a panel whose legend sits below it in `rows`
    /// rows. gnuplot draws such a legend up from the bottom edge of the panel and the x tick labels
    /// and x label down from the axis, so the margin must hold both: 3 lines for the tick labels,
    /// the x label and their gaps, `keySpacing` lines per legend row, and a spare line between the
    /// x label and the legend's first row so the legend never covers the label.
    public static func belowMargin(rows: Int) -> Int {
        Int((4.5 + 1.2 * Double(max(0, rows))).rounded(.up))
    }

    /// A tick spacing (1, 2 or 5 × 10ᵏ) giving about one labelled tick per 80 pixels of a linear
    /// axis spanning `range` (one per 80 pixels), or nil when the range is empty.
    public static func tickStep(_ range: (Double, Double), pixels: Double) -> Double? {
        let span = range.1 - range.0
        guard span > 0, span.isFinite else { return nil }
        let raw = span / max(2, (pixels / 80).rounded(.down))
        let p = _pow(10, (_log10(raw)).rounded(.down))
        return [1.0, 2, 5, 10].map { $0 * p }.first { $0 >= raw } ?? 10 * p
    }

    /// The x range gnuplot will show for a linear axis: the plot's own, or the finite data's.
    static func xExtent(_ plot: Plot) -> (Double, Double)? {
        if let r = plot.xRange { return (r.lowerBound, r.upperBound) }
        let xs = plot.series.flatMap { s in
            s.x.indices.filter { s.x[$0].isFinite && s.y[$0].isFinite }.map { s.x[$0] }
        } + (plot.heatmap?.xs ?? [])
        guard let lo = xs.min(), let hi = xs.max() else { return nil }
        return (lo, hi)
    }

    typealias Box = (x0: Double, x1: Double, y0: Double, y1: Double)
    typealias Segment = (ax: Double, ay: Double, bx: Double, by: Double)

    static func cornerBox(_ key: Plot.Key, _ kw: Double, _ kh: Double) -> Box {
        switch key {
        case .topLeft: return (0, kw, 1 - kh, 1)
        case .bottomRight: return (1 - kw, 1, 0, kh)
        case .bottomLeft: return (0, kw, 0, kh)
        default: return (1 - kw, 1, 1 - kh, 1)
        }
    }

    /// Every drawn piece of data as segments in axis fractions (0…1 inside the box).
    static func dataSegments(_ plot: Plot) -> [Segment] {
        func transform(_ v: Double, _ scale: Plot.Scale) -> Double? {
            guard v.isFinite else { return nil }
            if scale == .log { return v > 0 ? _log10(v) : nil }
            return v
        }
        // Raw pieces in data coordinates (after the log transform).
        var pieces: [(Double, Double, Double, Double)] = []
        var xs: [Double] = [], ys: [Double] = []
        for s in plot.series {
            var lines: [[Double]] = [s.y]
            if s.style == .band { lines += [s.low, s.high] }
            for line in lines {
                var previous: (Double, Double)?
                for i in s.x.indices {
                    guard let x = transform(s.x[i], plot.xScale), let y = transform(line[i], plot.yScale) else {
                        previous = nil
                        continue
                    }
                    xs.append(x)
                    ys.append(y)
                    switch s.style {
                    case .points: pieces.append((x, y, x, y))
                    case .boxes:
                        // A filled bar as vertical strokes across its width (adjacent bars touch).
                        let gaps = zip(s.x.dropFirst(), s.x).map { $0 - $1 }.filter { $0 > 0 && $0.isFinite }
                        let half = (gaps.min() ?? 1) / 2
                        let base = plot.yScale == .log ? (ys.min() ?? y) : 0
                        for j in 0...16 {
                            let xj = s.x[i] - half + 2 * half * Double(j) / 16
                            // gnuplot autoscales on the centres
                            if let tx = transform(xj, plot.xScale) { pieces.append((tx, base, tx, y)) }
                        }
                        if plot.yScale == .linear { ys.append(0) }
                    case .steps:
                        if let p = previous { pieces.append((p.0, p.1, x, p.1)); pieces.append((x, p.1, x, y)) }
                        else { pieces.append((x, y, x, y)) }
                    default:
                        if let p = previous { pieces.append((p.0, p.1, x, y)) } else { pieces.append((x, y, x, y)) }
                    }
                    previous = (x, y)
                }
            }
        }
        /// A fixed range after the axis' transform, or nil when there is none (or it cannot be drawn).
        func fixed(_ range: ClosedRange<Double>?, _ scale: Plot.Scale) -> (Double, Double)? {
            guard let r = range, let a = transform(r.lowerBound, scale), let b = transform(r.upperBound, scale) else {
                return nil
            }
            return (a, b)
        }
        let xr = fixed(plot.xRange, plot.xScale) ?? (xs.min() ?? 0, xs.max() ?? 1)
        var yr = fixed(plot.yRange, plot.yScale) ?? (ys.min() ?? 0, ys.max() ?? 1)
        if plot.yRange == nil && plot.series.contains(where: { $0.style == .boxes }) && plot.yScale == .linear {
            yr.0 = min(yr.0, 0)
        }
        let dx = xr.1 - xr.0, dy = yr.1 - yr.0
        func fx(_ x: Double) -> Double { dx > 0 ? (x - xr.0) / dx : 0.5 }
        func fy(_ y: Double) -> Double { dy > 0 ? (y - yr.0) / dy : 0.5 }
        var out = pieces.map { (fx($0.0), fy($0.1), fx($0.2), fy($0.3)) }
        for m in plot.markers {
            if let x = transform(m.x, plot.xScale) { out.append((fx(x), 0, fx(x), 1)) }
        }
        return out
    }

    /// Whether segment `s` meets the box (Liang–Barsky clipping).
    static func intersects(_ s: Segment, _ b: Box) -> Bool {
        var t0 = 0.0, t1 = 1.0
        let dx = s.bx - s.ax, dy = s.by - s.ay
        for (p, q) in [(-dx, s.ax - b.x0), (dx, b.x1 - s.ax), (-dy, s.ay - b.y0), (dy, b.y1 - s.ay)] {
            if p == 0 {
                if q < 0 { return false }
            } else {
                let r = q / p
                if p < 0 { t0 = max(t0, r) } else { t1 = min(t1, r) }
                if t0 > t1 { return false }
            }
        }
        return true
    }
}

extension Series {
    /// Whether any point of the series can be drawn.
    var hasFiniteData: Bool { x.indices.contains { x[$0].isFinite && y[$0].isFinite } }
}
