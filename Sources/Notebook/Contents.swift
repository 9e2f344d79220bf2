/// One chapter of the book: what `book` lists and what the chapter's page header shows.
public struct ChapterInfo: Sendable, Equatable {
    /// 0 for the tour, then 1…11.
    public let number: Int
    /// The executable target's name and the folder under `output/`, e.g. `ch02-fixed-vs-decayed-rates`.
    public let slug: String
    public let title: String
    /// One sentence for the table of contents.
    public let summary: String
    /// The figure (name without extension) shown next to the chapter in the contents.
    public let mainFigure: String
    /// The article section it reproduces.
    public let articleSection: String

    public init(number: Int, slug: String, title: String, summary: String, mainFigure: String, articleSection: String) {
        self.number = number
        self.slug = slug
        self.title = title
        self.summary = summary
        self.mainFigure = mainFigure
        self.articleSection = articleSection
    }
}

/// The book's table of contents: the single list that `book` runs and every chapter's page
/// header reads.
public enum Book {
    public static let title = "Descent — vanishing gradients and learning-rate tuning, runnable"

    public static let chapters: [ChapterInfo] = [
        ChapterInfo(number: 0, slug: "ch00-tour", title: "A tour: one function, three learning rates",
                    summary: "Gradient descent on 0.1x² + 2y² at a small, a good and a too-large rate, and why 2/L is the limit.",
                    mainFigure: "trajectories", articleSection: "§3.1"),
        ChapterInfo(number: 1, slug: "ch01-vanishing-gradients", title: "Vanishing and exploding gradients, measured",
                    summary: "Per-layer gradient norms of a 10-layer MLP for sigmoid/tanh/ReLU × four initialisations; explosions and clipping.",
                    mainFigure: "norms-at-init", articleSection: "§2.1, FAQ Q1, Q2, Q5"),
        ChapterInfo(number: 2, slug: "ch02-fixed-vs-decayed-rates", title: "Fixed versus decayed learning rates",
                    summary: "The stability limit 2/L measured by bisection, every schedule (the article's \"exponential\" is polynomial), and training under each.",
                    mainFigure: "gd-trajectories", articleSection: "§2.2, §3.1, §3.2 (1–3)"),
        ChapterInfo(number: 3, slug: "ch03-adagrad", title: "AdaGrad: a rate per coordinate, decaying for ever",
                    summary: "Per-coordinate rates on an ill-conditioned quadratic, the 1/√t decay measured, rare features, and where ε goes.",
                    mainFigure: "effective-rate", articleSection: "§3.2 (4)"),
        ChapterInfo(number: 4, slug: "ch04-rmsprop", title: "RMSprop: the moving average the article forgot",
                    summary: "The article's RMSprop still decays like AdaGrad; the real one's memory of 1/(1 − ρ) steps; a first step of 10α.",
                    mainFigure: "article-vs-rmsprop", articleSection: "§3.2 (5)"),
        ChapterInfo(number: 5, slug: "ch05-adam", title: "Adam: bias correction, a race, and a counterexample",
                    summary: "The article's uncorrected Adam steps 3.16α at first; seven optimizers race on Rosenbrock; Adam fails where AMSGrad converges.",
                    mainFigure: "reddi", articleSection: "§3.2 (6)"),
        ChapterInfo(number: 6, slug: "ch06-linear-regression", title: "The article's listing, run and corrected",
                    summary: "The Keras listing on the same NumPy data: Adam (PyTorch and Keras defaults) vs least squares, and the bug that prints predictions as the loss.",
                    mainFigure: "path", articleSection: "§4"),
        ChapterInfo(number: 7, slug: "ch07-finding-the-learning-rate", title: "Finding the learning rate",
                    summary: "The range test checked against a grid search and the analytic optimum; the one-cycle policy; a recipe.",
                    mainFigure: "grid", articleSection: "title, FAQ Q4"),
        ChapterInfo(number: 8, slug: "ch08-fixing-vanishing-gradients", title: "Fixing vanishing gradients",
                    summary: "Initialisation, residual connections, batch norm, clipping and Adam on a 10-layer network on the digits, one at a time and together.",
                    mainFigure: "rms-at-init", articleSection: "§5, FAQ Q5"),
        ChapterInfo(number: 9, slug: "ch09-momentum", title: "Momentum: a larger stable rate and √κ",
                    summary: "Heavy ball and Nesterov: the limit 2(1 + β)/L by bisection, the optimal (α, β) and its rate, the (α, β) plane, Rosenbrock, noisy gradients.",
                    mainFigure: "rate-plane", articleSection: "§3.2 (6); momentum as used in ch05 and ch07"),
        ChapterInfo(number: 10, slug: "ch10-batch-size-and-warm-up", title: "Batch size, learning rate and warm-up",
                    summary: "The linear scaling rule measured on the digits: where the best rate grows with the batch and where it stops; why warm-up saves a large rate.",
                    mainFigure: "best-rate", articleSection: "reference [5]"),
        ChapterInfo(number: 11, slug: "ch11-faq", title: "The FAQ, answered",
                    summary: "§6 Q1–Q5 with what the book measured; nine strategies on three problems; Q4's advice checked against the noise floor.",
                    mainFigure: "q4", articleSection: "§5, §6 Q1–Q5"),
    ]

    /// The chapter with this slug.
    public static func chapter(_ slug: String) -> ChapterInfo {
        guard let c = chapters.first(where: { $0.slug == slug }) else {
            preconditionFailure("unknown chapter \(slug); add it to Book.chapters")
        }
        return c
    }
}
