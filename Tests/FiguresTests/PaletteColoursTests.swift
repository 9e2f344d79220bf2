import Testing
@testable import Figures

@Suite("Figures: one colour per schedule drawn together")
struct PaletteColoursTests {
    /// The schedules ch02 draws side by side (its gallery and its training figure): each needs its
    /// own colour, not only its own dash, so that no two of them are told apart by dash alone.
    static let drawnTogether = ["constant", "polynomial", "polynomial γ = 0.5", "polynomial γ = 2", "exponential",
                                "step", "cosine", "SGDR", "warm-up + cosine", "article's restart rule",
                                "reduce on plateau"]

    @Test("the eleven schedules ch02 draws together have eleven colours")
    func schedulesHaveTheirOwnColours() {
        let colours = Self.drawnTogether.map { Pen.named($0).color }
        #expect(Set(colours).count == colours.count, "\(zip(Self.drawnTogether, colours).map { "\($0): \($1)" })")
    }

    @Test("the palette's extra colours are not Okabe–Ito's eight")
    func extraColoursAreNew() {
        for c in [Palette.indigo, Palette.wine, Palette.olive] {
            #expect(!Palette.colors.contains(c), "\(c)")
        }
    }
}
