#if canImport(Glibc)
import Glibc
#endif
import Engine

/// Electroluminescence images of solar cells: a bright cell with dark busbars and fine fingers,
/// uneven brightness, and defects that show as dark features. Faint cracks look like finger
/// interruptions, and a faint inactive area like a functional cell's uneven brightness.
public struct SolarCells: Scenario {
    public let name = "solar-cells"
    public let classNames = ["functional", "crack", "finger_interruption", "inactive_area"]
    public let confusablePairs = [(1, 2), (3, 0)]

    public init() {}

    public func render(label: Int, severity: Float, size: Int, using g: inout SplitMix64) -> Canvas {
        var canvas = cell(size: size, using: &g)
        let s = Float(size), scale = s / 64
        switch label {
        case 1:
            var x = g.uniform(0.1 * s, 0.9 * s), y: Float = g.uniform(0, 0.2 * s), angle = g.uniform(1.0, 2.1)
            for _ in 0..<g.integer(4...8) {
                angle += g.uniform(-0.5, 0.5)
                let step = scale * g.uniform(4, 9) * (0.5 + severity)
                let nx = x + step * cosf(angle), ny = y + step * sinf(angle)
                canvas.addLine(from: (x, y), to: (nx, ny), width: 0.5 * scale, amplitude: -(0.1 + 0.35 * severity))
                (x, y) = (nx, ny)
            }
        case 2:
            for _ in 0..<g.integer(2...(3 + Int(5 * severity))) {
                let row = Float(4 * g.integer(1...15)) * scale, start = g.uniform(0.1 * s, 0.8 * s)
                canvas.addLine(from: (start, row), to: (start + scale * g.uniform(3, 8), row), width: 0.8 * scale,
                               amplitude: -(0.08 + 0.3 * severity))
            }
        case 3:
            canvas.addHalfPlane(point: (g.uniform(0.2 * s, 0.8 * s), g.uniform(0.2 * s, 0.8 * s)), angle: g.uniform(0, 6.28),
                                amplitude: -(0.08 + 0.45 * severity), softness: scale * (1 + 4 * (1 - severity)))
        default:
            break
        }
        canvas.addNoise(sigma: 0.035, using: &g)
        return canvas
    }

    private func cell(size: Int, using g: inout SplitMix64) -> Canvas {
        let s = Float(size), scale = s / 64
        var canvas = Canvas(size: size, fill: g.uniform(0.55, 0.72))
        canvas.addGradient(gx: g.uniform(-0.15, 0.15), gy: g.uniform(-0.15, 0.15))
        canvas.addBlob(x: g.uniform(0, s), y: g.uniform(0, s), radiusX: s / 3, radiusY: s / 3, angle: 0, amplitude: g.uniform(-0.08, 0.08))
        for i in 1...15 {   // fingers
            let y = Float(4 * i) * scale
            canvas.addLine(from: (0, y), to: (s, y), width: 0.2 * scale, amplitude: -0.06)
        }
        for fraction: Float in [0.25, 0.5, 0.75] {   // busbars
            let x = fraction * s + g.uniform(-1, 1)
            canvas.addLine(from: (x, 0), to: (x, s), width: 1.1 * scale, amplitude: -0.3)
        }
        return canvas
    }
}
