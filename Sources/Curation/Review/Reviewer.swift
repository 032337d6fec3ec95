import Datasets
import Engine

/// Who looks at a sample and writes its label. The simulated reviewers read the true labels
/// (built-in scenarios, injected noise) to decide when they are right; a person reviews through
/// `ReviewFile`.
public enum Reviewer: Sendable, Equatable {
    /// Writes the true label: an oracle, the upper bound of what review can do.
    case gold
    /// An expert who applies one labelling convention — the test set's — consistently, and errs
    /// more on hard images: on a sample of ambiguity a (0 clear … 1 a coin toss between look-alike
    /// classes) the label is wrong with probability `errorRate + (ambiguousErrorRate − errorRate) · a`,
    /// then a uniformly random other class. An image the data gives no ambiguity score (imported
    /// images, unless `flywheel data ambiguity` measured one) counts as `unscoredAmbiguity`.
    case consistent(errorRate: Double, ambiguousErrorRate: Double)
    /// The consistent expert, with a convention of their own on one look-alike pair: every sample
    /// of class `from` is labelled `to` (the test set keeps them apart); other samples as `consistent`.
    case convention(from: Int, to: Int, errorRate: Double, ambiguousErrorRate: Double)
    /// The same annotation process that produced the delivered labels (inconsistent conventions
    /// included): what buying more labels from the same team gives.
    case sameAsDelivered(LabelNoise)

    /// The ambiguity the expert's error rate assumes for an image without a score: clear (0), so
    /// the expert errs at `errorRate` there. (Until this was stated, a missing score made the rate
    /// NaN and the expert never erred: a gold oracle on imported images.)
    public static let unscoredAmbiguity = 0.0

    /// The probability that the expert (consistent or with a convention) errs on a sample of
    /// ambiguity `ambiguity` (NaN: no score, taken as `unscoredAmbiguity`), before any convention.
    public static func expertErrorRate(errorRate: Double, ambiguousErrorRate: Double, ambiguity: Double) -> Double {
        errorRate + (ambiguousErrorRate - errorRate) * min(max(ambiguity.isNaN ? unscoredAmbiguity : ambiguity, 0), 1)
    }

    /// The label this reviewer writes for sample `index`.
    /// - Throws: `CurationError.invalidInput` when the sample's true label is unknown.
    public func label(_ index: Int, in data: Dataset, using generator: inout SplitMix64) throws -> Int32 {
        let truth = Int(data.gold[index])
        guard truth >= 0 else {
            throw CurationError.invalidInput("sample \(index) has no known true label, so a simulated reviewer cannot label it; review it by hand (reviewer: human)")
        }
        let k = data.classNames.count, ambiguity = Double(data.ambiguity[index])
        switch self {
        case .gold: return Int32(truth)
        case .consistent(let errorRate, let ambiguousErrorRate):
            return Int32(Self.expert(truth: truth, classes: k, errorRate: Self.expertErrorRate(errorRate: errorRate, ambiguousErrorRate: ambiguousErrorRate,
                                                                                             ambiguity: ambiguity), using: &generator))
        case .convention(let from, let to, let errorRate, let ambiguousErrorRate):
            let seen = truth == from ? to : truth
            return Int32(Self.expert(truth: seen, classes: k, errorRate: Self.expertErrorRate(errorRate: errorRate, ambiguousErrorRate: ambiguousErrorRate,
                                                                                            ambiguity: ambiguity), using: &generator))
        case .sameAsDelivered(let process):
            return Int32(process.annotate(truth: truth, ambiguity: data.ambiguity[index], classes: k, using: &generator).label)
        }
    }

    /// `truth`, or with probability `errorRate` a uniformly random other class.
    private static func expert(truth: Int, classes k: Int, errorRate: Double, using generator: inout SplitMix64) -> Int {
        guard generator.nextUniform() < Float(errorRate) else { return truth }
        let pick = generator.nextIndex(below: k - 1)
        return pick >= truth ? pick + 1 : pick
    }
}
