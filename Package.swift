// swift-tools-version: 6.1
//
// Descent — vanishing gradients and learning-rate tuning as a runnable book.
//
// Layers (arrows point down only):
//   Chapters/, lab, book   executables: prose + calls
//   Notebook               a chapter's page: prose, tables, figures, claims
//   Publishing             writing a chapter or a site whole (staging, atomic swap, signals)
//   BookSite               the pages as HTML (book --html and the Playground)
//   LabKit                 lab's commands as typed options and functions to rows (lab and the Playground)
//   Figures                figures → gnuplot scripts, data, rendered files
//   Descent                the math: no I/O, no printing, no processes
//   CKernels               Descent's matrix kernels, in C
import PackageDescription

/// The chapters, in reading order; each is an executable under Chapters/<slug>/.
let chapters = [
    "ch00-tour",
    "ch01-vanishing-gradients",
    "ch02-fixed-vs-decayed-rates",
    "ch03-adagrad",
    "ch04-rmsprop",
    "ch05-adam",
    "ch06-linear-regression",
    "ch07-finding-the-learning-rate",
    "ch08-fixing-vanishing-gradients",
    "ch09-momentum",
    "ch10-batch-size-and-warm-up",
    "ch11-faq",
]

let package = Package(
    name: "Descent",
    products: [
        .library(name: "Descent", targets: ["Descent"]),
        .library(name: "Figures", targets: ["Figures"]),
        .library(name: "Notebook", targets: ["Notebook"]),
        .library(name: "BookSite", targets: ["BookSite"]),
        .library(name: "LabKit", targets: ["LabKit"]),
        .executable(name: "lab", targets: ["lab"]),
        .executable(name: "book", targets: ["book"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
    ],
    targets: [
        // Hand-written SIMD kernels (AVX-512 / AVX2+FMA picked at run time, portable C otherwise).
        // Optimised in debug builds too, so tests and quick runs are not 10× slower.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O2"])]),
        .target(
            name: "Descent",
            dependencies: ["CKernels", .product(name: "RealModule", package: "swift-numerics")]
        ),
        // lab's commands as values: options with their defaults, checks and help, and the commands as
        // functions from options to rows. lab parses argv into them; the Playground decodes queries into them.
        .target(name: "LabKit", dependencies: ["Descent"]),
        .target(
            name: "Figures",
            dependencies: [
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // Publishing a chapter or a site all or nothing: staging folders, the atomic swap, signals.
        .target(name: "Publishing", dependencies: ["Figures"]),
        .target(
            name: "Notebook",
            dependencies: ["Descent", "Figures", "Publishing", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // The book as HTML pages (Markdown → HTML with Ink): used by `book --html` and the Playground.
        .target(name: "BookSite", dependencies: [.product(name: "Ink", package: "Ink")]),
        .executableTarget(
            name: "book",
            dependencies: [
                "Notebook", "Figures", "BookSite", "Publishing",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ]
        ),
        .executableTarget(
            name: "lab",
            dependencies: [
                "Descent", "Figures", "LabKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // lab's async functions run on their caller's thread (Lab.main's), not the thread pool.
            swiftSettings: [.enableUpcomingFeature("NonisolatedNonsendingByDefault")],
            // The Swift runtime linked in (release builds on Linux): `lab` starts in 2.5 ms of CPU instead
            // of 4, without loading and relocating the runtime's shared libraries (issue 12). The two
            // libraries are what FoundationEssentials (via Figures) needs when linked statically.
            linkerSettings: [
                .unsafeFlags(["-static-stdlib", "-l_FoundationCollections", "-l_FoundationCShims"],
                             .when(platforms: [.linux], configuration: .release)),
            ]
        ),
        // A one-page chapter whose claims the tests choose: how a false claim fails a run.
        .executableTarget(name: "claims-fixture", dependencies: ["Notebook"], path: "Tests/Fixtures/claims-fixture"),
        // Running the built executables from tests (finding them, output in files, a watchdog).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "DescentTests", dependencies: ["Descent", "TestSupport"]),
        .testTarget(name: "FiguresTests", dependencies: ["Figures"]),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook", "Figures", "Descent", "Publishing", "TestSupport"]),
        .testTarget(name: "LabTests", dependencies: ["Descent", "TestSupport"]),
        .testTarget(name: "LabKitTests", dependencies: ["LabKit", "Descent"]),
        .testTarget(name: "BookSiteTests", dependencies: ["BookSite", "Notebook"]),
        .testTarget(name: "ChapterTests", dependencies: ["Descent", "Notebook", "TestSupport"] + chapters.filter { $0 != "ch00-tour" }.map { .target(name: $0) }),
    ] + chapters.map { slug in
        .executableTarget(
            name: slug,
            dependencies: [
                "Descent", "Figures", "Notebook",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "RealModule", package: "swift-numerics"),
            ],
            path: "Chapters/\(slug)",
            exclude: ["README.md"]
        )
    }
)
