import Testing
@testable import Engine

/// Work split across the engine's workers gives what one worker computes: a large dense layer's
/// GEMMs split by columns (each element still one GEMM's sum), and the optimiser step split by
/// parameters (element by element, so exactly).
@Suite(.serialized) struct WorkerSplitTests {
    /// One forward and backward pass and one SGD step of a 512 → 1024 dense layer on 16 samples
    /// (8.4 M multiply–accumulates a GEMM, above the split threshold; 525 k parameters, above the
    /// optimiser's): the output, both gradients and the updated weights under `workers` workers.
    private func denseStep(workers: Int) throws -> [[Float]] {
        BLASThreads.set(1)
        let layer = try Dense(inputFeatures: 512, outputFeatures: 1024, activation: .relu)
        let model = try Sequential(inputShape: [512], layers: [layer])
        model.initialize(seed: 3)
        let x = randomTensor([16, 512], seed: 4), dy = randomTensor([16, 1024], seed: 5)
        let sgd = SGD(parameterCount: model.arena.count, momentum: 0.9, weightDecay: 0.001)
        return Parallelism.withWorkers(workers) {
            model.arena.zeroGradients()
            let y = model.forward(x, mode: .training).values
            let dx = layer.backward(dy).values
            let dw = layer.kernel.gradient.values
            sgd.step(model.arena, learningRate: 0.1)
            return [y, dx, dw, layer.kernel.value.values, layer.bias.value.values]
        }
    }

    @Test func aSplitDenseLayerAndSGDStepMatchOneWorker() throws {
        #expect(512 * 1024 * 16 >= Dense.multiplyAccumulatesWorthSplitting)
        #expect(512 * 1024 >= SGD.parametersWorthSplitting)
        let one = try denseStep(workers: 1), two = try denseStep(workers: 2)
        for (name, (a, b)) in zip(["output", "input gradient", "kernel gradient", "updated kernel", "updated bias"], zip(one, two)) {
            let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 0
            #expect(worst <= 1e-5, "\(name): largest relative difference \(worst)")
        }
    }

    @Test func theSplitSGDStepIsExact() {
        let count = SGD.parametersWorthSplitting + 37
        func step(workers: Int) -> [Float] {
            let arena = ParameterArena([Parameter(name: "w", shape: [count], fanIn: 1, fanOut: 1, initializer: .constant(0))])
            for i in 0..<count { arena.values.pointer[i] = Float(i % 101) / 50 - 1; arena.gradients.pointer[i] = Float(i % 13) / 6 - 1 }
            let sgd = SGD(parameterCount: count, momentum: 0.9, nesterov: true, weightDecay: 0.01)
            Parallelism.withWorkers(workers) { for _ in 0..<2 { sgd.step(arena, learningRate: 0.05) } }
            return arena.values.values
        }
        #expect(step(workers: 2) == step(workers: 1))
    }
}
