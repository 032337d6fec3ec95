import Engine

extension Sequential {
    /// Every parameter and buffer as storable tensors, layer by layer.
    public var weightTensors: [WeightTensor] {
        namedTensors.map { WeightTensor(layer: $0.layer, kind: $0.kind, name: $0.name, shape: $0.tensor.shape.dimensions, values: $0.tensor.values) }
    }

    /// Loads saved tensors into this model, which must have the same architecture.
    /// - Throws: `HDF5Error`-free `WeightLoadingError` naming the first tensor that is missing or
    ///   has another shape or layer kind.
    public func load(_ weights: [WeightTensor]) throws {
        let saved = Dictionary(weights.map { ("\($0.layer)/\($0.name)", $0) }, uniquingKeysWith: { first, _ in first })
        for target in namedTensors {
            let key = "\(target.layer)/\(target.name)"
            guard let tensor = saved[key] else { throw WeightLoadingError(message: "no saved tensor for \(key)") }
            guard tensor.kind == target.kind, tensor.shape == target.tensor.shape.dimensions else {
                throw WeightLoadingError(message: "\(key): saved \(tensor.kind) \(tensor.shape), model has \(target.kind) \(target.tensor.shape.dimensions)")
            }
            tensor.values.withUnsafeBufferPointer { target.tensor.pointer.update(from: $0.baseAddress!, count: $0.count) }
        }
        guard saved.count == namedTensors.count else {
            throw WeightLoadingError(message: "saved weights hold \(saved.count) tensors; the model has \(namedTensors.count)")
        }
    }
}

/// Saved weights that do not fit the model they are loaded into.
public struct WeightLoadingError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { "cannot load weights: \(message)" }
}
