import Curation
import Foundation

/// The anchoring report: per half of a blind-half review, what the reviewer picked, the
/// difference with its 95% interval and Fisher's p, and the finding.
public enum AnchoringMarkdown {
    public static func render(_ anchoring: Anchoring, review: String) -> String {
        let picked = anchoring.pickedSuggestion
        var lines = ["# Does seeing the model's suggestion change the review?", "",
                     "`\(review)`: \(anchoring.rows) rows, \(picked.a.total + picked.b.total) reviewed — \(picked.a.total) with the model's suggestion shown, "
                        + "\(picked.b.total) with it hidden (drawn at random in pairs of rows of neighbouring rank).", "",
                     "| the reviewer picked | suggestion shown | hidden | shown − hidden (points, 95% CI) | Fisher p |",
                     "|---|---|---|---|---|"]
        let measures: [(String, ProportionDifference?)] = [
            ("the model's suggestion (the anchoring)", picked),
            ("the true label", anchoring.pickedTruth),
            ("… where the suggestion was wrong: the suggestion", anchoring.tookWrongSuggestion),
            ("… where the suggestion was right: the suggestion", anchoring.tookRightSuggestion),
        ]
        for (name, difference) in measures {
            guard let difference else { continue }
            let (lower, upper) = difference.interval(z: ProportionDifference.z95)
            lines.append("| \(name) | \(share(difference.a)) | \(share(difference.b)) | "
                         + String(format: "%+.1f [%+.1f, %+.1f] | %.2g |", 100 * difference.value, 100 * lower, 100 * upper, difference.fisherPValue))
        }
        if anchoring.pickedTruth == nil { lines += ["", "The dataset holds no true label for the reviewed rows, so what the suggestion did to accuracy is not measured."] }
        let (low90, high90) = picked.interval(z: ProportionDifference.z90)
        let detectable = picked.minimumDetectableRise.map { String(format: "%.0f points", 100 * $0) } ?? "no rise up to 100%"
        lines += ["", "**Finding: \(words(anchoring.finding, margin: anchoring.margin))** "
                    + String(format: "(90%% interval %+.1f to %+.1f points, margin ±%.0f). ", 100 * low90, 100 * high90, 100 * anchoring.margin)
                    + "With these rows a rise of \(detectable) over the hidden half's share would be found with 80% power (two-sided 5%).", ""]
        return lines.joined(separator: "\n")
    }

    static func words(_ finding: Anchoring.Finding, margin: Double) -> String {
        switch finding {
        case .anchored: return "anchored — the reviewer picked the suggestion more often when they saw it"
        case .contrary: return "contrary — the reviewer picked the suggestion less often when they saw it"
        case .withinMargin: return String(format: "no anchoring beyond ±%.0f points", 100 * margin)
        case .inconclusive: return "inconclusive — these rows cannot tell"
        }
    }

    private static func share(_ p: Proportion) -> String { String(format: "%.0f%% (%d/%d)", 100 * p.value, p.count, p.total) }
}
