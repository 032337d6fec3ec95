import Claims
import Harness

/// A claim's charts: test accuracy by arm across its conditions, and — when its data arm buys
/// labels in rounds — accuracy against labels bought, one line per condition.
public enum ClaimCharts {
    /// Accuracy per arm (mean, 95% CI) across the claim's conditions. Where conditions share an x
    /// (two families, e.g. uniform-10 and class-10), each family is its own line — solid, then
    /// dashed — in its arm's colour, and a lone condition below a family's first x (the no-noise
    /// reference) starts every family.
    public static func arms(_ result: ClaimResult) -> String {
        let conditions = result.conditions
        let numeric = conditions.allSatisfy { $0.condition.x != nil }
        let x = conditions.enumerated().map { numeric ? $1.condition.x! : Double($0) }
        let families = Self.families(conditions.map(\.condition.name), x: x)
        let positions = Set(x).sorted()
        let arms: [(String, (ExperimentAnalysis) -> ArmResult?)] = [
            ("baseline", { $0.arm(.baseline) }), ("model-centric", { $0.arm(.modelCentric) }),
            ("data-centric", { $0.arm(.dataCentric) }), ("data-then-model", { $0.arm(.dataThenModel) }),
        ]
        var lines: [SVGChart.Line] = []
        for (colour, (name, arm)) in arms.enumerated() {
            for (index, family) in families.enumerated() {
                let points = positions.map { p in family.members.first { x[$0] == p }.flatMap { arm(conditions[$0].analysis)?.summary } }
                guard points.contains(where: { $0 != nil }) else { continue }
                lines.append(SVGChart.Line(name: family.name.isEmpty ? name : "\(name), \(family.name)", points: points, color: colour, dashed: index % 2 == 1))
            }
        }
        let labels = numeric ? positions.map { String(format: "%g", $0) } : conditions.map(\.condition.name)
        return SVGChart.lines(title: "\(result.claim.name): test accuracy by arm, 95% CI", xAxis: numeric ? "condition (x as in the claim file)" : "condition",
                              x: positions, xLabels: labels, lines: lines)
    }

    /// The conditions as line families: one family of all when no two share an x; else grouped by
    /// name without a trailing "-NUMBER", a lone condition joining every family it precedes.
    static func families(_ names: [String], x: [Double]) -> [(name: String, members: [Int])] {
        guard Set(x).count < x.count else { return [("", Array(names.indices))] }
        let family = { (name: String) in name.replacingOccurrences(of: "-[0-9.]+$", with: "", options: .regularExpression) }
        var groups: [(name: String, members: [Int])] = []
        for i in names.indices {
            if let g = groups.firstIndex(where: { $0.name == family(names[i]) }) { groups[g].members.append(i) } else { groups.append((family(names[i]), [i])) }
        }
        let lone = groups.filter { $0.members.count == 1 }.flatMap(\.members)
        let lines = groups.filter { $0.members.count > 1 }
        guard !lines.isEmpty else { return [("", Array(names.indices))] }
        return lines.map { group in
            let first = group.members.map { x[$0] }.min()!
            return (group.name, (lone.filter { x[$0] < first } + group.members).sorted { x[$0] < x[$1] })
        }
    }

    /// Accuracy against training labels bought, per condition (nil when no condition has rounds).
    public static func labelsBought(_ result: ClaimResult) -> String? {
        let curves = result.conditions.filter { !$0.labelsCurve.isEmpty }
        guard !curves.isEmpty else { return nil }
        let x = Set(curves.flatMap { $0.labelsCurve.map(\.labels) }).sorted()
        let lines = curves.map { c in
            SVGChart.Line(name: c.condition.name, points: x.map { n in c.labelsCurve.first { $0.labels == n }?.accuracy })
        }
        return SVGChart.lines(title: "\(result.claim.name): test accuracy against training labels, 95% CI", xAxis: "training labels",
                              x: x, xLabels: x.map { String(Int($0)) }, lines: lines)
    }
}
