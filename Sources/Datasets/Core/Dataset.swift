import Engine
import Store

/// Images with everything known about their labels: the truth where known, the labels as
/// delivered, who labelled each image, how ambiguous it is, and which split it belongs to.
public struct Dataset: Sendable, Equatable {
    /// Pixels, row-major (N, H, W, C), 0…255.
    public var pixels: [UInt8]
    public var height: Int, width: Int, channels: Int
    public var classNames: [String]
    /// True class per image, −1 where unknown.
    public var gold: [Int32]
    /// Class per image as delivered (after any corruption).
    public var delivered: [Int32]
    /// Annotator per image, −1 where unknown.
    public var annotators: [Int32]
    /// 0 (clear) … 1 (genuinely ambiguous); NaN where unknown.
    public var ambiguity: [Float]
    public var splits: [Split]
    /// Source, generator, seed and every transform applied, in order.
    public var provenance: [String: String]
    /// The delivered labels as they were before a person's review was applied
    /// (`flywheel data apply-review`), nil when no review was.
    public var labelsBeforeReview: [Int32]?
    /// Per image, the graded label's confidence in [0, 1] as delivered (a `confidence` or
    /// probability column), NaN where not given; nil when the source gave none.
    public var labelConfidence: [Float]?
    /// Per image, the share of its annotations that agree with its delivered label (several
    /// annotators per image); nil when every image had one annotation.
    public var agreement: [Float]?
    /// Every label every annotator gave (several annotators per image, as imported); empty when
    /// each image has only its delivered label.
    public var annotations: [Annotation] = []
    /// Each image's source file as imported (absolute path); nil for generated images.
    public var sourcePaths: [String]?

    public init(pixels: [UInt8], height: Int, width: Int, channels: Int, classNames: [String], gold: [Int32], delivered: [Int32],
                annotators: [Int32], ambiguity: [Float], splits: [Split], provenance: [String: String], labelsBeforeReview: [Int32]? = nil,
                labelConfidence: [Float]? = nil, agreement: [Float]? = nil, annotations: [Annotation] = [], sourcePaths: [String]? = nil) {
        self.pixels = pixels; self.height = height; self.width = width; self.channels = channels
        self.classNames = classNames; self.gold = gold; self.delivered = delivered; self.annotators = annotators
        self.ambiguity = ambiguity; self.splits = splits; self.provenance = provenance
        self.labelsBeforeReview = labelsBeforeReview
        self.labelConfidence = labelConfidence; self.agreement = agreement; self.annotations = annotations
        self.sourcePaths = sourcePaths
    }

    /// Number of images.
    public var count: Int { delivered.count }
    /// Bytes of one image.
    public var imageSize: Int { height * width * channels }

    /// Indices of the samples in `split`, in order.
    public func indices(in split: Split) -> [Int] { splits.indices.filter { splits[$0] == split } }

    /// Whether every one of `samples` has a gold label (so figures that need the truth can be given).
    public func hasGold(_ samples: [Int]) -> Bool { samples.allSatisfy { gold[$0] >= 0 } }

    /// Samples whose delivered label differs from the known gold label.
    public var noiseMask: [Bool] { zip(gold, delivered).map { $0 >= 0 && $0 != $1 } }

    /// Appends a provenance entry under the next free `step_NN` key, so transforms read in order.
    public mutating func record(step: String) {
        let next = provenance.keys.filter { $0.hasPrefix("step_") }.count
        provenance[String(format: "step_%02d", next)] = step
    }

    /// The images at `indices` as engine input, their labels unread: pixels scaled to [−1, 1], NCHW.
    public func images(_ indices: [Int]) -> Tensor {
        let plane = height * width
        let images = Tensor(zeros: [indices.count, channels, height, width])
        for (slot, index) in indices.enumerated() {
            let source = index * imageSize, target = images.pointer + slot * imageSize
            for p in 0..<plane {
                for c in 0..<channels { target[c * plane + p] = Float(pixels[source + p * channels + c]) / 127.5 - 1 }
            }
        }
        return images
    }

