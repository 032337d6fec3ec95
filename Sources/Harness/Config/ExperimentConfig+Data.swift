import Curation
import Datasets
import Engine

extension ExperimentConfig {
    /// The data every trial of `seed` sees: the scenario drawn (or the file read), the classes
    /// thinned and the splits drifted as `dataset` says, and the label noise applied, all from the seed.
    public func data(seed: Int) throws -> Dataset {
        var dataset: Dataset
        if let scenario = self.data.scenario {
            dataset = try Scenarios.named(scenario).generate(imageSize: self.data.imageSize, perClass: self.data.perClass, seed: UInt64(seed),
                                                             minSeverity: Float(self.data.minSeverity), stableSplits: self.data.stableSplits ?? false)
        } else {
            dataset = try Dataset.load(from: self.data.path!)
                .carvingValidation(fraction: self.data.validationFraction ?? DataSpec.defaultValidationFraction, seed: UInt64(seed))
        }
        if !self.data.shift.isEmpty { dataset = try self.data.shift.apply(to: dataset, seed: UInt64(seed)) }
        guard let noise = try labelNoise(classNames: dataset.classNames) else { return dataset }
        return try noise.apply(to: dataset, seed: UInt64(seed) &+ 0x5EED)
    }

    /// The annotation process that delivers the labels (nil for `noise: none`): also what
    /// "the same annotators" means to the data steps that buy more labels.
    /// - Throws: `ConfigError` when a pair names a class the data does not have.
    public func labelNoise(classNames: [String]) throws -> LabelNoise? {
        switch data.noise {
        case .none: return nil
        case .uniform(let rate): return .uniform(rate: rate)
        case .classConditional(let rate, let named):
            let pairs = try pairIndices(named, classNames: classNames)
            let flips = classNames.indices.flatMap { c -> [ClassFlip] in
                let partners = pairs.compactMap { $0.0 == c ? $0.1 : $0.1 == c ? $0.0 : nil }
                return partners.map { ClassFlip(from: c, to: $0, rate: rate / Double(partners.count)) }
            }
            return .confusion(flips)
        case .annotatorConventions(let annotators, let strength, let ambiguity, let slip, let named):
            let pairs = try pairIndices(named, classNames: classNames)
            var conventions = AnnotatorConventions(annotators: annotators, pairs: pairs, strength: strength, slip: slip)
            conventions.ambiguityFloor = ambiguity
            return .annotatorConventions(conventions)
        }
    }

    /// Look-alike pairs as class indices: the ones named (checked against `classNames`), else the scenario's.
    private func pairIndices(_ named: [[String]]?, classNames: [String]) throws -> [(Int, Int)] {
        try named.map { try $0.map { pair -> (Int, Int) in
            let indices = try pair.map { name in
                guard let index = classNames.firstIndex(of: name) else {
                    throw ConfigError("dataset.noise.pairs: unknown class '\(name)'; the data has \(classNames.joined(separator: ", "))")
                }
                return index
            }
            return (indices[0], indices[1])
        } } ?? (try data.scenario.map { try Scenarios.named($0).confusablePairs } ?? [])
    }

    /// What `recipe`'s model costs per image at inference, in millions of FLOPs, on this
    /// experiment's images (a dataset file is read for its shape and classes).
    public func inferenceMFLOPs(of recipe: Recipe) throws -> Double {
        let (channels, classes, size): (Int, Int, Int)
        if let scenario = data.scenario {
            (channels, classes, size) = (1, try Scenarios.named(scenario).classNames.count, data.imageSize)
        } else {
            let stored = try Dataset.load(from: data.path!)
            (channels, classes, size) = (stored.channels, stored.classNames.count, stored.height)
        }
        return Double(try recipe.model(inputChannels: channels, imageSize: size, classes: classes, seed: 0).inferenceFLOPsPerSample) / 1e6
    }
}

extension ValidationReview {
    /// Decodes `{count: N, reviewer: consistent, error_rate, ambiguous_error_rate, convention}`.
    static func decode(_ reader: ConfigReader, validationPerClass: Int) throws -> ValidationReview {
        let o = try reader.entries(allowed: ["count", "reviewer"] + LabelSource.optionKeys)
        guard let count = o["count"] else { throw ConfigError("\(reader.path).count: missing; how many validation images the reviewer checks (\(reader.tree.origin))") }
        return ValidationReview(count: try count.positiveInt(),
                                source: try LabelSource.decode(o, key: "reviewer", default: "consistent", allowHuman: false))
    }

    /// Per validation sample of `data` in split order, the label the reviewer writes for the
    /// `count` drawn from `seed` (−1 for the others).
    func labels(for data: Dataset, seed: Int, annotation: LabelNoise?) throws -> [Int32] {
        let validation = data.indices(in: .validation)
        var order = Array(validation.indices)
        var generator = SplitMix64(seed: UInt64(seed) &+ 0x7E41_F1ED)
        generator.shuffle(&order)
        let reviewer = try source.reviewer(classNames: data.classNames, annotation: annotation)
        try source.requireTruth(of: order.prefix(count).map { validation[$0] }, in: data, step: "dataset.verify")
        var checked = [Int32](repeating: -1, count: validation.count)
        for position in order.prefix(count) { checked[position] = try reviewer.label(validation[position], in: data, using: &generator) }
        return checked
    }
}

extension ExperimentConfig {
    /// The validation labels checked before any choice, per validation sample in split order (−1:
    /// not checked), or nil when there are none: `dataset.verify`'s review, or, for a dataset
    /// file, its validation split's verified labels (imported with `--verified val`, or
    /// `--labels-are-gold`).
    public func verifiedValidation(of data: Dataset, seed: Int) throws -> [Int32]? {
        if let review = self.data.verify {
            return try review.labels(for: data, seed: seed, annotation: try labelNoise(classNames: data.classNames))
        }
        guard self.data.path != nil else { return nil }
        let validation = data.indices(in: .validation)
        guard !validation.isEmpty, validation.allSatisfy({ data.gold[$0] >= 0 }) else { return nil }
        return validation.map { data.gold[$0] }
    }
}
