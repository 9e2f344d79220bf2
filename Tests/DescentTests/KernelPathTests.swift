import Foundation
import TestSupport
import Testing
@testable import Descent

/// The kernel and back-propagation tests under every instruction set this CPU supports.
///
/// `DESCENT_KERNELS` is read once per process, so each path needs a process: the test bundle
/// runs itself again with `DESCENT_KERNELS=<path>`, filtered to the kernel and network tests
/// (which also check that the path asked for is the one in use).
@Suite("Kernels under every DESCENT_KERNELS path")
struct KernelPathTests {
    static let requested = ProcessInfo.processInfo.environment["DESCENT_KERNELS"]

    /// This test bundle (the executable swift test runs), or nil when it cannot be found.
    static let bundle: URL? = {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        if me.lastPathComponent.hasSuffix(".xctest") { return me }
        let fallback = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/DescentPackageTests.xctest")
        return FileManager.default.isExecutableFile(atPath: fallback.path) ? fallback : nil
    }()

    static func runSelf(kernels: String, filter: String) throws -> ProcessRun {
        try runProcess(bundle!, ["--testing-library", "swift-testing", "--filter", filter],
                       environment: environment(with: ["DESCENT_KERNELS": kernels]))
    }

    /// How many tests a swift-testing run reports having run ("Test run with N tests …").
    static func testCount(_ output: String) -> Int? {
        guard let range = output.range(of: #"Test run with [0-9]+ test"#, options: .regularExpression) else { return nil }
        return Int(output[range].split(separator: " ")[3])
    }

    @Test("the path in use is the one DESCENT_KERNELS names (when it is set and supported)")
    func inUse() {
        #expect(Kernels.supportedInstructionSets.first == "portable")
        #expect(Kernels.supportedInstructionSets.contains(Kernels.instructionSet))
        if let requested = Self.requested, Kernels.supportedInstructionSets.contains(requested) {
            #expect(Kernels.instructionSet == requested)
        } else if Self.requested == nil {
            #expect(Kernels.instructionSet == Kernels.supportedInstructionSets.last)  // the best by default
        }
    }

    /// Whether this is the parent run (a child run, with DESCENT_KERNELS set, must not recurse).
    static let isParent = requested == nil

    /// Each path this CPU can run (the others cannot be tested here).
    @Test("kernel, backprop and two-thread tests pass under each supported path",
          .enabled(if: isParent, "already a child run under one DESCENT_KERNELS path"),
          arguments: Kernels.supportedInstructionSets)
    func everyPath(_ path: String) throws {
        try #require(Self.bundle != nil, "cannot find the test bundle to rerun")
        let run = try Self.runSelf(kernels: path, filter: "KernelTests|KernelPathTests|NetworkTests|ThreadsTests")
        #expect(run.status == 0, "DESCENT_KERNELS=\(path):\n\(run.stdout.suffix(3000))\n\(run.stderr.suffix(2000))")
        #expect((Self.testCount(run.stdout + run.stderr) ?? 0) >= 8, "DESCENT_KERNELS=\(path) ran too few tests:\n\(run.stdout.suffix(2000))")
        #expect(!run.stderr.contains("descent: DESCENT_KERNELS="), "\(run.stderr.suffix(2000))")
    }

    @Test("an unknown DESCENT_KERNELS value is ignored with one note on stderr",
          .enabled(if: isParent, "already a child run under one DESCENT_KERNELS path"))
    func unknownValue() throws {
        try #require(Self.bundle != nil, "cannot find the test bundle to rerun")
        let run = try Self.runSelf(kernels: "sse9", filter: "KernelTests/accumulate")
        #expect(run.status == 0, "\(run.stdout.suffix(2000))")
        let notes = run.stderr.split(separator: "\n").filter { $0.contains("DESCENT_KERNELS=sse9") }
        #expect(notes.count == 1 && notes[0].contains("not one of portable, avx2, avx512; ignored"), "\(run.stderr)")
    }
}
