import Descent
import Testing
@testable import ch01_vanishing_gradients

/// The claims chapter 1 prints, checked on the chapter's own experiments (seed 42, the book's).
@Suite("Chapter 1: vanishing and exploding gradients")
struct Chapter1Tests {
    static let setup = VanishingSetup(seed: 42)
    static let initial = setup.allInitialNorms()
    static func config(_ a: Activation, _ name: String) -> InitialNorms {
        initial.first { $0.activation == a && $0.initName == name }!
    }

    @Test("sigmoid + standard init: the first layer's gradient is ≥ 10⁴ times smaller than the last hidden layer's")
    func sigmoidVanishes() {
        #expect(Self.config(.sigmoid, "standard").lastOverFirst >= 1e4)
    }

    @Test("tanh + Xavier and ReLU + He: every hidden layer within a factor 10 of every other")
    func balanced() {
        #expect(Self.config(.tanh, "Xavier").spread <= 10)
        #expect(Self.config(.relu, "He").spread <= 10)
    }

    @Test("ReLU + N(0, 1): norms above 10⁴ (explosion)")
    func reluExplodes() {
        #expect(Self.config(.relu, "N(0, 1)").largest > 1e4)
        #expect(Self.config(.relu, "N(0, 1)").norms.allSatisfy { $0 > 1e4 })
    }

    @Test("the table covers all 12 configurations with 11 layers each")
    func table() {
        #expect(Self.initial.count == 12 && Self.initial.allSatisfy { $0.norms.count == 11 && $0.deltas.count == 10 })
    }

    @Test("ReLU + N(0, 1) at α = 0.5 diverges (reported with its step); clipping the global norm to 1 makes it train")
    func clipping() {
        let unclipped = Self.setup.train(.relu, .normal(standardDeviation: 1), learningRate: 0.5, steps: 50)
        #expect(unclipped.divergence != nil)
        #expect(unclipped.divergence!.step < 5)
        let clipped = Self.setup.train(.relu, .normal(standardDeviation: 1), learningRate: 0.5, steps: 1500, clipping: .globalNorm(1))
        #expect(clipped.divergence == nil)
        let tail = clipped.losses.suffix(50).reduce(0, +) / 50
        #expect(tail < 0.6, "clipped run ends at \(tail)")  // below log 2: it learnt
        #expect(clipped.gradientNorms.first! > 1e6)
    }

    @Test("sigmoid + standard init stays on the plateau at log 2 after training")
    func plateau() {
        let r = Self.setup.train(.sigmoid, .standard, learningRate: 0.1, steps: 300)
        #expect(abs(r.losses.suffix(50).reduce(0, +) / 50 - 0.6931) < 0.01)
    }
}
