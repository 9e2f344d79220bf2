/// The playground views (`Scripts/playground`, served at http://127.0.0.1:8080/ by default) that draw
/// a chapter's figure live: the same function, start, steps and runs, with every slider free to move.
/// Each figure listed here gets a "try it in the playground" link under its caption; the playground
/// rewrites the address to its own when it serves the book.
///
/// Figures of networks, data sets and linear regression have no view (the playground runs the 2-D
/// test functions): chapters 1, 6, 8, 10 and 11, and chapter 7's range tests on digits (its range test
/// on the quadratic has one).
public enum PlaygroundViews {
    /// Where `Scripts/playground` serves the page unless told otherwise.
    public static let base = "http://127.0.0.1:8080/"

    /// "slug/figure" → the page's query (its URL state: see Playground/README.md).
    public static let queries: [String: String] = [
        "ch00-tour/trajectories":
            "function=quadratic&steps=60&start=-5,-2&run=sgd:lr=0.05&run=sgd:lr=0.4&run=sgd:lr=0.51",
        "ch02-fixed-vs-decayed-rates/gd-trajectories":
            "function=quadratic&steps=30&start=-5,-2&run=sgd:lr=0.05&run=sgd:lr=0.4&run=sgd:lr=0.49&run=sgd:lr=0.51",
        "ch03-adagrad/sgd-vs-adagrad":
            "function=quadratic&steps=100&start=-5,-2&run=sgd:lr=0.45&run=adagrad:lr=2",
        "ch04-rmsprop/trajectories":
            "function=rosenbrock&steps=3000&start=-1.5,2&run=adagrad:lr=0.5&run=rmsprop:lr=0.005",
        "ch05-adam/race":
            "function=rosenbrock&steps=1000&start=-1.5,2&run=sgd:lr=0.001&run=sgd:lr=0.001,momentum=0.9"
            + "&run=sgd:lr=0.001,momentum=0.9,nesterov=true&run=adagrad:lr=1&run=rmsprop:lr=0.001&run=adam:lr=2.15",
        "ch07-finding-the-learning-rate/smoothing-lag":
            "function=quadratic&steps=50&start=-5,-2&run=sgd:lr=0.4#finder-figure",
        "ch09-momentum/optimal":
            "function=quadratic&steps=60&start=-5,-2&run=sgd:lr=0.476&run=sgd:lr=0.6679,momentum=0.4026"
            + "&run=sgd:lr=0.365,momentum=0.4026,nesterov=true",
        "ch09-momentum/rate-plane":
            "function=quadratic&steps=60&start=-5,-2&run=sgd:lr=0.476&run=sgd:lr=0.6679,momentum=0.4026",
        "ch09-momentum/noise":
            "function=quadratic&steps=2000&noise=1&start=-5,-2&run=sgd:lr=0.05&run=sgd:lr=0.005,momentum=0.9"
            + "&run=sgd:lr=0.05,momentum=0.9",
    ]

    /// The view of figure `name` of chapter `slug`, or nil when the playground has none.
    public static func url(slug: String, figure name: String) -> String? {
        queries["\(slug)/\(name)"].map { base + "?" + $0 }
    }
}
