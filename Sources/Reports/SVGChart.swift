import Foundation
import Harness
import Store

/// Self-contained SVG charts (no scripts, no external fonts): readable in any browser or
/// image viewer.
public enum SVGChart {
    /// A bar per arm (mean test accuracy) with its 95% confidence interval as a whisker.
    public static func arms(_ analysis: ExperimentAnalysis) -> String {
        let width = 720.0, height = 420.0, left = 70.0, right = 20.0, top = 40.0, bottom = 110.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let arms = analysis.arms
        let low = max(0, floor(10 * ((arms.map(\.summary.lower).min() ?? 0) - 0.05)) / 10)
        let high = min(1, ceil(10 * ((arms.map(\.summary.upper).max() ?? 1) + 0.02)) / 10)
        func y(_ v: Double) -> Double { top + plotHeight * (1 - (v - low) / max(high - low, 1e-9)) }
        var parts = [header(width, height), text(width / 2, 24, "\(analysis.experiment): \(analysis.testAccuracyLabel) by arm (95% CI)", anchor: "middle", size: 15)]
        parts += axis(low: low, high: high, y: y, left: left, right: width - right, label: analysis.testAccuracyLabel, top: top, bottom: top + plotHeight)
        let slot = plotWidth / Double(max(arms.count, 1))
        let colors = ["#4c72b0", "#dd8452", "#8c8c8c", "#55a868", "#c44e52"]
        for (i, arm) in arms.enumerated() {
            let x = left + slot * (Double(i) + 0.2), w = slot * 0.6, s = arm.summary
            parts.append(#"<rect x="\#(f(x))" y="\#(f(y(s.mean)))" width="\#(f(w))" height="\#(f(y(low) - y(s.mean)))" fill="\#(colors[i % colors.count])"><title>\#(escape(arm.label)): \#(f(100 * s.mean))%</title></rect>"#)
            let cx = x + w / 2
            parts.append(#"<path d="M\#(f(cx)) \#(f(y(s.lower))) V\#(f(y(s.upper))) M\#(f(cx - 8)) \#(f(y(s.lower))) H\#(f(cx + 8)) M\#(f(cx - 8)) \#(f(y(s.upper))) H\#(f(cx + 8))" stroke="black" stroke-width="1.5" fill="none"/>"#)
            parts.append(text(cx, top + plotHeight + 20, arm.label, anchor: "middle", size: 11, wrapWidth: slot))
            parts.append(text(cx, y(s.upper) - 6, String(format: "%.1f%%", 100 * s.mean), anchor: "middle", size: 11))
        }
        return (parts + ["</svg>"]).joined(separator: "\n") + "\n"
    }

    /// Accuracy per epoch, averaged over seeds, one line per arm/variant: on the validation set as
    /// delivered where every trial scored it each epoch (`train.validation_curve`), else on the
    /// training batches during the epoch (labels as delivered: how far the model fits their noise),
    /// which every trial records.
    public static func curves(_ records: [TrialRecord]) -> String {
        let width = 720.0, height = 420.0, left = 70.0, right = 220.0, top = 40.0, bottom = 60.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let trained = records.filter { !$0.curves.trainAccuracy.isEmpty }
        let onValidation = !trained.isEmpty && trained.allSatisfy { $0.curves.validationAccuracy.allSatisfy(\.isFinite) }
        let curve: (TrialRecord) -> [Double] = onValidation ? { $0.curves.validationAccuracy } : { $0.curves.trainAccuracy }
        let groups = Dictionary(grouping: trained, by: { $0.arm == .baseline ? Arm.baseline.rawValue : $0.variant })
        let names = groups.keys.sorted { ($0 == Arm.baseline.rawValue ? "" : $0) < ($1 == Arm.baseline.rawValue ? "" : $1) }
        let series: [(String, [Double])] = names.map { name in
            let runs = groups[name]!.map(curve)
            let epochs = runs.map(\.count).min() ?? 0
            return (name, (0..<epochs).map { e in runs.map { $0[e] }.reduce(0, +) / Double(runs.count) })
        }
        let maxEpoch = Double(series.map(\.1.count).max() ?? 1)
        func x(_ e: Int) -> Double { left + plotWidth * Double(e) / max(maxEpoch - 1, 1) }
        func y(_ v: Double) -> Double { top + plotHeight * (1 - v) }
        let measure = onValidation ? "validation accuracy (as delivered)" : "training accuracy (labels as delivered, during the epoch)"
        var parts = [header(width, height), text(left + plotWidth / 2, 24, "\(measure) by epoch, mean over seeds", anchor: "middle", size: 15)]
        parts += axis(low: 0, high: 1, y: y, left: left, right: left + plotWidth, label: onValidation ? "validation accuracy" : "training accuracy",
                      top: top, bottom: top + plotHeight)
        parts.append(text(left + plotWidth / 2, height - 15, "epoch", anchor: "middle", size: 12))
        let every = max(1, Int(maxEpoch) / 10)
        for e in stride(from: 0, to: Int(maxEpoch), by: every) {
            parts.append(text(x(e), top + plotHeight + 18, String(e + 1), anchor: "middle", size: 11))
        }
        let colors = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c"]
        for (i, (name, values)) in series.enumerated() where !values.isEmpty {
            let color = colors[i % colors.count]
            let points = values.enumerated().map { "\(f(x($0.offset))),\(f(y($0.element)))" }.joined(separator: " ")
            parts.append(#"<polyline points="\#(points)" fill="none" stroke="\#(color)" stroke-width="2"/>"#)
            let ly = top + 30 * Double(i) + 10
            parts.append(#"<line x1="\#(f(width - right + 15))" y1="\#(f(ly))" x2="\#(f(width - right + 35))" y2="\#(f(ly))" stroke="\#(color)" stroke-width="3"/>"#)
            parts.append(text(width - right + 40, ly + 4, name.replacingOccurrences(of: ",", with: ", "), anchor: "start", size: 11,
                              wrapWidth: right - 45))
        }
        return (parts + ["</svg>"]).joined(separator: "\n") + "\n"
    }

    static func header(_ width: Double, _ height: Double) -> String {
        #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(f(width))" height="\#(f(height))" viewBox="0 0 \#(f(width)) \#(f(height))" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>"#
    }

    static func axis(low: Double, high: Double, y: (Double) -> Double, left: Double, right: Double, label: String,
                             top: Double, bottom: Double) -> [String] {
        var parts = [#"<path d="M\#(f(left)) \#(f(top)) V\#(f(bottom)) H\#(f(right))" stroke="black" fill="none"/>"#]
        for step in 0...5 {
            let v = low + (high - low) * Double(step) / 5
            parts.append(#"<path d="M\#(f(left - 5)) \#(f(y(v))) H\#(f(right))" stroke="gainsboro"/>"#)
            parts.append(text(left - 8, y(v) + 4, String(format: "%.0f%%", 100 * v), anchor: "end", size: 11))
        }
        parts.append(#"<text transform="translate(18 \#(f((top + bottom) / 2))) rotate(-90)" text-anchor="middle" font-size="12">\#(escape(label))</text>"#)
        return parts
    }

    static func text(_ x: Double, _ y: Double, _ content: String, anchor: String, size: Int, wrapWidth: Double? = nil) -> String {
        // Long arm names are split at spaces onto lines that fit the slot.
        var lines = [content]
        if let wrapWidth, Double(content.count * size) * 0.55 > wrapWidth {
            lines = []
            var current = ""
            for word in content.split(separator: " ") {
                if !current.isEmpty && Double((current.count + word.count + 1) * size) * 0.55 > wrapWidth { lines.append(current); current = "" }
                current += (current.isEmpty ? "" : " ") + word
            }
            lines.append(current)
        }
        let spans = lines.enumerated().map { #"<tspan x="\#(f(x))" dy="\#($0.offset == 0 ? 0 : size + 2)">\#(escape($0.element))</tspan>"# }.joined()
        return #"<text x="\#(f(x))" y="\#(f(y))" text-anchor="\#(anchor)" font-size="\#(size)">\#(spans)</text>"#
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