    /// The samples at `indices` as engine input: pixels scaled to [−1, 1], NCHW, with the
    /// delivered labels (or gold, when `gold` is true; every selected sample must have one).
    public func labeledImages(_ indices: [Int], gold useGold: Bool = false) throws -> LabeledImages {
        let images = self.images(indices)
        let labels = indices.map { useGold ? gold[$0] : delivered[$0] }
        if useGold, let missing = labels.firstIndex(of: -1) {
            throw DatasetError.invalid("sample \(indices[missing]) has no gold label")
        }
        return try LabeledImages(images: images, labels: labels, classes: classNames.count)
    }

    /// The samples at `indices` as training data, with the loss weights and the oversampling
    /// `training` asks for.
    /// - Throws: `DatasetError.invalid` when weights come from graded labels the dataset does not have.
    public func trainingImages(_ indices: [Int], for training: TrainingConfig) throws -> LabeledImages {
        let chosen = training.oversample ? oversampled(indices) : indices
        let images = try labeledImages(chosen)
        switch training.sampleWeights {
        case .uniform: return images
        case .confidence:
            guard let confidence = labelConfidence else {
                throw DatasetError.invalid("train.sample_weights: confidence needs graded labels (a confidence column at import); this dataset has none")
            }
            return try LabeledImages(images: images.images, labels: images.labels, classes: images.classes,
                                     weights: chosen.map { confidence[$0].isNaN ? 1 : confidence[$0] })
        case .balanced:
            let counts = Dictionary(grouping: images.labels, by: { $0 }).mapValues(\.count)
            let scale = Float(images.labels.count) / Float(counts.count)
            return try LabeledImages(images: images.images, labels: images.labels, classes: images.classes,
                                     weights: images.labels.map { scale / Float(counts[$0]!) })
        }
    }

    /// `indices` with each class's samples (by delivered label) repeated in order until the class
    /// has as many as the largest; the original samples first, the repeats after.
    func oversampled(_ indices: [Int]) -> [Int] {
        let byClass = Dictionary(grouping: indices, by: { delivered[$0] })
        let largest = byClass.values.map(\.count).max() ?? 0
        return indices + byClass.keys.sorted().flatMap { label -> [Int] in
            let members = byClass[label]!
            return (0..<(largest - members.count)).map { members[$0 % members.count] }
        }
    }

    /// The dataset in the store's HDF5 layout.
    public var stored: StoredDataset {
        StoredDataset(images: pixels, imageShape: [count, height, width, channels], classNames: classNames, goldLabels: gold,
                      deliveredLabels: delivered, annotators: annotators, ambiguity: ambiguity, split: splits.map(\.rawValue),
                      provenance: provenance, labelsBeforeReview: labelsBeforeReview, labelConfidence: labelConfidence, agreement: agreement,
                      annotations: annotations.isEmpty ? nil : StoredAnnotations(sample: annotations.map { Int32($0.sample) },
                                                                                 annotator: annotations.map { Int32($0.annotator) },
                                                                                 label: annotations.map { Int32($0.label) }),
                      sourcePaths: sourcePaths)
    }

    /// A dataset from the store's HDF5 layout.
    public init(_ stored: StoredDataset) {
        self.init(pixels: stored.images, height: stored.imageShape[1], width: stored.imageShape[2], channels: stored.imageShape[3],
                  classNames: stored.classNames, gold: stored.goldLabels, delivered: stored.deliveredLabels,
                  annotators: stored.annotators, ambiguity: stored.ambiguity, splits: stored.split.map { Split(rawValue: $0)! },
                  provenance: stored.provenance, labelsBeforeReview: stored.labelsBeforeReview,
                  labelConfidence: stored.labelConfidence, agreement: stored.agreement,
                  annotations: stored.annotations.map { a in a.sample.indices.map { Annotation(sample: Int(a.sample[$0]), annotator: Int(a.annotator[$0]), label: Int(a.label[$0])) } } ?? [],
                  sourcePaths: stored.sourcePaths)
    }

    /// Writes the dataset to an HDF5 file (atomically).
    public func save(to path: String) throws { try stored.write(to: path) }

    /// Reads a dataset file written by `save(to:)` or `flywheel data import`.
    public static func load(from path: String) throws -> Dataset { Dataset(try StoredDataset.read(from: path)) }
}

/// A dataset that cannot be built or used as asked; the message names the file, key or value.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self { case .invalid(let message): message }
    }
}
