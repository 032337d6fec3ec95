import Harness

/// A claim's charts: test accuracy by arm across its conditions, and — when its data arm buys
/// labels in rounds — accuracy against labels bought, one line per condition.
public enum ClaimCharts {
    /// Accuracy per arm (mean, 95% CI) across the claim's conditions.
    public static func arms(_ result: ClaimResult) -> String {
        let conditions = result.conditions
        let numeric = conditions.allSatisfy { $0.condition.x != nil }
        let x = conditions.enumerated().map { numeric ? $1.condition.x! : Double($0) }
        let arms: [(String, (ExperimentAnalysis) -> ArmResult?)] = [
            ("baseline", { $0.arm(.baseline) }), ("model-centric", { $0.arm(.modelCentric) }),
            ("data-centric", { $0.arm(.dataCentric) }), ("data-then-model", { $0.arm(.dataThenModel) }),
        ]
        let lines = arms.map { name, arm in SVGChart.Line(name: name, points: conditions.map { arm($0.analysis)?.summary }) }
            .filter { $0.points.contains { $0 != nil } }
        return SVGChart.lines(title: "\(result.claim.name): test accuracy by arm, 95% CI", xAxis: numeric ? "condition (x as in the claim file)" : "condition",
                              x: x, xLabels: conditions.map(\.condition.name), lines: lines)
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
