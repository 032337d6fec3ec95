/// A basic residual block (He et al. 2016): `y = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))`,
/// with 3×3 convolutions (the first with stride `stride`) and a shortcut that is the identity,
/// or a 1×1 convolution with batch norm when the stride or channel count changes.
/// Layout NCHW. Parameters are named `conv1.kernel`, `bn1.scale`, …, `shortcut.kernel`. In inference,
/// where a convolution of the main path runs Winograd, its batch norm is applied inside it
/// (`Conv2D.forwardInference(_:normalizedBy:)`): the same outputs to the bit, one pass fewer.
public final class ResidualBlock: Layer {
    public let kind = "residual"
    public let inputChannels, outputChannels, stride: Int
    public var needsInputGradient = true
    /// conv1, bn1, conv2, bn2.
    let main: [Layer]
    /// Empty (the identity), or the 1×1 convolution and its batch norm.
    let shortcut: [Layer]
    /// The main path as (convolution, its batch norm) pairs.
    private let stages: [(convolution: Conv2D, norm: BatchNorm2D)]
    /// Whether the last forward pass applied a batch norm inside a convolution (inference on
    /// Winograd), after which there is nothing for backward to differentiate.
    private(set) var fusedBatchNorms = false
    private var output = Workspace()
    private var lastOutput: Tensor?
    private var multiplyAccumulateCount = 0

    public init(inputChannels: Int, outputChannels: Int, stride: Int = 1) throws {
        self.inputChannels = inputChannels; self.outputChannels = outputChannels; self.stride = stride
        stages = [
            (try Conv2D(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 3, stride: stride, padding: 1, bias: false),
             try BatchNorm2D(channels: outputChannels, activation: .relu)),
            (try Conv2D(inputChannels: outputChannels, outputChannels: outputChannels, kernelSize: 3, padding: 1, bias: false),
             try BatchNorm2D(channels: outputChannels)),
        ]
        main = stages.flatMap { [$0.convolution, $0.norm] as [Layer] }
        shortcut = stride == 1 && inputChannels == outputChannels ? [] : [
            try Conv2D(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 1, stride: stride, bias: false),
            try BatchNorm2D(channels: outputChannels),
        ]
        for (prefix, layer) in zip(["conv1", "bn1", "conv2", "bn2"], main) { rename(layer, prefix) }
        for (prefix, layer) in zip(["shortcut", "shortcut_bn"], shortcut) { rename(layer, prefix) }
    }

    private func rename(_ layer: Layer, _ prefix: String) {
        for p in layer.parameters { p.name = "\(prefix).\(p.name)" }
    }

    public var parameters: [Parameter] { (main + shortcut).flatMap(\.parameters) }

    /// The block's batch norms: the main path's two, then the shortcut's if it has one.
    public var batchNorms: [BatchNorm2D] { (main + shortcut).compactMap { $0 as? BatchNorm2D } }

    public var buffers: [(name: String, tensor: Tensor)] {
        zip(["bn1", "bn2"], [main[1], main[3]]).flatMap { prefix, layer in layer.buffers.map { ("\(prefix).\($0.name)", $0.tensor) } }
            + (shortcut.last?.buffers.map { ("shortcut_bn.\($0.name)", $0.tensor) } ?? [])
    }

    public var multiplyAccumulates: Int { multiplyAccumulateCount }

    public func executedFLOPs(_ mode: Mode) -> Int { (main + shortcut).reduce(0) { $0 + $1.executedFLOPs(mode) } }

    public func connect(to input: Shape) throws -> Shape {
        var shape = input
        multiplyAccumulateCount = 0
        for layer in main { shape = try layer.connect(to: shape); multiplyAccumulateCount += layer.multiplyAccumulates }
        var side = input
        for layer in shortcut { side = try layer.connect(to: side); multiplyAccumulateCount += layer.multiplyAccumulates }
        precondition(side == shape, "ResidualBlock: shortcut \(side) and main path \(shape) differ")
        return shape
    }

    public func initialize(using generator: inout SplitMix64) {
        for layer in main + shortcut { layer.initialize(using: &generator) }
    }

    public func shareScratch(_ scratch: SharedScratch) {
        for layer in main + shortcut { layer.shareScratch(scratch) }
    }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        var side = input
        for layer in shortcut { side = layer.forward(side, mode: mode) }
        var x = input
        fusedBatchNorms = false
        for (index, (convolution, norm)) in stages.enumerated() {
            if mode == .inference, let y = convolution.forwardInference(x, normalizedBy: norm) {
                x = y
                fusedBatchNorms = true
            } else if index == stages.count - 1 {
                // The last batch norm writes the block's output, the shortcut added and rectified.
                let convolved = convolution.forward(x, mode: mode), y = output.tensor(convolved.shape)
                norm.forward(convolved, mode: mode, addingReLU: side, into: y)
                lastOutput = y
                return y
            } else {
                x = norm.forward(convolution.forward(x, mode: mode), mode: mode)
            }
        }
        let y = output.tensor(x.shape)
        forEachElementRange(of: y.count) { r in addReLU(y.pointer + r.lowerBound, x.pointer + r.lowerBound, side.pointer + r.lowerBound, count: r.count) }
        lastOutput = y
        return y
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let y = lastOutput else { preconditionFailure("ResidualBlock.backward before forward") }
        precondition(!fusedBatchNorms, "ResidualBlock.backward after an inference pass that applied its batch norms inside the convolutions")
        let dy = output.tensor(y.shape) // the output is no longer needed once masked
        forEachElementRange(of: y.count) { r in
            reluBackward(dy.pointer + r.lowerBound, outputGradient.pointer + r.lowerBound, y.pointer + r.lowerBound, count: r.count)
        }
        var dMain = dy
        for layer in main.reversed() { dMain = layer.backward(dMain) }
        var dSide = dy
        for layer in shortcut.reversed() { dSide = layer.backward(dSide) }
        // The sum goes into the main path's input gradient (conv1's workspace, read by nothing else
        // until this block's next call): the block needs no input-gradient buffer of its own.
        forEachElementRange(of: dMain.count) { r in add(dMain.pointer + r.lowerBound, dMain.pointer + r.lowerBound, dSide.pointer + r.lowerBound, count: r.count) }
        return dMain
    }
}
