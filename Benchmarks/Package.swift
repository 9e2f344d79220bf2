// swift-tools-version: 6.1
//
// Benchmarks for Descent, kept out of the root package so `swift build` there never pulls
// the benchmark framework. Run from this folder:
//
//     swift package benchmark --target TrainingStep
//     swift package benchmark --target Schedules
import PackageDescription

// A path dependency is identified by its folder's name, which is whatever the clone is called.
let root = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "Descent")

let package = Package(
    name: "DescentBenchmarks",
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "StepTimer",
            dependencies: [.product(name: "Descent", package: root)],
            path: "Sources/StepTimer"
        ),
        .executableTarget(
            name: "TrainingStep",
            dependencies: [
                .product(name: "Descent", package: root),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/TrainingStep",
            swiftSettings: [.unsafeFlags(["-Ounchecked"])],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Schedules",
            dependencies: [
                .product(name: "Descent", package: root),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Schedules",
            swiftSettings: [.unsafeFlags(["-Ounchecked"])],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
