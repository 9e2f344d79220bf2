import Testing
@testable import Notebook

@Suite("Fmt: numbers for prose and tables")
struct FmtSignTests {
    @Test("fixed, sig and sci keep the sign of negative numbers and drop it only from zeros", arguments: [
        (Fmt.fixed(-0.5, 2), "-0.50"), (Fmt.fixed(0.5, 2), "0.50"), (Fmt.fixed(-0.004, 2), "0.00"),
        (Fmt.fixed(-0.0, 3), "0.000"), (Fmt.fixed(-12.345, 1), "-12.3"), (Fmt.fixed(-0.05, 1), "-0.1"),
        (Fmt.sig(-0.5, 3), "-0.5"), (Fmt.sig(-1.25e-5, 3), "-1.25e-05"), (Fmt.sig(-0.0), "0"),
        (Fmt.sci(-0.5, 3), "-5.00e-01"), (Fmt.sci(-0.0, 2), "0.0e+00"),
        (Fmt.fixed(.nan), "diverged (NaN)"), (Fmt.fixed(-.infinity), "−∞"), (Fmt.int(-3), "-3"),
    ] as [(String, String)])
    func signs(_ got: String, _ expected: String) {
        #expect(got == expected)
    }
}
