#if canImport(Glibc)
import Glibc
#endif
import Engine

/// A machined surface under heavy sensor noise with subtle defects: the labels are consistent,
/// and what limits accuracy is the image itself.
public struct SurfaceInspection: Scenario {
    public let name = "surface-inspection"
    public let classNames = ["ok", "dent", "stain", "line"]
    public let confusablePairs = [(1, 2)]

    public init() {}

    public func render(label: Int, severity: Float, size: Int, using g: inout SplitMix64) -> Canvas {
        let s = Float(size), scale = s / 64
        var canvas = Canvas(size: size, fill: g.uniform(0.45, 0.55))
        canvas.addGradient(gx: g.uniform(-0.1, 0.1), gy: g.uniform(-0.1, 0.1))
        let amplitude = 0.05 + 0.12 * severity
        switch label {
        case 1:
            let r = scale * g.uniform(3, 6)
            canvas.addBlob(x: g.uniform(10, s - 10), y: g.uniform(10, s - 10), radiusX: r, radiusY: r, angle: 0, amplitude: -amplitude)
        case 2:
            let cx = g.uniform(12, s - 12), cy = g.uniform(12, s - 12)
            for _ in 0..<3 {
                canvas.addBlob(x: cx + g.uniform(-5, 5), y: cy + g.uniform(-5, 5), radiusX: scale * g.uniform(5, 10),
                               radiusY: scale * g.uniform(4, 8), angle: g.uniform(0, 3.14), amplitude: -0.5 * amplitude)
            }
        case 3:
            let angle = g.uniform(0, 3.14), length = s * g.uniform(0.2, 0.4)
            let cx = g.uniform(0.3 * s, 0.7 * s), cy = g.uniform(0.3 * s, 0.7 * s)
            canvas.addLine(from: (cx - length * cosf(angle), cy - length * sinf(angle)), to: (cx + length * cosf(angle), cy + length * sinf(angle)),
                           width: 0.5 * scale, amplitude: amplitude)
        default:
            break
        }
        canvas.addNoise(sigma: 0.065, using: &g)
        return canvas
    }
}
