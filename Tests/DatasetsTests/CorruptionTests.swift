import Testing
@testable import Datasets

/// Noise, imbalance and drift: realised rates match the configuration; the test set is untouched.
@Suite struct CorruptionTests {
    /// A large draw with gold labels: 6 classes × 300 train, 50 val, 50 test, 100 pool.
    static let data = try! SteelDefects().generate(imageSize: 16, perClass: SplitCounts(train: 300, validation: 50, test: 50, pool: 100), seed: 1)

    private func flipRate(_ d: Dataset, _ indices: [Int]) -> Double {
        Double(indices.filter { d.gold[$0] != d.delivered[$0] }.count) / Double(indices.count)
    }

    /// |observed − p| within 4 standard errors.
    private func close(_ observed: Double, _ p: Double, n: Int) -> Bool {
        abs(observed - p) <= 4 * (p * (1 - p) / Double(n)).squareRoot() + 1e-9
    }

    @Test func uniformNoiseFlipsAtItsRateAndNeverTheTestSet() throws {
        let noisy = try LabelNoise.uniform(rate: 0.2).apply(to: Self.data, seed: 7)
        let affected = (0..<noisy.count).filter { noisy.splits[$0] != .test }
        #expect(close(flipRate(noisy, affected), 0.2, n: affected.count), "\(flipRate(noisy, affected))")
        #expect(flipRate(noisy, noisy.indices(in: .test)) == 0)
        #expect(try LabelNoise.uniform(rate: 0.2).apply(to: Self.data, seed: 7) == noisy)
        #expect(noisy.provenance["step_00"] == "label-noise uniform rate=0.2 seed=7")
        #expect(noisy.noiseMask == (0..<noisy.count).map { noisy.gold[$0] != noisy.delivered[$0] })
        #expect(noisy.noiseMask.contains(true))
    }

    @Test func confusionFlipsOnlyTheNamedPairAtItsRate() throws {
        let noisy = try LabelNoise.confusion([ClassFlip(from: 0, to: 4, rate: 0.35)]).apply(to: Self.data, seed: 8)
        let crazing = (0..<noisy.count).filter { noisy.splits[$0] != .test && noisy.gold[$0] == 0 }
        #expect(close(flipRate(noisy, crazing), 0.35, n: crazing.count), "\(flipRate(noisy, crazing))")
        #expect(crazing.allSatisfy { noisy.delivered[$0] == 0 || noisy.delivered[$0] == 4 })
        let others = (0..<noisy.count).filter { noisy.gold[$0] != 0 }
        #expect(flipRate(noisy, others) == 0)
    }

    @Test func annotatorConventionsFollowAmbiguityAndSlips() throws {
        let model = AnnotatorConventions(annotators: 3, pairs: SteelDefects().confusablePairs, strength: 1, slip: 0.05)
        let noisy = try LabelNoise.annotatorConventions(model).apply(to: Self.data, seed: 9)
        let affected = (0..<noisy.count).filter { noisy.splits[$0] != .test }
        // Expected flip probability of each sample: slip, plus (1 − slip)·min(1, ambiguity) where the
        // sample's annotator has a convention for its class.
        var expected = 0.0
        for i in affected {
            let annotator = Int(noisy.annotators[i])
            var p = 0.05
            if let (from, _) = model.conventions[annotator], from == Int(noisy.gold[i]) { p += 0.95 * min(1, Double(noisy.ambiguity[i])) }
            expected += p
        }
        expected /= Double(affected.count)
        #expect(close(flipRate(noisy, affected), expected, n: affected.count), "observed \(flipRate(noisy, affected)) expected \(expected)")
        #expect(Set(affected.map { noisy.annotators[$0] }) == [0, 1, 2])
        #expect(flipRate(noisy, noisy.indices(in: .test)) == 0)
        // Annotator 0 calls ambiguous crazing "rolled-in scale": that flip dominates its errors.
        let zero = affected.filter { noisy.annotators[$0] == 0 && noisy.gold[$0] == 0 && noisy.delivered[$0] != 0 }
        #expect(Double(zero.filter { noisy.delivered[$0] == 4 }.count) > 0.7 * Double(zero.count))
    }

