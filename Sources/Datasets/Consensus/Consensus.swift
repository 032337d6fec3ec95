/// One label one annotator gave one sample.
public struct Annotation: Sendable, Equatable {
    public var sample: Int
    public var annotator: Int
    public var label: Int
    public init(sample: Int, annotator: Int, label: Int) { self.sample = sample; self.annotator = annotator; self.label = label }
}

/// Labels agreed from several annotations per sample, with what was learned about the annotators.
public struct Consensus: Sendable, Equatable {
    /// Agreed class per sample (−1 for a sample nobody annotated).
    public let labels: [Int]
    /// Per sample: the agreed class's share of the vote (majority) or posterior (Dawid–Skene).
    public let confidence: [Double]
    /// Per annotator: estimated probability of giving the true label.
    public let annotatorAccuracy: [Double]
    /// Per annotator, `[true][given]` estimated confusion (Dawid–Skene only; empty for majority).
    public let annotatorConfusion: [[[Double]]]
}

/// How several annotations become one label.
public enum ConsensusMethod: String, Sendable, CaseIterable, Encodable {
    /// The most frequent label (ties to the lowest class index).
    case majority
    /// Dawid & Skene (1979): EM over per-annotator confusion matrices and class priors.
    case dawidSkene = "dawid-skene"

    /// - Parameters: `samples` N, `annotators` A, `classes` K; every annotation's fields in range.
    /// - Throws: `DatasetError.invalid` naming the first annotation out of range.
    public func consensus(_ annotations: [Annotation], samples: Int, annotators: Int, classes: Int) throws -> Consensus {
        if let bad = annotations.firstIndex(where: { !(0..<samples ~= $0.sample) || !(0..<annotators ~= $0.annotator) || !(0..<classes ~= $0.label) }) {
            throw DatasetError.invalid("annotation \(bad) (\(annotations[bad])) is out of range: \(samples) samples, \(annotators) annotators, \(classes) classes")
        }
        switch self {
        case .majority: return MajorityVote.consensus(annotations, samples: samples, annotators: annotators, classes: classes)
        case .dawidSkene: return DawidSkene().consensus(annotations, samples: samples, annotators: annotators, classes: classes)
        }
    }
}
