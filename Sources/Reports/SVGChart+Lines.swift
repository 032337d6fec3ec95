import Foundation
import Harness

extension SVGChart {
    /// One line of a line chart: a name and, per x position, a summary over seeds (nil: no point).
    /// Lines of one `color` index share a colour (nil: each line its own); `dashed` draws it dashed.
    public struct Line: Sendable {
        public let name: String
        public let points: [Summary?]
        public let color: Int?
        public let dashed: Bool
        public init(name: String, points: [Summary?], color: Int? = nil, dashed: Bool = false) {
            self.name = name; self.points = points; self.color = color; self.dashed = dashed
        }
    }

    /// Lines of mean accuracy with 95% whiskers over `x` positions (labelled `xLabels`), a legend on the right.
    public static func lines(title: String, xAxis: String, x: [Double], xLabels: [String], lines: [Line]) -> String {
        let width = 760.0, height = 420.0, left = 70.0, right = 200.0, top = 40.0, bottom = 60.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let all = lines.flatMap { $0.points.compactMap { $0 } }
        let low = max(0, floor(10 * ((all.map(\.lower).min() ?? 0) - 0.03)) / 10)
        let high = min(1, ceil(10 * ((all.map(\.upper).max() ?? 1) + 0.02)) / 10)
        let (minX, maxX) = (x.min() ?? 0, x.max() ?? 1)
        func px(_ v: Double) -> Double { left + 10 + (plotWidth - 20) * (maxX > minX ? (v - minX) / (maxX - minX) : 0.5) }
        func py(_ v: Double) -> Double { top + plotHeight * (1 - (v - low) / max(high - low, 1e-9)) }
        var parts = [header(width, height), text(width / 2, 24, title, anchor: "middle", size: 14)]
        parts += axis(low: low, high: high, y: py, left: left, right: left + plotWidth, label: "test accuracy", top: top, bottom: top + plotHeight)
        parts.append(text(left + plotWidth / 2, height - 12, xAxis, anchor: "middle", size: 12))
        for (v, label) in zip(x, xLabels) { parts.append(text(px(v), top + plotHeight + 18, label, anchor: "middle", size: 10)) }
        let colors = ["#8c8c8c", "#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3"]
        for (i, line) in lines.enumerated() {
            let color = colors[(line.color ?? i) % colors.count], offset = Double(i - lines.count / 2) * 3
            let dash = line.dashed ? #" stroke-dasharray="6 4""# : ""
            let present = zip(x, line.points).compactMap { v, s in s.map { (px(v) + offset, $0) } }
            guard !present.isEmpty else { continue }
            parts.append(#"<polyline points="\#(present.map { "\(f($0.0)),\(f(py($0.1.mean)))" }.joined(separator: " "))" fill="none" stroke="\#(color)" stroke-width="2"\#(dash)/>"#)
            for (cx, s) in present {
                parts.append(#"<path d="M\#(f(cx)) \#(f(py(s.lower))) V\#(f(py(s.upper)))" stroke="\#(color)" stroke-width="1.5"/>"#)
                parts.append(#"<circle cx="\#(f(cx))" cy="\#(f(py(s.mean)))" r="3" fill="\#(color)"><title>\#(escape(line.name)): \#(f(100 * s.mean))%</title></circle>"#)
            }
            let ly = top + 24 * Double(i) + 10
            parts.append(#"<line x1="\#(f(width - right + 12))" y1="\#(f(ly))" x2="\#(f(width - right + 32))" y2="\#(f(ly))" stroke="\#(color)" stroke-width="3"\#(dash)/>"#)
            parts.append(text(width - right + 37, ly + 4, line.name, anchor: "start", size: 11, wrapWidth: right - 40))
        }
        return (parts + ["</svg>"]).joined(separator: "\n") + "\n"
    }
}
