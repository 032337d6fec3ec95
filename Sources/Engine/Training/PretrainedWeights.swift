/// Weights a recipe starts from instead of random ones — transfer learning: every tensor of a
/// model trained elsewhere, except its classifier (the last layer with parameters), which starts
/// from the recipe's seed for the new classes. Layers are matched in order among those that hold
/// tensors, so layers without any (an input pooling, a dropout) may differ between the two models.
/// The recipe records where the weights came from and their SHA-256, so a trial's id changes
/// whenever the weights do.
public struct PretrainedWeights: Sendable, Codable {
    /// One saved tensor: its shape and values.
    public struct Saved: Sendable {
        public let shape: [Int]
        public let values: [Float]

        public init(shape: [Int], values: [Float]) { self.shape = shape; self.values = values }
    }

    /// One saved layer that holds tensors: its name in the saved model, its kind and its tensors by name.
    public struct SavedLayer: Sendable {
        public let name: String
        public let kind: String
        public let tensors: [String: Saved]

        public init(name: String, kind: String, tensors: [String: Saved]) { self.name = name; self.kind = kind; self.tensors = tensors }
    }

    /// The trial file the weights came from, as the experiment file names it.
    public let source: String
    /// SHA-256 of the saved tensors (names, shapes and values).
    public let sha256: String
    /// The saved layers in model order (not encoded: the recipe stores `source` and `sha256`).
    public let layers: [SavedLayer]

    public init(source: String, sha256: String, layers: [SavedLayer]) {
        self.source = source; self.sha256 = sha256; self.layers = layers
    }

    private enum CodingKeys: String, CodingKey { case source, sha256 }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(source: try container.decode(String.self, forKey: .source), sha256: try container.decode(String.self, forKey: .sha256), layers: [])
    }

    /// Copies the weights into `model`, all but its classifier: the model's layers that hold
    /// tensors, in order, take the saved layers', in order, the saved classifier left out.
    /// - Throws: `EngineError.shapeMismatch` naming the first layer or tensor that differs in
    ///   number, kind or shape (another architecture, another number of channels).
    public func load(into model: Sequential) throws {
        let targets = zip(model.layerNames, model.layers).filter { !$0.1.parameters.isEmpty || !$0.1.buffers.isEmpty }.dropLast()
        let saved = layers.dropLast()
        guard targets.count == saved.count else {
            throw EngineError.shapeMismatch("pretrained weights \(source): \(saved.count) layer(s) with weights before the classifier, "
                                            + "the recipe's model has \(targets.count); the weights are of another architecture")
        }
        for ((name, layer), savedLayer) in zip(targets, saved) {
            guard layer.kind == savedLayer.kind else {
                throw EngineError.shapeMismatch("pretrained weights \(source): layer \(savedLayer.name) is \(savedLayer.kind), the recipe's model has \(layer.kind) (\(name))")
            }
            for (tensorName, tensor) in layer.parameters.map({ ($0.name, $0.value) }) + layer.buffers.map({ ($0.name, $0.tensor) }) {
                guard let values = savedLayer.tensors[tensorName], values.shape == tensor.shape.dimensions else {
                    throw EngineError.shapeMismatch("pretrained weights \(source): \(savedLayer.name)/\(tensorName) is "
                                                    + "\(savedLayer.tensors[tensorName].map { "\($0.shape)" } ?? "missing"), the recipe's model needs \(tensor.shape.dimensions)")
                }
                values.values.withUnsafeBufferPointer { tensor.pointer.update(from: $0.baseAddress!, count: $0.count) }
            }
        }
    }
}

extension PretrainedWeights: Equatable, Hashable {
    public static func == (a: PretrainedWeights, b: PretrainedWeights) -> Bool { a.source == b.source && a.sha256 == b.sha256 }
    public func hash(into hasher: inout Hasher) { hasher.combine(sha256) }
}
