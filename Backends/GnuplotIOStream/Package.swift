// swift-tools-version: 6.1
//
// An optional second renderer for Descent's figures, driving gnuplot through Debian's
// gnuplot-iostream (a C++ header over Boost.Iostreams) behind a C interface.
// Kept out of the root package so Boost is never a requirement of `swift build` there.
//
//     apt-get install libgnuplot-iostream-dev gnuplot gnuplot-nox
//     swift test --package-path Backends/GnuplotIOStream
import PackageDescription

// A path dependency is identified by its folder's name, whatever the clone is called.
let root = String(Context.packageDirectory.split(separator: "/").dropLast(2).last ?? "Descent")

let package = Package(
    name: "GnuplotIOStream",
    products: [.library(name: "GnuplotIOStreamBackend", targets: ["GnuplotIOStreamBackend"])],
    dependencies: [.package(path: "../..")],
    targets: [
        .target(
            name: "CGnuplotIOStream",
            cxxSettings: [.unsafeFlags(["-std=c++17"])],
            linkerSettings: [
                .linkedLibrary("boost_iostreams"),
                .linkedLibrary("boost_filesystem"),
                .linkedLibrary("stdc++"),
            ]
        ),
        .target(
            name: "GnuplotIOStreamBackend",
            dependencies: ["CGnuplotIOStream", .product(name: "Figures", package: root)]
        ),
        .testTarget(
            name: "GnuplotIOStreamBackendTests",
            dependencies: ["GnuplotIOStreamBackend", .product(name: "Figures", package: root)]
        ),
    ],
    cxxLanguageStandard: .cxx17
)
