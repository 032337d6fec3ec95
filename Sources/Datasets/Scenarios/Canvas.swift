#if canImport(Glibc)
import Glibc
#endif
import Engine

/// A square grayscale float image (0 black … 1 white) with the drawing primitives the
/// procedural scenarios use. Every primitive touches only its bounding box.
public struct Canvas {
    public let size: Int
    public private(set) var pixels: [Float]

    public init(size: Int, fill: Float) {
        self.size = size
        pixels = [Float](repeating: fill, count: size * size)
    }

    /// Adds `profile[y]` to every pixel of row y (streaks along the rolling direction).
    public mutating func addRowProfile(_ profile: [Float]) {
        for y in 0..<size { for x in 0..<size { pixels[y * size + x] += profile[y] } }
    }

    /// Adds a linear illumination ramp `gx·(x/size − ½) + gy·(y/size − ½)`.
    public mutating func addGradient(gx: Float, gy: Float) {
        let n = Float(size)
        for y in 0..<size { for x in 0..<size { pixels[y * size + x] += gx * (Float(x) / n - 0.5) + gy * (Float(y) / n - 0.5) } }
    }

    /// Adds N(0, sigma²) to every pixel.
    public mutating func addNoise(sigma: Float, using g: inout SplitMix64) {
        for i in pixels.indices { pixels[i] += sigma * g.nextNormal() }
    }

    /// Adds a soft elliptical blob: `amplitude · exp(−½ r²)`, r the distance in radii units,
    /// the ellipse rotated by `angle` radians.
    public mutating func addBlob(x cx: Float, y cy: Float, radiusX: Float, radiusY: Float, angle: Float, amplitude: Float) {
        let reach = 3 * max(radiusX, radiusY)
        let c = cosf(angle), s = sinf(angle)
        for y in clampedRange(cy - reach, cy + reach) {
            for x in clampedRange(cx - reach, cx + reach) {
                let dx = Float(x) - cx, dy = Float(y) - cy
                let u = (c * dx + s * dy) / radiusX, v = (-s * dx + c * dy) / radiusY
                let r2 = u * u + v * v
                if r2 < 9 { pixels[y * size + x] += amplitude * expf(-0.5 * r2) }
            }
        }
    }

    /// Adds an anti-aliased segment of half-width `width`: full `amplitude` on the centre line,
    /// fading linearly to zero at `width + 1` pixels.
    public mutating func addLine(from a: (Float, Float), to b: (Float, Float), width: Float, amplitude: Float) {
        let (x0, y0) = a, (x1, y1) = b
        let dx = x1 - x0, dy = y1 - y0, length2 = max(dx * dx + dy * dy, 1e-6)
        let reach = width + 1
        for y in clampedRange(min(y0, y1) - reach, max(y0, y1) + reach) {
            for x in clampedRange(min(x0, x1) - reach, max(x0, x1) + reach) {
                let px = Float(x) - x0, py = Float(y) - y0
                let t = min(max((px * dx + py * dy) / length2, 0), 1)
                let ex = px - t * dx, ey = py - t * dy
                let d = (ex * ex + ey * ey).squareRoot()
                let weight = d <= width ? 1 : max(0, 1 - (d - width))
                if weight > 0 { pixels[y * size + x] += amplitude * weight }
            }
        }
    }

    /// Adds `amplitude` to every pixel on the positive side of the line through `point` with
    /// direction `angle`, softened over `softness` pixels.
    public mutating func addHalfPlane(point: (Float, Float), angle: Float, amplitude: Float, softness: Float) {
        let nx = -sinf(angle), ny = cosf(angle)
        for y in 0..<size {
            for x in 0..<size {
                let d = (Float(x) - point.0) * nx + (Float(y) - point.1) * ny
                pixels[y * size + x] += amplitude * min(max(d / softness + 0.5, 0), 1)
            }
        }
    }

    /// The pixels clamped to [0, 1] and quantised to 0…255.
    public var bytes: [UInt8] { pixels.map { UInt8(min(max($0, 0), 1) * 255 + 0.5) } }

    private func clampedRange(_ low: Float, _ high: Float) -> Range<Int> {
        let a = max(0, Int(low.rounded(.down))), b = min(size, Int(high.rounded(.up)) + 1)
        return a < b ? a..<b : 0..<0
    }
}

extension SplitMix64 {
    /// Uniform in [low, high).
    public mutating func uniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * nextUniform() }
    /// A uniform integer in `range`.
    public mutating func integer(_ range: ClosedRange<Int>) -> Int { range.lowerBound + nextIndex(below: range.count) }
}
