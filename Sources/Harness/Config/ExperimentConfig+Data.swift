import Datasets
import Engine

extension ExperimentConfig {
    /// The data every trial of `seed` sees: the scenario drawn (or the file read) and the label
    /// noise applied, both from the seed.
    public func data(seed: Int) throws -> Dataset {
        var dataset: Dataset
        if let scenario = self.data.scenario {
            dataset = try Scenarios.named(scenario).generate(imageSize: self.data.imageSize, perClass: self.data.perClass, seed: UInt64(seed),
                                                             minSeverity: Float(self.data.minSeverity))
        } else {
            dataset = try Dataset.load(from: self.data.path!)
        }
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
        case .annotatorConventions(let annotators, let strength, let ambiguity, let slip, let named):
            let pairs = try named.map { try $0.map { pair -> (Int, Int) in
                let indices = try pair.map { name in
                    guard let index = classNames.firstIndex(of: name) else {
                        throw ConfigError("dataset.noise.pairs: unknown class '\(name)'; the data has \(classNames.joined(separator: ", "))")
                    }
                    return index
                }
                return (indices[0], indices[1])
            } } ?? (try data.scenario.map { try Scenarios.named($0).confusablePairs } ?? [])
            var conventions = AnnotatorConventions(annotators: annotators, pairs: pairs, strength: strength, slip: slip)
            conventions.ambiguityFloor = ambiguity
            return .annotatorConventions(conventions)
        }
    }
}
