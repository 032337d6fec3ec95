import Datasets

/// Whether seeing the model's suggestion changed what a reviewer picked: a review whose sheet hid
/// the suggestion on a random half of its rows (`BlindHalf`), read back row by row. The rows a
/// person left unreviewed are left out. With the true labels of the rows (a generated set, or
/// one whose labels someone verified), it also says what the suggestion did to the labels'
/// accuracy — on rows where it was wrong (was it taken?) and where it was right.
public struct Anchoring: Sendable {
    /// Rows of the review, reviewed or not.
    public let rows: Int
    /// Picked the model's suggestion: seen against hidden. The anchoring is the difference.
    public let pickedSuggestion: ProportionDifference
    /// Picked the true label, on reviewed rows whose truth is known (nil: none is).
    public let pickedTruth: ProportionDifference?
    /// Where the suggestion was wrong: picked it anyway (nil where no such row is known).
    public let tookWrongSuggestion: ProportionDifference?
    /// Where the suggestion was right: picked it (nil where no such row is known).
    public let tookRightSuggestion: ProportionDifference?
    /// The equivalence margin on the anchoring (a share: 0.1 is ten points).
    public let margin: Double

    /// What the anchoring's intervals say.
    public enum Finding: Sendable {
        /// Reviewers picked the suggestion more often when they saw it (the 95% interval above 0).
        case anchored
        /// Less often when they saw it (the 95% interval below 0).
        case contrary
        /// No anchoring beyond ±margin (the 90% interval inside it: two one-sided tests).
        case withinMargin
        /// Neither: the rows cannot tell.
        case inconclusive
    }

    /// - Throws: `CurationError.invalidInput` when the review carries no `suggestion_shown` column,
    ///   or either half has no reviewed row.
    public init(review rows: [ReviewFile.Row], of data: Dataset, margin: Double, file: String) throws {
        guard rows.allSatisfy({ $0.suggestionShown != nil }) else {
            throw CurationError.invalidInput("\(file): no \(ReviewFile.shownColumn) column; a review measures anchoring when its sheet hid the suggestion on a random half of the rows: flywheel data review-sheet DATASET REVIEW.csv --blind-half SEED")
        }
        let reviewed = rows.filter { $0.corrected != nil }
        let seen = reviewed.filter { $0.suggestionShown == true }, hidden = reviewed.filter { $0.suggestionShown == false }
        guard !seen.isEmpty, !hidden.isEmpty else {
            throw CurationError.invalidInput("\(file): \(seen.count) reviewed rows with the suggestion shown and \(hidden.count) with it hidden; each half needs at least one (a row is reviewed when its corrected_label is filled in)")
        }
        func share(_ rows: [ReviewFile.Row], _ where: (ReviewFile.Row) -> Bool, _ hit: (ReviewFile.Row) -> Bool) -> Proportion {
            let kept = rows.filter(`where`)
            return Proportion(count: kept.filter(hit).count, total: kept.count)
        }
        func compare(_ where: @escaping (ReviewFile.Row) -> Bool, _ hit: @escaping (ReviewFile.Row) -> Bool) -> ProportionDifference? {
            let pair = ProportionDifference(share(seen, `where`, hit), share(hidden, `where`, hit))
            return pair.a.total > 0 && pair.b.total > 0 ? pair : nil
        }
        let truth = { (row: ReviewFile.Row) in data.gold[row.sample] }
        let known = { (row: ReviewFile.Row) in truth(row) >= 0 }
        self.rows = rows.count
        self.margin = margin
        pickedSuggestion = ProportionDifference(share(seen, { _ in true }, { $0.corrected == $0.suggested }),
                                                share(hidden, { _ in true }, { $0.corrected == $0.suggested }))
        pickedTruth = compare(known) { $0.corrected == truth($0) }
        tookWrongSuggestion = compare({ known($0) && $0.suggested != truth($0) }) { $0.corrected == $0.suggested }
        tookRightSuggestion = compare({ known($0) && $0.suggested == truth($0) }) { $0.corrected == $0.suggested }
    }

    /// The anchoring's finding at 95% (and 90% for the margin).
    public var finding: Finding {
        let (lower, upper) = pickedSuggestion.interval(z: ProportionDifference.z95)
        if lower > 0 { return .anchored }
        if upper < 0 { return .contrary }
        let (low90, high90) = pickedSuggestion.interval(z: ProportionDifference.z90)
        return low90 > -margin && high90 < margin ? .withinMargin : .inconclusive
    }
}
