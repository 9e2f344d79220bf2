// swift-tools-version: 6.1
//
// The Descent playground: a small web server (Hummingbird 2) with the optimizer page, a JSON API
// over `lab`'s commands, and the book as HTML. Kept out of the root package so building the book
// never compiles a web stack. Run it with `Scripts/playground` from the repository root.
import PackageDescription

// A path dependency is identified by its folder's name, which is whatever the clone is called.
let root = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "Descent")

let package = Package(
    name: "DescentPlayground",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Already in the graph through Hummingbird; named for ParseErrorBody's channel handler.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.24.0"),
    ],
    targets: [
        .target(
            name: "PlaygroundApp",
            dependencies: [
                .product(name: "Descent", package: root),
                .product(name: "LabKit", package: root),
                .product(name: "BookSite", package: root),
                .product(name: "Notebook", package: root),
                .product(name: "Figures", package: root),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            resources: [.process("Public")]
        ),
        .executableTarget(
            name: "playground",
            dependencies: [
                "PlaygroundApp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "PlaygroundTests",
            dependencies: [
                "PlaygroundApp",
                .product(name: "LabKit", package: root),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
