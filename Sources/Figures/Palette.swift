/// How one series is drawn: a colour, a dash pattern and a marker, so that a grey-scale print
/// still tells series apart (by dash and marker) when the colours do not.
public struct Pen: Sendable, Equatable, Hashable {
    /// `#RRGGBB`.
    public var color: String
    /// gnuplot dash type: 1 solid, 2 dashed, 3 dotted, 4 dash-dot, 5 dash-dot-dot.
    public var dash: Int
    /// gnuplot point type (shown by `.points` and `.linesPoints` series).
    public var point: Int

    public init(color: String, dash: Int = 1, point: Int = 7) {
        self.color = color
        self.dash = dash
        self.point = point
    }

    /// The book-wide pen for a named optimizer, schedule, rate role or reference line
    /// (see ``Palette/named``). Unknown names stop the program: add the name to the palette, so
    /// the same thing has the same pen on every page.
    public static func named(_ name: String) -> Pen {
        guard let pen = Palette.named[name] else {
            preconditionFailure("no pen named '\(name)'; add it to Palette.named (Sources/Figures/Palette.swift)")
        }
        return pen
    }

    /// The same pen, dashed.
    public var dashed: Pen { Pen(color: color, dash: dash == 1 ? 2 : dash, point: point) }
}

/// The book's colours: one palette, one pen per name, used by every chapter.
///
/// Colours are Okabe & Ito's colour-blind-safe set (2008) with grey for the yellow that vanishes
/// on white, extended by three of Paul Tol's "muted" colours (indigo, wine, olive) so that the
/// schedules, which the book draws up to nine at a time, each get their own colour. Names fall in four families: optimizers, schedules, rate roles (a rate's place
/// relative to the stability limit) and reference lines. Within a family no two names share
/// a pen; across families a colour may repeat (they never share a plot).
public enum Palette {
    public static let blue = "#0072B2", vermillion = "#D55E00", green = "#009E73", purple = "#CC79A7"
    public static let orange = "#E69F00", sky = "#56B4E9", black = "#000000", grey = "#999999"
    /// Paul Tol's muted indigo, wine and olive: the colours beyond Okabe & Ito's eight.
    public static let indigo = "#332288", wine = "#882255", olive = "#999933"
    /// The eight colours in index order (for series without a name).
    public static let colors = [blue, vermillion, green, purple, orange, sky, black, grey]
    /// Marker shapes in index order: filled circle, square, triangle, inverted triangle, diamond,
    /// pentagon, open circle, open square.
    public static let points = [7, 5, 9, 11, 13, 15, 6, 4]

    /// The pen of the `index`-th unnamed series: colour, dash and marker all change with the
    /// index, so neighbours differ in grey scale too.
    public static func pen(index: Int) -> Pen {
        let k = ((index % 40) + 40) % 40
        return Pen(color: colors[k % colors.count], dash: k % 5 + 1, point: points[k % points.count])
    }

    /// Optimizers.
    public static let optimizers: [String: Pen] = [
        "SGD": Pen(color: black, dash: 1, point: 7),
        "momentum": Pen(color: sky, dash: 1, point: 5),
        "Nesterov": Pen(color: sky, dash: 2, point: 4),
        "AdaGrad": Pen(color: green, dash: 1, point: 9),
        "article AdaGrad": Pen(color: green, dash: 2, point: 8),
        "RMSprop": Pen(color: orange, dash: 1, point: 11),
        "article RMSprop": Pen(color: orange, dash: 2, point: 10),
        "Adam": Pen(color: blue, dash: 1, point: 13),
        "article Adam": Pen(color: blue, dash: 2, point: 12),
        "Keras Adam": Pen(color: blue, dash: 4, point: 6),
        "AMSGrad": Pen(color: vermillion, dash: 2, point: 15),  // dashed: drawn beside solid Adam
        "AdamW": Pen(color: purple, dash: 1, point: 3),
        "least squares": Pen(color: grey, dash: 4, point: 1),
    ]

    /// Schedules (and families of them).
    public static let schedules: [String: Pen] = [
        "constant": Pen(color: black, dash: 1, point: 7),
        "polynomial": Pen(color: blue, dash: 1, point: 5),
        "polynomial γ = 0.5": Pen(color: indigo, dash: 3, point: 4),
        "polynomial γ = 2": Pen(color: olive, dash: 2, point: 13),
        "exponential": Pen(color: green, dash: 1, point: 9),
        "step": Pen(color: purple, dash: 1, point: 11),
        "cosine": Pen(color: vermillion, dash: 1, point: 13),
        "SGDR": Pen(color: orange, dash: 2, point: 15),
        "warm-up + cosine": Pen(color: wine, dash: 4, point: 6),
        "article's restart rule": Pen(color: sky, dash: 1, point: 8),
        "reduce on plateau": Pen(color: grey, dash: 5, point: 12),
        "one-cycle": Pen(color: purple, dash: 2, point: 10),
    ]

    /// A rate by its role relative to the stability limit 2/L.
    public static let rates: [String: Pen] = [
        "slow rate": Pen(color: sky, dash: 3, point: 4),
        "good rate": Pen(color: green, dash: 1, point: 7),
        "best rate": Pen(color: blue, dash: 1, point: 5),
        "edge rate": Pen(color: orange, dash: 4, point: 9),
        "diverging rate": Pen(color: vermillion, dash: 2, point: 11),
    ]

    /// Reference lines and auxiliary quantities.
    public static let references: [String: Pen] = [
        "reference": Pen(color: grey, dash: 3, point: 6),
        "noise floor": Pen(color: grey, dash: 2, point: 6),
        "learning rate": Pen(color: blue, dash: 1, point: 7),
        "loss": Pen(color: grey, dash: 1, point: 6),
    ]

    /// Every name, across the four families.
    public static let named: [String: Pen] = optimizers
        .merging(schedules) { a, _ in a }
        .merging(rates) { a, _ in a }
        .merging(references) { a, _ in a }
}
