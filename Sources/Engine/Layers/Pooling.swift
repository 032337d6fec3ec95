import CConvolution
/// Validates pooling options and derives the window geometry; shared by max and average pooling.
struct PoolingWindow {
    let kernelSize, stride, padding: Int

    init(layer: String, kernelSize: Int, stride: Int?, padding: Int) throws {
        try require(kernelSize > 0, "\(layer) kernelSize must be positive, got \(kernelSize)")
        let s = stride ?? kernelSize
        try require(s > 0, "\(layer) stride must be positive, got \(s)")
        try require(padding >= 0 && 2 * padding <= kernelSize,
                    "\(layer) padding must be between 0 and half the kernel (\(kernelSize / 2)), got \(padding)")
        self.kernelSize = kernelSize; self.stride = s; self.padding = padding
    }

    func geometry(for input: Shape, layer: String) throws -> ConvolutionGeometry {
        guard input.rank == 3 else { throw EngineError.shapeMismatch("\(layer) expects input (C, H, W), got \(input)") }
        guard input[1] + 2 * padding >= kernelSize, input[2] + 2 * padding >= kernelSize else {
            throw EngineError.shapeMismatch("\(layer) window \(kernelSize)×\(kernelSize) does not fit input \(input)")
        }
        return ConvolutionGeometry(channels: input[0], height: input[1], width: input[2], kernelHeight: kernelSize,
                                   kernelWidth: kernelSize, stride: stride, padding: padding)
    }
}

/// Max pooling over k×k windows: `y[n, c, i, j] = max_{u, v} x[n, c, i·s + u − p, j·s + v − p]`
/// (padding never wins). Forward records the argmax of every window, so backward is a scatter.
/// Layout NCHW in and out; stride defaults to the kernel size.
public final class MaxPool2D: Layer {
    public let kind = "maxpool2d"
    public var needsInputGradient = true
    private let window: PoolingWindow
    private var geometry: ConvolutionGeometry?
    private var output = Workspace(), inputGradient = Workspace()
    private var argmax = IndexWorkspace()
    private var lastBatch = 0

    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) throws {
        window = try PoolingWindow(layer: "MaxPool2D", kernelSize: kernelSize, stride: stride, padding: padding)
    }

    deinit { argmax.release() }

    public func connect(to input: Shape) throws -> Shape {
        let g = try window.geometry(for: input, layer: "MaxPool2D")
        geometry = g
        return [g.channels, g.outputHeight, g.outputWidth]
    }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        guard let g = geometry else { preconditionFailure("MaxPool2D used before connect(to:)") }
        checkInput(input, [g.channels, g.height, g.width], "MaxPool2D")
        let planes = input.shape.batch * g.channels
        let y = output.tensor([input.shape.batch, g.channels, g.outputHeight, g.outputWidth])
        let indices = argmax.indices(planes * g.outputPlane)
        lastBatch = input.shape.batch
        let fast = g.kernelHeight == 2 && g.stride == 2 && g.padding == 0
        forEachChunk(of: planes) { chunk, _ in
            for plane in chunk {
                let x = input.pointer + plane * g.height * g.width
                let out = y.pointer + plane * g.outputPlane, idx = indices + plane * g.outputPlane
                if fast { maxPool2x2(out, idx, x, g) } else { maxPoolGeneral(out, idx, x, g) }
            }
        }
        return y
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let g = geometry else { preconditionFailure("MaxPool2D.backward before forward") }
        let n = lastBatch
        precondition(outputGradient.shape == [n, g.channels, g.outputHeight, g.outputWidth],
                     "MaxPool2D.backward: gradient \(outputGradient.shape) does not match the last output")
        let dx = inputGradient.tensor([n, g.channels, g.height, g.width])
        let indices = argmax.indices(n * g.channels * g.outputPlane)
        let area = g.height * g.width
        forEachChunk(of: n * g.channels) { chunk, _ in
            for plane in chunk {
                let d = dx.pointer + plane * area
                let dy = outputGradient.pointer + plane * g.outputPlane, idx = indices + plane * g.outputPlane
                for i in 0..<area { d[i] = 0 }
                for o in 0..<g.outputPlane { d[Int(idx[o])] += dy[o] }
            }
        }
        return dx
    }
}

