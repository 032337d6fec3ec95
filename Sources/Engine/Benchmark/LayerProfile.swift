/// Where a training step's time goes: forward and backward milliseconds per layer, averaged
/// over `steps` steps on a fixed batch (after one warm-up step).
public struct LayerTiming: Sendable, Codable {
    public let layer: String
    public let forwardMilliseconds: Double
    public let backwardMilliseconds: Double
}

/// Times every layer of `model` separately over `steps` training steps on `images`/`labels`.
public func profileLayers(model: Sequential, images: Tensor, labels: [Int32], steps: Int = 20) throws -> [LayerTiming] {
    let loss = try SoftmaxCrossEntropy(classes: model.outputShape[0])
    var forward = [Double](repeating: 0, count: model.layers.count)
    var backward = forward
    for step in 0...steps {
        model.arena.zeroGradients()
        var x = images
        for (i, layer) in model.layers.enumerated() {
            let start = monotonicSeconds()
            x = layer.forward(x, mode: .training)
            if step > 0 { forward[i] += monotonicSeconds() - start }
        }
        var g = labels.withUnsafeBufferPointer { y in
            _ = loss.evaluate(logits: x, labels: y, computeGradient: true)
            return loss.gradient
        }
        for (i, layer) in model.layers.enumerated().reversed() {
            let start = monotonicSeconds()
            g = layer.backward(g)
            if step > 0 { backward[i] += monotonicSeconds() - start }
        }
    }
    return zip(model.layerNames, zip(forward, backward)).map { name, t in
        LayerTiming(layer: name, forwardMilliseconds: 1000 * t.0 / Double(steps), backwardMilliseconds: 1000 * t.1 / Double(steps))
    }
}
