import Curation
import Datasets
import Engine
import XCTest

/// The curation operations on a real (synthetic, seeded) image domain with injected noise, where
/// the truth is known: detection is scored against the true errors, relabeling by what it fixed.
final class DataCentricOperationsTests: XCTestCase {
    static let recipe: Recipe = {
        var training = TrainingConfig()
        training.epochs = 20
        training.schedule.decay = .cosine(minimum: 0)
        return Recipe(architecture: .cnnSmall, training: training)
    }()

    /// Solar cells at 32 × 32 with clear defects (severity ≥ 0.8), 20% of labels flipped uniformly.
    static func noisyData(seed: UInt64, pool: Int = 0, train: Int = 150) throws -> Dataset {
        let clean = try Scenarios.named("solar-cells").generate(imageSize: 32, perClass: SplitCounts(train: train, validation: 20, test: 50, pool: pool),
                                                                seed: seed, minSeverity: 0.8)
        return try LabelNoise.uniform(rate: 0.2).apply(to: clean, seed: seed + 100)
    }

    func testConfidentLearningFindsInjectedNoiseWithHighPrecisionAndRecall() throws {
        let data = try Self.noisyData(seed: 1)
        let train = data.indices(in: .train)
        let predictions = try CrossValidation(folds: 4, seed: 1).predict(recipe: Self.recipe, data: data, samples: train)
        let (probabilities, effort) = (predictions.outOfSample, predictions.effort)
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
        let relabeling = Relabeling(budget: .fraction(0.25), reviewer: .consistent(errorRate: 0.05, ambiguousErrorRate: 0.05), seed: 3)
        let (_, outcome) = try relabeling.apply(to: data, ranked: ranked)
        print("relabel with a consistent reviewer: reviewed \(outcome.effort.reviewed), fixed \(outcome.fixed), broke \(outcome.broken)")
        XCTAssertGreaterThan(outcome.fixed, 3 * outcome.broken)
    }

    /// The loop buys its labels round by round and the model learns from them, whichever strategy
    /// picks. Which strategy wins is not asserted: single trainings on 200 labels move by up to 20
    /// points with the convolution kernel's rounding (seed 1's margin run: 0.905 under im2col, 0.700
    /// under the direct kernel), so that question needs seeds and intervals — an experiment, not a
    /// unit test.
    func testActiveLearningRoundsBuyLabelsAndTheModelLearns() throws {
        var first: [QueryStrategy: [Double]] = [:], last: [QueryStrategy: [Double]] = [:]
        for seed in UInt64(1)...3 {
            let data = try Self.noisyData(seed: seed, pool: 150, train: 10)
            for strategy in [QueryStrategy.random, .margin] {
                let loop = ActiveLearningLoop(rounds: 5, batch: 40, strategy: strategy, labeler: .gold, seed: seed)
                let (_, curve, effort) = try loop.run(on: data, recipe: Self.recipe)
                XCTAssertEqual(curve.map(\.labels), [40, 80, 120, 160, 200])
                XCTAssertEqual(effort.annotations, 200)
                first[strategy, default: []].append(curve.first!.testAccuracy)
                last[strategy, default: []].append(curve.last!.testAccuracy)
                print("active learning seed \(seed) \(strategy.rawValue): " + curve.map { "\($0.labels): \(String(format: "%.3f", $0.testAccuracy))" }.joined(separator: ", "))
            }
        }
        // Measured here: 0.48 at 40 labels, 0.79–0.89 at 200 (means over the three seeds).
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        for strategy in [QueryStrategy.random, .margin] {
            XCTAssertGreaterThan(mean(last[strategy]!), mean(first[strategy]!) + 0.15, "\(strategy): 160 more labels must teach the model")
        }
    }

    /// What margin sampling does, robustly: the samples it queries are the ones the model is least
    /// sure between two classes about, far more than a random draw.
    func testMarginQueriesTheAmbiguousSamples() throws {
        var g = SplitMix64(seed: 5)
        let rows = (0..<500).flatMap { _ -> [Double] in
            let a = Double(g.nextUniform()), b = Double(g.nextUniform()) * (1 - a)
            return [a, b, 1 - a - b]
        }
        let p = try PredictedProbabilities(values: rows, classes: 3)
        func gap(_ r: Int) -> Double { let s = (0..<3).map { p[r, $0] }.sorted(by: >); return s[0] - s[1] }
        let margin = QueryStrategy.margin.select(50, from: p, using: &g).map(gap)
        let random = QueryStrategy.random.select(50, from: p, using: &g).map(gap)
        let sortedGaps = (0..<500).map(gap).sorted()
        XCTAssertEqual(margin.max()!, sortedGaps[49], accuracy: 1e-12, "margin picks exactly the 50 smallest gaps")
        XCTAssertLessThan(margin.reduce(0, +), random.reduce(0, +) / 4)
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
