#if canImport(Glibc)
import Glibc
#endif
import Engine

/// Hot-rolled steel strip surfaces with the six defect classes of the NEU surface-defect
/// database. The background is rolled texture: streaks along the rolling direction (rows),
/// grain noise and uneven illumination. Each defect varies in position, scale, orientation
/// and contrast; at low severity crazing and rolled-in scale, inclusions and pits, and
/// scratches and crazing become hard to tell apart.
public struct SteelDefects: Scenario {
    public let name = "steel-defects"
    public let classNames = ["crazing", "inclusion", "patches", "pitted_surface", "rolled-in_scale", "scratches"]
    public let confusablePairs = [(0, 4), (1, 3), (5, 0)]

    public init() {}

    public func render(label: Int, severity: Float, size: Int, using g: inout SplitMix64) -> Canvas {
        var canvas = rolledSteel(size: size, using: &g)
        let scale = Float(size) / 64, contrast = 0.06 + 0.26 * severity
        switch label {
        case 0: crazing(&canvas, scale, contrast, severity, &g)
        case 1: inclusion(&canvas, scale, contrast, severity, &g)
        case 2: patches(&canvas, scale, contrast, &g)
        case 3: pits(&canvas, scale, contrast, severity, &g)
        case 4: rolledInScale(&canvas, scale, contrast, severity, &g)
        default: scratches(&canvas, scale, contrast, severity, &g)
        }
        canvas.addNoise(sigma: 0.03, using: &g)
        return canvas
    }

    private func rolledSteel(size: Int, using g: inout SplitMix64) -> Canvas {
        var canvas = Canvas(size: size, fill: g.uniform(0.42, 0.6))
        let waves = (0..<3).map { _ in (g.uniform(0.01, 0.035), g.uniform(2, 12), g.uniform(0, 6.28)) }
        var drift: Float = 0
        let profile = (0..<size).map { y -> Float in
            drift = 0.8 * drift + 0.012 * g.nextNormal()
            return drift + waves.reduce(0) { $0 + $1.0 * sinf($1.1 * 6.28 * Float(y) / Float(size) + $1.2) }
        }
        canvas.addRowProfile(profile)
        canvas.addGradient(gx: g.uniform(-0.12, 0.12), gy: g.uniform(-0.08, 0.08))
        return canvas
    }

    /// A network of fine dark cracks: short random walks that branch.
    private func crazing(_ c: inout Canvas, _ scale: Float, _ contrast: Float, _ severity: Float, _ g: inout SplitMix64) {
        let size = Float(c.size)
        for _ in 0..<g.integer(5...10) {
            var x = g.uniform(0, size), y = g.uniform(0, size), angle = g.uniform(0, 6.28)
            for _ in 0..<g.integer(3...(4 + Int(6 * severity))) {
                angle += g.uniform(-0.9, 0.9)
                let step = scale * g.uniform(2.5, 5)
                let nx = x + step * cosf(angle), ny = y + step * sinf(angle)
                c.addLine(from: (x, y), to: (nx, ny), width: 0.4 * scale, amplitude: -0.8 * contrast)
                (x, y) = (nx, ny)
            }
        }
    }

    /// Elongated dark non-metallic inclusions along the rolling direction.
    private func inclusion(_ c: inout Canvas, _ scale: Float, _ contrast: Float, _ severity: Float, _ g: inout SplitMix64) {
        let size = Float(c.size)
        for _ in 0..<g.integer(1...3) {
            let length = scale * (1.2 + 5 * severity * g.uniform(0.5, 1))
            c.addBlob(x: g.uniform(6, size - 6), y: g.uniform(6, size - 6), radiusX: length, radiusY: scale * g.uniform(0.7, 1.3),
                      angle: g.uniform(-0.25, 0.25), amplitude: -1.3 * contrast)
        }
    }

    /// Large irregular blotches, mostly dark.
    private func patches(_ c: inout Canvas, _ scale: Float, _ contrast: Float, _ g: inout SplitMix64) {
        let size = Float(c.size), sign: Float = g.nextUniform() < 0.8 ? -1 : 1
        let cx = g.uniform(0.25 * size, 0.75 * size), cy = g.uniform(0.25 * size, 0.75 * size)
        for _ in 0..<g.integer(3...6) {
            c.addBlob(x: cx + scale * g.uniform(-12, 12), y: cy + scale * g.uniform(-12, 12), radiusX: scale * g.uniform(4, 10),
                      radiusY: scale * g.uniform(4, 10), angle: g.uniform(0, 3.14), amplitude: sign * 0.7 * contrast)
        }
    }

    /// Many small dark pits scattered over the surface.
    private func pits(_ c: inout Canvas, _ scale: Float, _ contrast: Float, _ severity: Float, _ g: inout SplitMix64) {
        let size = Float(c.size)
        for _ in 0..<g.integer((3 + Int(8 * severity))...(6 + Int(30 * severity))) {
            let r = scale * g.uniform(0.6, 1.4)
            c.addBlob(x: g.uniform(2, size - 2), y: g.uniform(2, size - 2), radiusX: r, radiusY: r, angle: 0, amplitude: -1.4 * contrast)
        }
    }

    /// Scale flakes pressed into the surface, elongated along the rolling direction, in a cluster.
    private func rolledInScale(_ c: inout Canvas, _ scale: Float, _ contrast: Float, _ severity: Float, _ g: inout SplitMix64) {
        let size = Float(c.size)
        let cx = g.uniform(0.2 * size, 0.8 * size), cy = g.uniform(0.2 * size, 0.8 * size), spread = scale * (6 + 14 * severity)
        for _ in 0..<g.integer(4...(6 + Int(10 * severity))) {
            c.addBlob(x: cx + g.uniform(-spread, spread), y: cy + g.uniform(-spread / 2, spread / 2),
                      radiusX: scale * g.uniform(1.2, 3.5), radiusY: scale * g.uniform(0.5, 1.3), angle: g.uniform(-0.4, 0.4),
                      amplitude: -0.9 * contrast)
        }
    }

    /// Long thin straight marks, bright or dark; faint ones are short and broken, like crazing.
    private func scratches(_ c: inout Canvas, _ scale: Float, _ contrast: Float, _ severity: Float, _ g: inout SplitMix64) {
        let size = Float(c.size), sign: Float = g.nextUniform() < 0.6 ? 1 : -1
        for _ in 0..<g.integer(1...3) {
            let angle = g.uniform(0, 3.14), length = size * (0.25 + 0.7 * severity) / 2
            let cx = g.uniform(0.2 * size, 0.8 * size), cy = g.uniform(0.2 * size, 0.8 * size)
            c.addLine(from: (cx - length * cosf(angle), cy - length * sinf(angle)), to: (cx + length * cosf(angle), cy + length * sinf(angle)),
                      width: scale * g.uniform(0.3, 0.8), amplitude: sign * contrast)
        }
    }
}
