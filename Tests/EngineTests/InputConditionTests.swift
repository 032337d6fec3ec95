import Testing
@testable import Engine

/// What a model can do against a change of condition without new labels: standardise each image
/// (a change of brightness and contrast no longer reaches the network) and re-estimate its batch
/// norm on unlabelled images of the new condition.
@Suite struct InputConditionTests {
    /// `count` random images of `shape`, each mapped by `x · contrast + brightness`.
    private func images(count: Int, brightness: Float = 0, contrast: Float = 1, seed: UInt64 = 3) -> Tensor {
        let x = randomTensor([count, 1, 12, 12], seed: seed)
        for i in 0..<x.count { x[flat: i] = x[flat: i] * contrast + brightness }
        return x
    }

    @Test func standardisedImagesHaveMeanZeroAndUnitSpreadWhateverTheirLighting() throws {
        let layer = try PerImageStandardization()
        _ = try layer.connect(to: [1, 12, 12])
        let plain = layer.forward(images(count: 2), mode: .inference).copied()
        let shifted = layer.forward(images(count: 2, brightness: -0.4, contrast: 0.5), mode: .inference)
        for s in 0..<2 {
            let values = (0..<144).map { plain[flat: s * 144 + $0] }
            let mean = values.reduce(0, +) / 144
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 144
            #expect(abs(mean) < 1e-5 && abs(variance - 1) < 1e-2)
        }
        // Darker and flatter by an affine map: the same standardised image (up to ε's share).
        for i in 0..<(2 * 144) { #expect(abs(plain[flat: i] - shifted[flat: i]) < 1e-2) }
    }

    @Test func modelWithStandardisationBuildsAndDeclaresItFirst() throws {
        let model = try ModelSpec(architecture: .cnnSmall, imageSize: 16, classes: 3, standardizesInput: true).build(seed: 1)
        #expect(model.layers.first is PerImageStandardization)
        let plain = try ModelSpec(architecture: .cnnSmall, imageSize: 16, classes: 3).build(seed: 1)
        #expect(!(plain.layers.first is PerImageStandardization))
    }

    @Test func adaptationReplacesRunningStatisticsWithTheNewConditionsOwn() throws {
        let model = try ModelSpec(architecture: .resnet8, imageSize: 12, classes: 3).build(seed: 2)
        let stem = try #require(model.layers.compactMap { $0 as? BatchNorm2D }.first)
        // After some training-mode passes on the source condition, the running mean is of it.
        for seed in 0..<5 as Range<UInt64> { _ = model.forward(images(count: 8, seed: 10 + seed), mode: .training) }
        let source = (0..<stem.channels).map { stem.runningMean[flat: $0] }
        let target = images(count: 16, brightness: 0.8)
        // The stem's, then two in the first block and three (with the shortcut's) in each of the others.
        #expect(try BatchNormAdaptation.adapt(model, to: target, batchSize: 16) == 1 + 2 + 3 + 3)
        // One batch of all 16 images: the running mean is exactly that batch's channel mean.
        for c in 0..<stem.channels { #expect(abs(stem.runningMean[flat: c] - stemMean(model, target, channel: c)) < 1e-4) }
        #expect(zip(source, (0..<stem.channels).map { stem.runningMean[flat: $0] }).contains { abs($0 - $1) > 1e-3 })
        // Back to the momentum update afterwards: a training pass on other images moves the mean a tenth of the way.
        let before = stem.runningMean[flat: 0], other = images(count: 16, brightness: -0.5, seed: 40)
        let towards = stemMean(model, other, channel: 0)
        _ = model.forward(other, mode: .training)
        #expect(abs((stem.runningMean[flat: 0] - before) / (towards - before) - 0.1) < 1e-3)
    }

    /// The mean of the stem convolution's output channel `c` over `images`.
    private func stemMean(_ model: Sequential, _ images: Tensor, channel c: Int) -> Float {
        let output = model.layers[0].forward(images, mode: .inference)
        let plane = 12 * 12, channels = output.shape[1], count = images.shape.batch
        var total: Double = 0
        for n in 0..<count { for p in 0..<plane { total += Double(output[flat: (n * channels + c) * plane + p]) } }
        return Float(total / Double(count * plane))
    }

    @Test func modelWithoutBatchNormIsLeftAsItIs() throws {
        let model = try ModelSpec(architecture: .cnnSmall, imageSize: 12, classes: 3).build(seed: 2)
        let before = model.snapshot()
        #expect(try BatchNormAdaptation.adapt(model, to: images(count: 8)) == 0)
        #expect(zip(before, model.snapshot()).allSatisfy { a, b in (0..<a.count).allSatisfy { a[flat: $0] == b[flat: $0] } })
    }
}
