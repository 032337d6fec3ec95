import Curation
import Datasets
import Engine
import Store

/// `consensus: {annotators: 3, method: dawid-skene, budget: 0.25}` — buys `annotators` more
/// labels from the same annotation process for each of the top flagged samples (within the
/// budget), then settles those samples' labels by majority vote or Dawid–Skene (fitted on every
/// training annotation, so each annotator's confusion is learned from all their work), and
/// records each annotator's estimated accuracy.
public struct ConsensusStep: DataStep {
    public static let name = "consensus"
    let extraAnnotations: Int
    let method: ConsensusMethod
    let budget: ReviewBudget

    public init(options: ConfigReader) throws {
        let o = try options.entries(allowed: ["annotators", "method", "budget", "count"])
        extraAnnotations = try o["annotators"]?.positiveInt() ?? 3
        method = ConsensusMethod(rawValue: try o["method"]?.string(allowed: ConsensusMethod.allCases.map(\.rawValue)) ?? "dawid-skene")!
        if let c = o["count"] { budget = .count(try c.int(minimum: 0, description: "a count ≥ 0")) }
        else { budget = .fraction(try o["budget"]?.double(in: 0...1, description: "a fraction of the training split in [0, 1]") ?? 0.25) }
    }

    public func apply(to context: inout CurationContext) throws -> StepRecord {
        let ranked = try context.requireFlags(for: Self.name)
        guard let process = context.annotation else {
            throw CurationError.invalidInput("consensus buys labels from the same annotators, so it needs a simulated noise model (dataset.noise)")
        }
        var data = context.data
        let train = data.indices(in: .train)
        let chosen = Array(ranked.prefix(budget.samples(trainingSize: train.count)))
        let team = max(1, Int(data.annotators.max() ?? 0) + 1)
        var generator = SplitMix64(seed: context.seed(for: Self.name))
        var annotations = train.map { Annotation(sample: $0, annotator: max(0, Int(data.annotators[$0])), label: Int(data.delivered[$0])) }
        for i in chosen {
            for extra in 1...extraAnnotations {
                let annotator = (max(0, Int(data.annotators[i])) + extra) % team
                let drawn = process.annotate(truth: Int(data.gold[i]), ambiguity: data.ambiguity[i], classes: data.classNames.count,
                                             annotator: annotator, using: &generator)
                annotations.append(Annotation(sample: i, annotator: drawn.annotator ?? annotator, label: drawn.label))
            }
        }
        let agreed = try method.consensus(annotations, samples: data.count, annotators: team, classes: data.classNames.count)
        var outcome = RelabelOutcome(effort: Effort(reviewed: chosen.count, annotations: chosen.count * extraAnnotations), reviewed: chosen)
        for i in chosen where agreed.labels[i] >= 0 && Int32(agreed.labels[i]) != data.delivered[i] {
            outcome.record(change: data.delivered[i], to: Int32(agreed.labels[i]), truth: data.gold[i])
            data.delivered[i] = Int32(agreed.labels[i])
        }
        data.record(step: "consensus \(method.rawValue) extra=\(extraAnnotations) on \(chosen.count) samples, changed=\(outcome.effort.labelsChanged)")
        context.replaceData(data)
        return StepRecord(name: Self.name, effort: outcome.effort,
                          outcome: ConsensusOutcome(review: RelabelStepOutcome(outcome, samplesKey: "reannotated"), annotatorAccuracy: agreed.annotatorAccuracy))
    }
}

/// What `consensus` did: the samples re-annotated and the labels it fixed and broke (as a review
/// records them), and each annotator's accuracy as the consensus estimated it.
public struct ConsensusOutcome: StepOutcome, Equatable {
    public static let step = ConsensusStep.name
    public var review: RelabelStepOutcome
    /// By annotator index.
    public var annotatorAccuracy: [Double]

    public var stored: StoredOutcome {
        var stored = review.stored
        for (a, accuracy) in annotatorAccuracy.enumerated() { stored.values["annotator_\(a)_accuracy"] = accuracy }
        return stored
    }

    public init(review: RelabelStepOutcome, annotatorAccuracy: [Double]) { self.review = review; self.annotatorAccuracy = annotatorAccuracy }

    public init(stored: StoredOutcome) {
        let count = stored.values.keys.filter { $0.hasPrefix("annotator_") && $0.hasSuffix("_accuracy") }.count
        self.init(review: RelabelStepOutcome(stored: stored), annotatorAccuracy: (0..<count).map { stored.values["annotator_\($0)_accuracy"] ?? .nan })
    }
}