    @Test func imbalanceKeepsItsFractionsAndTheTestSet() throws {
        let keep = [1.0, 0.5, 1.0, 0.2, 1.0, 1.0]
        let thinned = try Imbalance(keep: keep).apply(to: Self.data, seed: 3)
        let trainOf = { (c: Int32) in thinned.indices(in: .train).filter { thinned.gold[$0] == c }.count }
        #expect(trainOf(0) == 300)
        #expect(close(Double(trainOf(1)) / 300, 0.5, n: 300))
        #expect(close(Double(trainOf(3)) / 300, 0.2, n: 300))
        #expect(thinned.indices(in: .test).count == Self.data.indices(in: .test).count)
    }

    @Test func imbalanceCanLeaveThePoolAsTheLineDeliversIt() throws {
        let thinned = try Imbalance(keep: [0.1, 1, 1, 1, 1, 1], splits: [.train, .validation]).apply(to: Self.data, seed: 3)
        let of = { (split: Split, c: Int32) in thinned.indices(in: split).filter { thinned.gold[$0] == c }.count }
        #expect(of(.train, 0) < 60)
        #expect(of(.pool, 0) == 100 && of(.test, 0) == 50)
        #expect(thinned.provenance.values.contains { $0.contains("splits=train,val") })
    }

    @Test func invalidNoiseSettingsAreNamed() {
        #expect(throws: DatasetError.invalid("noise rate must be between 0 and 1, got 1.5")) { try LabelNoise.uniform(rate: 1.5).apply(to: Self.data, seed: 1) }
        #expect(throws: DatasetError.invalid("flip to 9 is not a class (0..<6)")) {
            try LabelNoise.confusion([ClassFlip(from: 0, to: 9, rate: 0.1)]).apply(to: Self.data, seed: 1)
        }
        #expect(throws: DatasetError.invalid("imbalance: 2 keep fractions for 6 classes")) { try Imbalance(keep: [1, 1]).apply(to: Self.data, seed: 1) }
    }

    @Test(arguments: [Drift.brightness(-0.2), .contrast(0.5), .blur(sigma: 1), .sensorNoise(sigma: 0.1), .textureScale(1.5),
                      .droplets(count: 5), .glare(strength: 0.5)])
    func driftChangesOnlyTheChosenSplitAndIsReproducible(drift: Drift) throws {
        let small = Self.data.subset(Array(0..<60) + Self.data.indices(in: .test).prefix(30))
        let shifted = try drift.apply(to: small, splits: [.test], seed: 4)
        #expect(shifted == (try drift.apply(to: small, splits: [.test], seed: 4)))
        let size = small.imageSize
        for i in 0..<small.count {
            let before = small.pixels[(i * size)..<((i + 1) * size)], after = shifted.pixels[(i * size)..<((i + 1) * size)]
            if small.splits[i] == .test { #expect(before != after) } else { #expect(before == after) }
        }
        #expect(shifted.delivered == small.delivered)
    }
}

/// Augmentation adds transformed copies of the training images with their labels.
@Suite struct AugmentationTests {
    @Test func flipsAndRotationsCopyTrainingImagesWithTheirLabels() throws {
        let pixels: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8, 9]   // one 3×3 training image, one test image
        let data = Dataset(pixels: pixels + pixels, height: 3, width: 3, channels: 1, classNames: ["a", "b"], gold: [1, 0],
                           delivered: [1, 0], annotators: [-1, -1], ambiguity: [0, 0], splits: [.train, .test], provenance: [:])
        let augmented = try Augmentation(horizontalFlip: true, verticalFlip: true, rotations: true).apply(to: data)
        #expect(augmented.count == 2 + 5)
        #expect(augmented.indices(in: .train).count == 6 && augmented.indices(in: .test).count == 1)
        #expect(augmented.delivered.suffix(5) == [1, 1, 1, 1, 1])
        func image(_ i: Int) -> [UInt8] { Array(augmented.pixels[(i * 9)..<((i + 1) * 9)]) }
        #expect(image(2) == [3, 2, 1, 6, 5, 4, 9, 8, 7])   // horizontal flip
        #expect(image(3) == [7, 8, 9, 4, 5, 6, 1, 2, 3])   // vertical flip
        #expect(image(5) == [9, 8, 7, 6, 5, 4, 3, 2, 1])   // 180°
        #expect(Set([image(4), image(6)]) == [[7, 4, 1, 8, 5, 2, 9, 6, 3], [3, 6, 9, 2, 5, 8, 1, 4, 7]])   // 90° both ways
        #expect(Augmentation(horizontalFlip: true, rotations: true).multiplier == 5)
    }
}
