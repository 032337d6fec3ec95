import Harness
import Store

/// How well the validation set the arms choose on — as delivered, or checked (`choose_on:
/// verified`) — ranks the model-centric candidates (the baseline and its variants) compared with
/// the gold test set: Kendall's τ-b between the two orders per seed, and the regret — the test
/// accuracy lost by shipping validation's choice rather than the best candidate on test. τ near 1
/// and regret near 0: validation picks the right model.
public struct RankAgreement: Sendable {
    /// τ-b per seed (seeds with fewer than three candidates are left out).
    public let tau: [Int: Double]
    /// Per seed: best test accuracy among the candidates minus the chosen one's.
    public let regret: [Int: Double]

    public init(records: [TrialRecord], on chooser: AnalysisPlan.Chooser = .delivered) {
        let candidates = records.filter { ($0.arm == .baseline || $0.arm == .modelCentric) && $0.status == .completed && $0.metrics != nil }
        var tau: [Int: Double] = [:], regret: [Int: Double] = [:]
        for (seed, trials) in Dictionary(grouping: candidates, by: { Int($0.seed) }) where trials.count >= 3 {
            tau[seed] = Self.kendallTauB(trials.map { chooser.validationScore($0) }, trials.map { $0.metrics!.accuracy })
            regret[seed] = trials.map { $0.metrics!.accuracy }.max()! - ValidationChoice(on: chooser, among: trials).score
        }
        self.tau = tau
        self.regret = regret
    }

    /// Kendall's τ-b of two paired samples (ties in either counted as in scipy's `kendalltau`);
    /// NaN when either sample is constant.
    public static func kendallTauB(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "τ needs paired samples")
        var concordant = 0.0, discordant = 0.0, tiedX = 0.0, tiedY = 0.0
        for i in x.indices {
            for j in x.indices where j > i {
                let dx = x[i] - x[j], dy = y[i] - y[j]
                if dx == 0 && dy == 0 { continue }
                if dx == 0 { tiedX += 1 } else if dy == 0 { tiedY += 1 } else if (dx > 0) == (dy > 0) { concordant += 1 } else { discordant += 1 }
            }
        }
        let denominator = ((concordant + discordant + tiedX) * (concordant + discordant + tiedY)).squareRoot()
        return denominator == 0 ? .nan : (concordant - discordant) / denominator
    }
}
