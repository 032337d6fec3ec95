import Curation
import Datasets
import Engine
import XCTest

/// The curation operations on a real (synthetic, seeded) image domain with injected noise, where
/// the truth is known: detection is scored against the true errors, relabeling by what it fixed.
final class DataCentricOperationsTests: XCTestCase {
    static let model: FixedModel = {
        var training = TrainingConfig()
        training.epochs = 15
        training.schedule.decay = .cosine(minimum: 0)
        return FixedModel(architecture: .cnnSmall, training: training)
    }()

    /// Solar cells at 32 × 32, 100 training images per class, 20% of labels flipped uniformly.
    static func noisyData(seed: UInt64, pool: Int = 0, train: Int = 100) throws -> Dataset {
        let clean = try Scenarios.named("solar-cells").generate(imageSize: 32, perClass: SplitCounts(train: train, validation: 20, test: 50, pool: pool),
                                                                seed: seed, minSeverity: 0.3)
        return try LabelNoise.uniform(rate: 0.2).apply(to: clean, seed: seed + 100)
    }

    func testConfidentLearningFindsInjectedNoiseWithHighPrecisionAndRecall() throws {
        let data = try Self.noisyData(seed: 1)
        let train = data.indices(in: .train)
        let (probabilities, effort) = try CrossValidation(folds: 4, seed: 1).outOfSampleProbabilities(model: Self.model, data: data, samples: train)
        XCTAssertEqual(effort.trainings, 4)
        let labels = train.map { Int(data.delivered[$0]) }
        let issues = try LabelIssueFinder().findLabelIssues(labels: labels, probabilities: probabilities)
        let flagged = issues.mask.indices.filter { issues.mask[$0] }
        let noise = data.noiseMask
        let score = FlagScore(flagged: flagged, noiseMask: train.map { noise[$0] })
        print(String(format: "label issues on solar-cells with 20%% noise: %d flagged, %d wrong, precision %.3f, recall %.3f",
                     score.flagged, score.trulyWrong, score.precision, score.recall))
        XCTAssertGreaterThanOrEqual(score.precision, 0.8)
        XCTAssertGreaterThanOrEqual(score.recall, 0.8)
        XCTAssertEqual(issues.noise.noiseRate, 0.2, accuracy: 0.08)

        let ranked = issues.ranked(by: .selfConfidence, labels: labels, probabilities: probabilities).map { train[$0] }
        let relabeling = Relabeling(budget: .fraction(0.25), reviewer: .consistent(errorRate: 0.05), seed: 3)
        let (_, outcome) = try relabeling.apply(to: data, ranked: ranked)
        print("relabel with a consistent reviewer: reviewed \(outcome.effort.reviewed), fixed \(outcome.fixed), broke \(outcome.broken)")
        XCTAssertGreaterThan(outcome.fixed, 3 * outcome.broken)
    }

    func testMarginSamplingBeatsRandomAtEqualLabels() throws {
        var gains: [Double] = []
        for seed in UInt64(1)...3 {
            let data = try Self.noisyData(seed: seed, pool: 150, train: 10)
            var final: [QueryStrategy: Double] = [:]
            for strategy in [QueryStrategy.random, .margin] {
                let loop = ActiveLearningLoop(rounds: 4, batch: 40, strategy: strategy, labeler: .gold, seed: seed)
                let (_, curve, effort) = try loop.run(on: data, model: Self.model)
                XCTAssertEqual(curve.map(\.labels), [40, 80, 120, 160])
                XCTAssertEqual(effort.annotations, 160)
                final[strategy] = curve.last!.testAccuracy
                print("active learning seed \(seed) \(strategy.rawValue): " + curve.map { "\($0.labels): \(String(format: "%.3f", $0.testAccuracy))" }.joined(separator: ", "))
            }
            gains.append(final[.margin]! - final[.random]!)
        }
        print("margin − random at 160 labels, per seed: \(gains)")
        XCTAssertGreaterThan(gains.reduce(0, +) / Double(gains.count), 0)
    }

    func testFoldsAreStratifiedAndSeeded() throws {
        let labels = (0..<100).map { $0 % 4 }
        let folds = try CrossValidation(folds: 5, seed: 9).assignFolds(labels: labels)
        for f in 0..<5 {
            for k in 0..<4 { XCTAssertEqual(labels.indices.filter { folds[$0] == f && labels[$0] == k }.count, 5) }
        }
        XCTAssertEqual(folds, try CrossValidation(folds: 5, seed: 9).assignFolds(labels: labels))
        XCTAssertNotEqual(folds, try CrossValidation(folds: 5, seed: 10).assignFolds(labels: labels))
    }
}
