import CConvolution

/// Elementwise kernels. Each is a plain loop over raw pointers that the compiler vectorises in
/// release builds (checked in the disassembly of the fused convolution epilogue: packed
/// `addps`/`mulps`/`maxps`), or a C function where Swift's vectors compile to SSE; the formula
/// in each doc comment is its reference, checked in the tests.

/// `y[i] = max(x[i], 0)` (NaN and −0 give +0), sixteen lanes at a time.
@inline(__always)
public func reluForward(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, count: Int) {
    var i = 0
    while i + 16 <= count {
        let v = load16(x + i)
        store16(y + i, v.replacing(with: 0, where: .!(v .> 0)))
        i += 16
    }
    while i < count { let v = x[i]; y[i] = v > 0 ? v : 0; i += 1 }
}

/// `dx[i] = y[i] > 0 ? dy[i] : 0`, where `y` is the ReLU's output (`dx` may be `dy` or `y`): C compiled
/// for AVX-512, AVX2 and the baseline (`fw_relu_backward`), where Swift's sixteen lanes compile
/// to four SSE operations each.
@inline(__always)
public func reluBackward(_ dx: UnsafeMutablePointer<Float>, _ dy: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) {
    fw_relu_backward(dx, dy, y, count)
}

@inline(__always)
func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }

@inline(__always)
func store16(_ p: UnsafeMutablePointer<Float>, _ v: SIMD16<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self) }

/// `y[i] = x[i] + b` and, with `relu`, clamped at zero: the fused epilogue of a conv or dense GEMM.
@inline(__always)
func addBias(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ b: Float, count: Int, relu: Bool) {
    if relu {
        for i in 0..<count { let v = x[i] + b; y[i] = v > 0 ? v : 0 }
    } else {
        for i in 0..<count { y[i] = x[i] + b }
    }
}

/// `dx[i] = dy[i]`, masked by `y[i] > 0` when `relu`: the input of a fused epilogue's backward.
@inline(__always)
func maskedCopy(_ dx: UnsafeMutablePointer<Float>, _ dy: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int, relu: Bool) {
    if relu { reluBackward(dx, dy, y, count: count) } else { dx.update(from: dy, count: count) }
}

/// Σ x[i], in sixteen float lanes (four independent SSE chains, so the adds overlap).
@inline(__always)
func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
    var lanes = SIMD16<Float>()
    var i = 0
    while i + 16 <= count {
        lanes += load16(x + i)
        i += 16
    }
    var total = lanes.sum()
    while i < count { total += x[i]; i += 1 }
    return total
}

/// `y[i] += a · x[i]`.
@inline(__always)
func axpy(_ y: UnsafeMutablePointer<Float>, _ a: Float, _ x: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { y[i] += a * x[i] }
}

/// `y[i] = x[i] + z[i]`.
@inline(__always)
func add(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ z: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { y[i] = x[i] + z[i] }
}

/// `y[i] = max(x[i] + z[i], 0)` in one pass (NaN gives 0), sixteen lanes at a time.
@inline(__always)
func addReLU(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ z: UnsafePointer<Float>, count: Int) {
    var i = 0
    while i + 16 <= count {
        let v = load16(x + i) + load16(z + i)
        store16(y + i, v.replacing(with: 0, where: .!(v .> 0)))
        i += 16
    }
    while i < count { let v = x[i] + z[i]; y[i] = v > 0 ? v : 0; i += 1 }
}
