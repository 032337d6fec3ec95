import Testing
@testable import Engine

/// Optimizers against hand-computed updates, and a convergence check for each.
@Suite struct OptimizerTests {
    /// An arena with parameters w = (1, −2) and gradients g = (0.5, 0.25).
    private func arena() -> ParameterArena {
        let p = Parameter(name: "w", shape: [2], fanIn: 1, fanOut: 1, initializer: .constant(0))
        p.value[flat: 0] = 1; p.value[flat: 1] = -2
        let arena = ParameterArena([p])
        arena.gradients[flat: 0] = 0.5; arena.gradients[flat: 1] = 0.25
        return arena
    }

    @Test func sgdWithMomentumAndDecayFollowsPyTorch() {
        let a = arena()
        let sgd = SGD(parameterCount: 2, momentum: 0.9, weightDecay: 0.1)
        sgd.step(a, learningRate: 0.1)
        // g = 0.5 + 0.1·1 = 0.6; v = 0.6; w = 1 − 0.06
        #expect(abs(a.values[flat: 0] - 0.94) < 1e-6)
        sgd.step(a, learningRate: 0.1)
        // g = 0.5 + 0.094 = 0.594; v = 0.9·0.6 + 0.594 = 1.134; w = 0.94 − 0.1134
        #expect(abs(a.values[flat: 0] - 0.8266) < 1e-6)
    }

    @Test func nesterovLooksAhead() {
        let a = arena()
        let sgd = SGD(parameterCount: 2, momentum: 0.5, nesterov: true)
        sgd.step(a, learningRate: 1)
        // v = 0.5; step = g + μv = 0.5 + 0.25
        #expect(abs(a.values[flat: 0] - 0.25) < 1e-6)
    }

    @Test func adamFirstStepMovesByTheLearningRate() {
        let a = arena()
        Adam(parameterCount: 2).step(a, learningRate: 0.01)
        // After bias correction m̂ = g and v̂ = g², so each weight moves by lr·sign(g).
        #expect(abs(a.values[flat: 0] - 0.99) < 1e-6)
        #expect(abs(a.values[flat: 1] - -2.01) < 1e-6)
    }

    @Test func adamWDecaysWeightsDirectly() {
        let plain = arena(), decoupled = arena(), coupled = arena()
        Adam(parameterCount: 2).step(plain, learningRate: 0.01)
        Adam(parameterCount: 2, weightDecay: 0.5, decoupled: true).step(decoupled, learningRate: 0.01)
        Adam(parameterCount: 2, weightDecay: 0.5, decoupled: false).step(coupled, learningRate: 0.01)
        // AdamW: w·(1 − lr·λ) then the same Adam step.
        #expect(abs(decoupled.values[flat: 0] - (1 * (1 - 0.005) - 0.01)) < 1e-6)
        // Adam with L2: the gradient changes (0.5 + 0.5) but the first step is still lr·sign(g).
        #expect(abs(coupled.values[flat: 0] - plain.values[flat: 0]) < 1e-6)
    }

    @Test(arguments: OptimizerKind.allCases)
    func everyOptimizerMinimisesAQuadratic(kind: OptimizerKind) throws {
        // f(w) = ½ Σ cᵢ (wᵢ − tᵢ)², minimised at t.
        let c: [Float] = [1, 4, 0.5], t: [Float] = [3, -1, 2]
        let p = Parameter(name: "w", shape: [3], fanIn: 1, fanOut: 1, initializer: .constant(0))
        let a = ParameterArena([p])
        let optimizer = try OptimizerSettings(kind: kind, momentum: 0.9).makeOptimizer(parameterCount: 3)
        for _ in 0..<2000 {
            for i in 0..<3 { a.gradients[flat: i] = c[i] * (a.values[flat: i] - t[i]) }
            optimizer.step(a, learningRate: kind == .sgd ? 0.05 : 0.02)
        }
        for i in 0..<3 { #expect(abs(a.values[flat: i] - t[i]) < 1e-2, "\(kind) w[\(i)] = \(a.values[flat: i])") }
    }

    @Test func schedulesGiveTheirFormulaValues() {
        #expect(LearningRateSchedule(.constant).rate(base: 0.1, epoch: 7.5, totalEpochs: 10) == 0.1)
        #expect(abs(LearningRateSchedule(.step(every: 3, factor: 0.5)).rate(base: 0.1, epoch: 6.2, totalEpochs: 10) - 0.025) < 1e-7)
        let cosine = LearningRateSchedule(.cosine(minimum: 0))
        #expect(abs(cosine.rate(base: 1, epoch: 5, totalEpochs: 10) - 0.5) < 1e-6)
        #expect(abs(cosine.rate(base: 1, epoch: 10, totalEpochs: 10)) < 1e-6)
        let warm = LearningRateSchedule(.cosine(minimum: 0), warmupEpochs: 2)
        #expect(abs(warm.rate(base: 1, epoch: 1, totalEpochs: 10) - 0.5) < 1e-6)
        #expect(abs(warm.rate(base: 1, epoch: 2, totalEpochs: 10) - 1) < 1e-6)
        #expect(abs(warm.rate(base: 1, epoch: 6, totalEpochs: 10) - 0.5) < 1e-6)
    }
}
