import Datasets
import Engine

/// Who looks at a flagged sample and writes its label. The simulated reviewers need the true
/// labels (built-in scenarios, injected noise); a person reviews through `ReviewFile`.
public enum Reviewer: Sendable, Equatable {
    /// Writes the true label: the upper bound of what review can do.
    case gold
    /// An expert who applies one labelling convention consistently, wrong at `errorRate` (then
    /// a uniformly random other class).
    case consistent(errorRate: Double)
    /// The same annotation process that produced the delivered labels (inconsistent conventions
    /// included): what buying more labels from the same team gives.
    case sameAsDelivered(LabelNoise)

    /// The label this reviewer writes for sample `index`.
    /// - Throws: `CurationError.invalidInput` when the sample's true label is unknown.
    public func label(_ index: Int, in data: Dataset, using generator: inout SplitMix64) throws -> Int32 {
        let truth = Int(data.gold[index])
        guard truth >= 0 else {
            throw CurationError.invalidInput("sample \(index) has no known true label, so a simulated reviewer cannot label it; review it by hand (reviewer: human)")
        }
        let k = data.classNames.count
        switch self {
        case .gold: return Int32(truth)
        case .consistent(let errorRate):
            guard generator.nextUniform() < Float(errorRate) else { return Int32(truth) }
            let pick = generator.nextIndex(below: k - 1)
            return Int32(pick >= truth ? pick + 1 : pick)
        case .sameAsDelivered(let process):
            return Int32(process.annotate(truth: truth, ambiguity: data.ambiguity[index], classes: k, using: &generator).label)
        }
    }
}