/// 2×2, stride 2, no padding: the common case, by `fw_max_pool2x2` on the widest instruction set
/// the CPU has (sixteen windows a step on AVX-512, eight on AVX2; the same results on each).
@inline(__always)
func maxPool2x2(_ y: UnsafeMutablePointer<Float>, _ idx: UnsafeMutablePointer<Int32>,
                _ x: UnsafePointer<Float>, _ g: ConvolutionGeometry) {
    fw_max_pool2x2(ConvolutionKernel.best.isaLevel, x, Int32(g.height), Int32(g.width), y, idx)
}

private func maxPoolGeneral(_ y: UnsafeMutablePointer<Float>, _ idx: UnsafeMutablePointer<Int32>,
                            _ x: UnsafePointer<Float>, _ g: ConvolutionGeometry) {
    for i in 0..<g.outputHeight {
        for j in 0..<g.outputWidth {
            var best = -1, value = -Float.infinity
            for u in 0..<g.kernelHeight {
                let r = i * g.stride - g.padding + u
                guard r >= 0 && r < g.height else { continue }
                for v in 0..<g.kernelWidth {
                    let c = j * g.stride - g.padding + v
                    guard c >= 0 && c < g.width else { continue }
                    if best < 0 || x[r * g.width + c] > value { best = r * g.width + c; value = x[best] }
                }
            }
            y[i * g.outputWidth + j] = value
            idx[i * g.outputWidth + j] = Int32(best)
        }
    }
}

/// Average pooling over k×k windows: `y[n, c, i, j] = (1/k²) Σ_{u, v} x[n, c, i·s + u − p, j·s + v − p]`,
/// padded cells counting as zeros (PyTorch's `count_include_pad=True`). Layout NCHW.
public final class AvgPool2D: Layer {
    public let kind = "avgpool2d"
    public var needsInputGradient = true
    private let window: PoolingWindow
    private var geometry: ConvolutionGeometry?
    private var output = Workspace(), inputGradient = Workspace()

    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) throws {
        window = try PoolingWindow(layer: "AvgPool2D", kernelSize: kernelSize, stride: stride, padding: padding)
    }

    public func connect(to input: Shape) throws -> Shape {
        let g = try window.geometry(for: input, layer: "AvgPool2D")
        geometry = g
        return [g.channels, g.outputHeight, g.outputWidth]
    }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        guard let g = geometry else { preconditionFailure("AvgPool2D used before connect(to:)") }
        checkInput(input, [g.channels, g.height, g.width], "AvgPool2D")
        let y = output.tensor([input.shape.batch, g.channels, g.outputHeight, g.outputWidth])
        let scale = 1 / Float(g.kernelHeight * g.kernelWidth)
        for plane in 0..<(input.shape.batch * g.channels) {
            let x = input.pointer + plane * g.height * g.width, out = y.pointer + plane * g.outputPlane
            forEachWindowCell(g) { o, i in out[o] += scale * x[i] } reset: { out[$0] = 0 }
        }
        return y
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let g = geometry else { preconditionFailure("AvgPool2D.backward before forward") }
        let n = outputGradient.shape.batch
        let dx = inputGradient.tensor([n, g.channels, g.height, g.width])
        dx.zero()
        let scale = 1 / Float(g.kernelHeight * g.kernelWidth)
        for plane in 0..<(n * g.channels) {
            let d = dx.pointer + plane * g.height * g.width, dy = outputGradient.pointer + plane * g.outputPlane
            forEachWindowCell(g) { o, i in d[i] += scale * dy[o] } reset: { _ in }
        }
        return dx
    }
}

/// Calls `reset(o)` once per output cell, then `visit(o, i)` for each in-bounds input cell `i`
/// of that cell's window.
@inline(__always)
private func forEachWindowCell(_ g: ConvolutionGeometry, _ visit: (Int, Int) -> Void, reset: (Int) -> Void) {
    for i in 0..<g.outputHeight {
        for j in 0..<g.outputWidth {
            let o = i * g.outputWidth + j
            reset(o)
            for u in 0..<g.kernelHeight {
                let r = i * g.stride - g.padding + u
                guard r >= 0 && r < g.height else { continue }
                for v in 0..<g.kernelWidth {
                    let c = j * g.stride - g.padding + v
                    if c >= 0 && c < g.width { visit(o, r * g.width + c) }
                }
            }
        }
    }
}
