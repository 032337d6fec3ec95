/// Weights a recipe starts from instead of random ones — transfer learning: every tensor of a
/// model trained elsewhere, except its classifier (the last layer with parameters), which starts
/// from the recipe's seed for the new classes. The recipe records where the weights came from and
/// their SHA-256, so a trial's id changes whenever the weights do.
public struct PretrainedWeights: Sendable, Codable {
    /// One saved tensor: its shape and values.
    public struct Saved: Sendable {
        public let shape: [Int]
        public let values: [Float]

        public init(shape: [Int], values: [Float]) { self.shape = shape; self.values = values }
    }

    /// The trial file the weights came from, as the experiment file names it.
    public let source: String
    /// SHA-256 of the saved tensors (names, shapes and values).
    public let sha256: String
    /// The saved tensors by `layer/name` (not encoded: the recipe stores `source` and `sha256`).
    public let tensors: [String: Saved]

    public init(source: String, sha256: String, tensors: [String: Saved]) {
        self.source = source; self.sha256 = sha256; self.tensors = tensors
    }

    private enum CodingKeys: String, CodingKey { case source, sha256 }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(source: try container.decode(String.self, forKey: .source), sha256: try container.decode(String.self, forKey: .sha256), tensors: [:])
    }

    /// Copies the weights into `model`, all but its classifier.
    /// - Throws: `EngineError.shapeMismatch` naming the first tensor that is missing from the saved
    ///   weights or has another shape there (another architecture, another number of channels).
    public func load(into model: Sequential) throws {
        let classifier = model.layerNames[model.layers.lastIndex { !$0.parameters.isEmpty } ?? model.layers.count - 1]
        for target in model.namedTensors where target.layer != classifier {
            let key = "\(target.layer)/\(target.name)"
            guard let saved = tensors[key] else {
                throw EngineError.shapeMismatch("pretrained weights \(source): no tensor \(key); the weights are of another architecture")
            }
            guard saved.shape == target.tensor.shape.dimensions else {
                throw EngineError.shapeMismatch("pretrained weights \(source): \(key) is \(saved.shape), the recipe's model needs \(target.tensor.shape.dimensions)")
            }
            saved.values.withUnsafeBufferPointer { target.tensor.pointer.update(from: $0.baseAddress!, count: $0.count) }
        }
    }
}

extension PretrainedWeights: Equatable, Hashable {
    public static func == (a: PretrainedWeights, b: PretrainedWeights) -> Bool { a.source == b.source && a.sha256 == b.sha256 }
    public func hash(into hasher: inout Hasher) { hasher.combine(sha256) }
}
