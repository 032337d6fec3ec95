import Audit
import Foundation
import Harness

extension SVGChart {
    /// Accuracy (or `metric`, its name) against training images on a log scale: each seed's points,
    /// the mean with its 95% interval, and the power law fitted to the mean error extended to twice
    /// the data (dashed).
    public static func learningCurve(_ curve: LearningCurve, metric: String = "accuracy") -> String {
        let width = 720.0, height = 420.0, left = 70.0, right = 30.0, top = 40.0, bottom = 60.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let sizes = curve.points.map { Double($0.size) }, summaries = curve.points.map { Summary($0.accuracy) }
        let projected = min(1, summaries.last!.mean + Summary(curve.projectedGain).mean)
        let low = max(0, floor(10 * ((curve.points.flatMap(\.accuracy).min() ?? 0) - 0.05)) / 10)
        let high = min(1, ceil(10 * (max(summaries.map(\.upper).max() ?? 1, projected) + 0.02)) / 10)
        let (minLog, maxLog) = (log(sizes.first!), log(2 * sizes.last!))
        func x(_ n: Double) -> Double { left + plotWidth * (log(n) - minLog) / max(maxLog - minLog, 1e-9) }
        func y(_ v: Double) -> Double { top + plotHeight * (1 - (v - low) / max(high - low, 1e-9)) }
        var parts = [header(width, height), text(width / 2, 24, "\(metric) against training images (log scale), 95% CI; dashed: projected to twice the data", anchor: "middle", size: 14)]
        parts += axis(low: low, high: high, y: y, left: left, right: width - right, label: metric, top: top, bottom: top + plotHeight)
        parts.append(text(left + plotWidth / 2, height - 15, "training images", anchor: "middle", size: 12))
        for n in sizes + [2 * sizes.last!] { parts.append(text(x(n), top + plotHeight + 18, String(Int(n)), anchor: "middle", size: 11)) }
        for point in curve.points {
            for accuracy in point.accuracy {
                parts.append(##"<circle cx="\##(f(x(Double(point.size))))" cy="\##(f(y(accuracy)))" r="2.5" fill="#8c8c8c"/>"##)
            }
        }
        let line = zip(sizes, summaries).map { "\(f(x($0))),\(f(y($1.mean)))" }.joined(separator: " ")
        parts.append(##"<polyline points="\##(line)" fill="none" stroke="#4c72b0" stroke-width="2"/>"##)
        for (n, s) in zip(sizes, summaries) {
            parts.append(##"<path d="M\##(f(x(n))) \##(f(y(s.lower))) V\##(f(y(s.upper)))" stroke="#4c72b0" stroke-width="1.5"/>"##)
        }
        parts.append(##"<path d="M\##(f(x(sizes.last!))) \##(f(y(summaries.last!.mean))) L\##(f(x(2 * sizes.last!))) \##(f(y(projected)))" stroke="#dd8452" stroke-width="2" stroke-dasharray="6 4" fill="none"/>"##)
        parts.append(text(x(2 * sizes.last!) - 4, y(projected) - 8, String(format: "%.1f%%", 100 * projected), anchor: "end", size: 11))
        return (parts + ["</svg>"]).joined(separator: "\n") + "\n"
    }
}
