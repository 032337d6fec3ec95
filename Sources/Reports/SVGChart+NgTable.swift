import Foundation
import Harness
import Store

extension SVGChart {
    /// Ng's table as grouped bars: per project, baseline, model-centric and data-centric mean test
    /// accuracy with 95% CI whiskers, and Ng's reported figure as a tick on each bar.
    public static func ngTable(_ analyses: [String: ExperimentAnalysis], suite: NgTable.Suite = NgTable.ng) -> String {
        let width = 760.0, height = 440.0, left = 70.0, right = 20.0, top = 50.0, bottom = 90.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let projects = suite.projects.filter { analyses[$0.experiment] != nil }
        let arms = [Arm.baseline, .modelCentric, .dataCentric], colors = ["#8c8c8c", "#4c72b0", "#55a868"]
        let summaries = projects.flatMap { p in arms.compactMap { analyses[p.experiment]!.arm($0)?.summary } }
        let low = max(0, floor(10 * ((summaries.map(\.lower).min() ?? 0.5) - 0.05)) / 10)
        func y(_ v: Double) -> Double { top + plotHeight * (1 - (min(max(v, low), 1) - low) / max(1 - low, 1e-9)) }
        var parts = [header(width, height), text(width / 2, 24, suite.hasReported ? "Model-centric vs data-centric: test accuracy (95% CI); black ticks: Ng (2021)" : suite.title + ": test accuracy (95% CI)", anchor: "middle", size: 14)]
        parts += axis(low: low, high: 1, y: y, left: left, right: width - right, label: "test accuracy", top: top, bottom: top + plotHeight)
        let group = plotWidth / Double(max(projects.count, 1))
        for (g, project) in projects.enumerated() {
            let reported = project.reported.map { [$0.baseline, $0.modelCentric, $0.dataCentric] }
            for (i, arm) in arms.enumerated() {
                guard let s = analyses[project.experiment]!.arm(arm)?.summary else { continue }
                let w = group * 0.8 / 3, x = left + group * Double(g) + group * 0.1 + w * Double(i), cx = x + w / 2
                parts.append(#"<rect x="\#(f(x + 2))" y="\#(f(y(s.mean)))" width="\#(f(w - 4))" height="\#(f(y(low) - y(s.mean)))" fill="\#(colors[i])"><title>\#(escape(project.name)) \#(arm.rawValue): \#(f(100 * s.mean))%</title></rect>"#)
                parts.append(#"<path d="M\#(f(cx)) \#(f(y(s.lower))) V\#(f(y(s.upper))) M\#(f(cx - 6)) \#(f(y(s.lower))) H\#(f(cx + 6)) M\#(f(cx - 6)) \#(f(y(s.upper))) H\#(f(cx + 6))" stroke="black" stroke-width="1.2" fill="none"/>"#)
                if let reported { parts.append(#"<path d="M\#(f(x + 2)) \#(f(y(reported[i]))) H\#(f(x + w - 2))" stroke="black" stroke-width="3"/>"#) }
                parts.append(text(cx, y(s.upper) - 5, String(format: "%.1f", 100 * s.mean), anchor: "middle", size: 10))
            }
            parts.append(text(left + group * (Double(g) + 0.5), top + plotHeight + 20, project.name, anchor: "middle", size: 12, wrapWidth: group))
        }
        for (i, arm) in arms.enumerated() {
            let x = left + 160 * Double(i)
            parts.append(#"<rect x="\#(f(x))" y="\#(f(height - 30))" width="14" height="14" fill="\#(colors[i])"/>"#)
            parts.append(text(x + 20, height - 19, arm.rawValue, anchor: "start", size: 12))
        }
        return (parts + ["</svg>"]).joined(separator: "\n") + "\n"
    }
}
