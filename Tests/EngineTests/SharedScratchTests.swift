import Testing
@testable import Engine

/// A model's layers share one set of scratch buffers (`SharedScratch`) and train to the same bits
/// as layers with a set each: no kernel reads what another layer left in scratch, and no layer
/// holds two buffers of one role at once.
@Suite(.serialized) struct SharedScratchTests {
    /// The model's layers, those inside residual blocks included.
    private func leaves(_ layers: [Layer]) -> [Layer] {
        layers.flatMap { layer in (layer as? ResidualBlock).map { leaves($0.main + $0.shortcut) } ?? [layer] }
    }

    /// The weights after three SGD steps on two workers, the layers sharing their scratch (as
    /// `Sequential` builds them) or each given its own.
    private func trainedWeights(_ architecture: Architecture, sharing: Bool) throws -> [Float] {
        BLASThreads.set(1)
        let model = try ModelSpec(architecture: architecture, imageSize: 16, classes: 3).build(seed: 5)
        if !sharing { for layer in leaves(model.layers) { layer.shareScratch(SharedScratch()) } }
        let trainer = try Trainer(model: model, config: TrainingConfig())
        let images = randomTensor([6, 1, 16, 16], seed: 6)
        let labels: [Int32] = [0, 1, 2, 2, 1, 0]
        Parallelism.withWorkers(2) {
            labels.withUnsafeBufferPointer { y in for _ in 0..<3 { _ = trainer.step(images, y, learningRate: 0.05) } }
        }
        return model.arena.values.values
    }

    @Test(arguments: [Architecture.cnnSmall, .cnnDeep, .resnet8])
    func sharedScratchTrainsToTheSameBits(architecture: Architecture) throws {
        let shared = try trainedWeights(architecture, sharing: true), separate = try trainedWeights(architecture, sharing: false)
        let initial = try ModelSpec(architecture: architecture, imageSize: 16, classes: 3).build(seed: 5).arena.values.values
        #expect(shared.count == separate.count)
        let differing = zip(shared, separate).filter { $0 != $1 }.count, trained = zip(shared, initial).filter { $0 != $1 }.count
        #expect(differing == 0, "\(differing) of \(shared.count) weights differ")
        #expect(trained > shared.count / 2, "only \(trained) of \(shared.count) weights moved in training")
    }

    @Test func everyConvolutionOfAModelUsesItsScratch() throws {
        let model = try ModelSpec(architecture: .resnet8, imageSize: 16, classes: 3).build(seed: 5)
        let convolutions = leaves(model.layers).compactMap { $0 as? Conv2D }
        #expect(convolutions.count == 9)   // the stem, six in the blocks, two shortcuts
        #expect(convolutions.allSatisfy { $0.scratch === convolutions[0].scratch })
        let other = try ModelSpec(architecture: .resnet8, imageSize: 16, classes: 3).build(seed: 5)
        #expect(leaves(other.layers).compactMap { $0 as? Conv2D }[0].scratch !== convolutions[0].scratch)
    }
}
