import Claims
import Harness

/// The claims suite as tidy CSV (`results/claims.csv`): one row per claim and condition the test
/// reads, with the effect, its interval, p-value and protocol-v3 decision, and the claim's p-value,
/// its Holm-adjusted p-value over the claims rendered together, its power (empty where the file
/// states none) and its verdict.
public enum ClaimsCSV {
    public static func render(_ results: [ClaimResult]) -> String {
        var rows = ["claim,file,statement,prediction,condition,seeds,effect,ci_low,ci_high,p_value,holds,verdict,verdict_detail,"
                    + "decision,prediction_p_value,claim_p_value,claim_p_value_holm,power_effect,power,power_sd,seeds_for_80,verdict_after_correction"]
        let family = ClaimFamily(results)
        for (index, result) in results.enumerated() {
            for effect in result.verdict.effects {
                let numbers: [String] = effect.comparison.map { c in
                    ["\(c.difference.count)", "\(c.difference.mean)", "\(c.difference.lower)", "\(c.difference.upper)", "\(c.pValue)"]
                } ?? ["0", "", "", "", ""]
                let claim = result.claim
                let fields: [String] = [claim.name, claim.file, claim.statement, claim.test.prediction, effect.condition] + numbers
                    + [effect.holds ? "true" : "false", result.verdict.verdict.rawValue, result.verdict.summary,
                       effect.decision?.verdict.rawValue ?? "", "\(effect.pValue)", "\(result.verdict.pValue)",
                       "\(family.adjustedPValues[index])"] + powerFields(result.power) + [family.verdictText(index)]
                rows.append(fields.map(quoted).joined(separator: ","))
            }
        }
        return rows.joined(separator: "\n") + "\n"
    }

    /// The simulated effect, the power, the calibration spread and the seeds for 80%; empty without a stated power.
    private static func powerFields(_ power: ClaimPower?) -> [String] {
        guard let power else { return ["", "", "", ""] }
        return ["\(power.effect)", "\(power.power)", "\(power.standardDeviation)", power.seedsForTarget.map(String.init) ?? ""]
    }

    private static func quoted(_ field: String) -> String {
        field.contains(where: { ",\"\n".contains($0) }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }
}
