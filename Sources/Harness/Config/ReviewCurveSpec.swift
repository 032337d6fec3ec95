import Curation

/// `arms.review-curve`: the yardstick of DataPerf's debugging track. Every training label is
/// ranked by the fixed model's out-of-sample confidence (`label-issues` with `rank: all`); for
/// each fraction f, the top f of the ranking is reviewed (`relabel` with budget f) and the fixed
/// model retrained; one more trial reviews every label with the truth: the gold-label model. The
/// baseline is the curve's point at 0. With the default reviewer, `gold`, the reviews write the
/// truth: an oracle, named as such in every trial and table.
public struct ReviewCurveSpec: Sendable {
    /// The reviewed fractions, ascending, each in (0, 1).
    public let fractions: [Double]
    /// One point of the curve: its name and its steps.
    public struct Point: Sendable {
        public let name: String
        public let steps: [any DataStep]
    }
    /// The fractions' points, then the gold-label model's.
    public let points: [Point]
    /// The name of the gold-label model's point.
    public static let goldName = "all labels gold (oracle)"

    /// Decodes `{fractions: [0.05, …], folds: 5, rank_by: self_confidence, reviewer: gold,
    /// error_rate, ambiguous_error_rate}`.
    init(_ reader: ConfigReader) throws {
        let o = try reader.entries(allowed: ["fractions", "folds", "rank_by", "reviewer", "error_rate", "ambiguous_error_rate"])
        guard let list = o["fractions"] else { throw ConfigError("\(reader.path).fractions: missing; list the fractions of the training labels to review (\(reader.tree.origin))") }
        fractions = try list.list().map { try $0.double(in: 0.000_001...0.999_999, description: "a fraction in (0, 1)") }
        guard !fractions.isEmpty, fractions == fractions.sorted(), Set(fractions).count == fractions.count else {
            throw ConfigError("\(list.path): expected at least one fraction, ascending, each once (\(list.tree.origin))")
        }
        let folds = try o["folds"]?.int(minimum: 2, description: "at least 2 folds") ?? 5
        let rankBy = LabelQualityScore(rawValue: try o["rank_by"]?.string(allowed: LabelQualityScore.allCases.map(\.rawValue)) ?? "self_confidence")!
        _ = try o["reviewer"]?.string(allowed: LabelSource.names.filter { $0 != "human" && $0 != "convention" })
        let reviewer = try LabelSource.decode(o, key: "reviewer", default: "gold", allowHuman: false)
        let ranking = LabelIssuesStep(folds: folds, search: LabelIssueSearch(finder: LabelIssueFinder(), rankBy: rankBy), ranksAll: true)
        let review = { (budget: Double, source: LabelSource) in RelabelStep(budget: .fraction(budget), source: source, stepKey: reader.path) }
        points = fractions.map { Point(name: "review \(Self.percent($0))", steps: [ranking, review($0, reviewer)]) }
            + [Point(name: Self.goldName, steps: [ranking, review(1, .simulated(.gold))])]
    }

    /// The reviewed fraction a point's name stands for ("review 5%" → 0.05; the gold-label model → 1).
    public static func fraction(ofPointNamed name: String) -> Double? {
        if name == goldName { return 1 }
        guard name.hasPrefix("review "), name.hasSuffix("%"), let value = Double(name.dropFirst(7).dropLast()) else { return nil }
        return value / 100
    }

    /// "5%", "12.5%".
    static func percent(_ fraction: Double) -> String {
        let value = fraction * 100
        return value == value.rounded() ? "\(Int(value))%" : "\(value)%"
    }
}
