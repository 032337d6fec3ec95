import Testing
@testable import Engine

/// In-loop brightness and contrast jitter: an affine change per image, the same on every channel,
/// within its bounds and the pixel range, seeded, and a model still learns with it.
@Suite struct PhotometricJitterTests {
    /// One 2-channel 2 × 2 image whose channels differ.
    private func image() throws -> LabeledImages {
        let images = Tensor(zeros: [1, 2, 2, 2])
        for (i, v) in [-0.6, -0.2, 0.2, 0.6, -0.4, 0.0, 0.3, 0.5].enumerated() { images.pointer[i] = Float(v) }
        return try LabeledImages(images: images, labels: [1], classes: 2)
    }

    private func draws(_ jitter: PhotometricJitter, seed: UInt64, count: Int = 200) throws -> [[Float]] {
        let data = try image()
        var assembler = BatchAssembler(maxBatch: 1)
        defer { assembler.release() }
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let (x, y) = assembler.batch(of: data, order: [0], range: 0..<1)
            #expect(y[0] == 1)
            assembler.jitter(x, count: 1, sampleShape: data.sampleShape, with: jitter, generator: &generator)
            return (0..<8).map { x.pointer[$0] }
        }
    }

    @Test func eachImageChangesByOneAffineMapWithinItsBounds() throws {
        let original: [Float] = [-0.6, -0.2, 0.2, 0.6, -0.4, 0.0, 0.3, 0.5]
        let mean = original.reduce(0, +) / 8
        let jitter = PhotometricJitter(brightness: 0.1, contrast: 0.2)
        var factors: [Float] = [], shifts: [Float] = []
        for jittered in try draws(jitter, seed: 5) {
            // No pixel reaches ±1 here, so nothing is clipped: every pixel, on both channels, is (p − mean)·a + mean + b.
            let a = (jittered[3] - jittered[0]) / (original[3] - original[0])
            let b = jittered[0] - ((original[0] - mean) * a + mean)
            for i in 0..<8 { #expect(abs(jittered[i] - ((original[i] - mean) * a + mean + b)) < 1e-5) }
            factors.append(a); shifts.append(b)
        }
        #expect(factors.allSatisfy { $0 >= 0.8 - 1e-5 && $0 <= 1.2 + 1e-5 })
        #expect(shifts.allSatisfy { abs($0) <= 0.2 + 1e-5 })
        // The draws cover their ranges rather than sitting at one value.
        #expect(factors.min()! < 0.85 && factors.max()! > 1.15)
        #expect(shifts.min()! < -0.15 && shifts.max()! > 0.15)
    }

    @Test func pixelsStayInRangeAndTheDrawIsSeeded() throws {
        let strong = PhotometricJitter(brightness: 1, contrast: 0.9)
        #expect(try draws(strong, seed: 1).allSatisfy { $0.allSatisfy { (-1...1).contains($0) } })
        #expect(try draws(strong, seed: 1) == draws(strong, seed: 1))
        #expect(try draws(strong, seed: 1) != draws(strong, seed: 2))
        #expect(try draws(PhotometricJitter(brightness: 0, contrast: 0), seed: 3, count: 3).allSatisfy { $0 == [-0.6, -0.2, 0.2, 0.6, -0.4, 0.0, 0.3, 0.5] })
    }

    @Test func outOfRangeAmountsAreRefused() {
        var config = TrainingConfig()
        config.photometric = PhotometricJitter(brightness: 1.5, contrast: 0.2)
        #expect(throws: EngineError.invalidOption("photometric brightness must be in [0, 1], got 1.5")) { try config.validate() }
        config.photometric = PhotometricJitter(brightness: 0.1, contrast: 1)
        #expect(throws: EngineError.invalidOption("photometric contrast must be in [0, 1), got 1.0")) { try config.validate() }
    }

    /// A model still fits the bars-and-squares problem with jitter on, and the jitter changes the
    /// training (another loss curve) without changing the minibatch order's seed stream.
    @Test func aModelStillLearnsWithJitterOn() throws {
        BLASThreads.set(1)
        let data = try barsAndSquares(count: 240, seed: 1)
        var config = TrainingConfig()
        config.epochs = 10; config.batchSize = 16; config.learningRate = 0.01; config.shuffleSeed = 3
        let plain = try Trainer(model: try ModelSpec(architecture: .cnnSmall, inputChannels: 1, imageSize: 16, classes: 3).build(seed: 1), config: config).fit(data)
        config.photometric = PhotometricJitter()
        let model = try ModelSpec(architecture: .cnnSmall, inputChannels: 1, imageSize: 16, classes: 3).build(seed: 1)
        let jittered = try Trainer(model: model, config: config).fit(data)
        #expect(jittered.status == .completed)
        #expect(evaluate(model: model, on: data).accuracy >= 0.95)
        #expect(jittered.epochs.map(\.trainLoss) != plain.epochs.map(\.trainLoss))
    }
}
