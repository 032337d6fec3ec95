#if canImport(Glibc)
import Glibc
#endif
import Engine

/// A named shift between the domain a model was trained on and the one it is deployed in,
/// applied to images (labels unchanged), e.g. to build a "deployed in winter" test set.
public enum Drift: Sendable, Equatable, Encodable {
    /// Adds `delta` (in 0…1 units) to every pixel.
    case brightness(Float)
    /// Scales the distance of every pixel from mid-grey by `factor`.
    case contrast(Float)
    /// Gaussian blur with standard deviation `sigma` pixels.
    case blur(sigma: Float)
    /// Adds N(0, sigma²) sensor noise.
    case sensorNoise(sigma: Float)
    /// Zooms into the centre by `factor` ≥ 1 (texture looks coarser), bilinear.
    case textureScale(Float)
    /// `count` water droplets: small bright-rimmed dark lenses.
    case droplets(count: Int)
    /// A bright glare spot of peak `strength`.
    case glare(strength: Float)

    /// A copy of `dataset` with every image in `splits` shifted; recorded in the provenance.
    public func apply(to dataset: Dataset, splits: Set<Split> = [.test], seed: UInt64) throws -> Dataset {
        try validate()
        var result = dataset
        let n = dataset.height, plane = n * n
        guard dataset.height == dataset.width else { throw DatasetError.invalid("drift needs square images, got \(dataset.height)×\(dataset.width)") }
        for i in 0..<dataset.count where splits.contains(dataset.splits[i]) {
            var g = SplitMix64(seed: seed &+ UInt64(i) &* 0x9E37_79B9)
            let effect = perImage(size: n, using: &g)
            for c in 0..<dataset.channels {
                var canvas = Canvas(size: n, fill: 0)
                let base = i * dataset.imageSize
                var values = (0..<plane).map { Float(dataset.pixels[base + $0 * dataset.channels + c]) / 255 }
                values = transform(values, size: n, effect: effect, canvas: &canvas, using: &g)
                for p in 0..<plane { result.pixels[base + p * dataset.channels + c] = UInt8(min(max(values[p], 0), 1) * 255 + 0.5) }
            }
        }
        result.record(step: "drift \(self) on \(splits.map(\.description).sorted().joined(separator: ",")) seed=\(seed)")
        return result
    }

    private func validate() throws {
        switch self {
        case .contrast(let f) where f < 0: throw DatasetError.invalid("contrast factor must be ≥ 0, got \(f)")
        case .blur(let s) where s <= 0: throw DatasetError.invalid("blur sigma must be positive, got \(s)")
        case .sensorNoise(let s) where s < 0: throw DatasetError.invalid("sensor noise sigma must be ≥ 0, got \(s)")
        case .textureScale(let f) where f < 1: throw DatasetError.invalid("texture scale must be ≥ 1, got \(f)")
        case .droplets(let c) where c < 0: throw DatasetError.invalid("droplet count must be ≥ 0, got \(c)")
        default: break
        }
    }

    /// Random placement shared by every channel of one image (droplets, glare).
    private func perImage(size: Int, using g: inout SplitMix64) -> [(Float, Float, Float)] {
        let s = Float(size)
        switch self {
        case .droplets(let count): return (0..<count).map { _ in (g.uniform(0, s), g.uniform(0, s), g.uniform(1.5, 4) * s / 64) }
        case .glare: return [(g.uniform(0.2 * s, 0.8 * s), g.uniform(0.2 * s, 0.8 * s), g.uniform(6, 14) * s / 64)]
        default: return []
        }
    }

    private func transform(_ x: [Float], size n: Int, effect: [(Float, Float, Float)], canvas: inout Canvas,
                           using g: inout SplitMix64) -> [Float] {
        switch self {
        case .brightness(let delta): return x.map { $0 + delta }
        case .contrast(let factor): return x.map { 0.5 + factor * ($0 - 0.5) }
        case .sensorNoise(let sigma): return x.map { $0 + sigma * g.nextNormal() }
        case .blur(let sigma): return gaussianBlur(x, size: n, sigma: sigma)
        case .textureScale(let factor): return zoom(x, size: n, factor: factor)
        case .droplets, .glare:
            for (cx, cy, r) in effect {
                if case .glare(let strength) = self {
                    canvas.addBlob(x: cx, y: cy, radiusX: r, radiusY: r, angle: 0, amplitude: strength)
                } else {
                    canvas.addBlob(x: cx, y: cy, radiusX: r, radiusY: r, angle: 0, amplitude: -0.12)
                    canvas.addBlob(x: cx - r / 3, y: cy - r / 3, radiusX: r / 4, radiusY: r / 4, angle: 0, amplitude: 0.25)
                }
            }
            return zip(x, canvas.pixels).map { $0 + $1 }
        }
    }
}

/// Separable Gaussian blur, edges clamped.
func gaussianBlur(_ x: [Float], size n: Int, sigma: Float) -> [Float] {
    let radius = max(1, Int((3 * sigma).rounded(.up)))
    var weights = (-radius...radius).map { expf(-Float($0 * $0) / (2 * sigma * sigma)) }
    let total = weights.reduce(0, +)
    weights = weights.map { $0 / total }
    func pass(_ input: [Float], horizontal: Bool) -> [Float] {
        var out = [Float](repeating: 0, count: n * n)
        for y in 0..<n {
            for xx in 0..<n {
                var acc: Float = 0
                for (j, w) in weights.enumerated() {
                    let o = j - radius
                    let sx = horizontal ? min(max(xx + o, 0), n - 1) : xx, sy = horizontal ? y : min(max(y + o, 0), n - 1)
                    acc += w * input[sy * n + sx]
                }
                out[y * n + xx] = acc
            }
        }
        return out
    }
    return pass(pass(x, horizontal: true), horizontal: false)
}

/// Bilinear zoom into the centre by `factor`.
func zoom(_ x: [Float], size n: Int, factor: Float) -> [Float] {
    let centre = Float(n - 1) / 2
    var out = [Float](repeating: 0, count: n * n)
    for y in 0..<n {
        for xx in 0..<n {
            let sx = centre + (Float(xx) - centre) / factor, sy = centre + (Float(y) - centre) / factor
            let x0 = Int(sx), y0 = Int(sy), x1 = min(x0 + 1, n - 1), y1 = min(y0 + 1, n - 1)
            let fx = sx - Float(x0), fy = sy - Float(y0)
            let top = x[y0 * n + x0] * (1 - fx) + x[y0 * n + x1] * fx
            let bottom = x[y1 * n + x0] * (1 - fx) + x[y1 * n + x1] * fx
            out[y * n + xx] = top * (1 - fy) + bottom * fy
        }
    }
    return out
}
