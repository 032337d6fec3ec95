import Engine

/// Which rows of a review sheet show the model's suggestion, when a review is also to measure
/// whether seeing it changes the reviewer's choice (anchoring): of each two rows in the sheet's
/// order (most likely mislabelled first), a seeded coin shows the suggestion on one and hides it
/// on the other, so both halves hold rows of the same ranks; a last odd row gets a coin of its own.
public enum BlindHalf {
    /// Per row, in sheet order, whether the suggestion is shown.
    public static func shown(rows: Int, seed: UInt64) -> [Bool] {
        var coin = SplitMix64(seed: seed ^ 0xB11D_4A1F)
        var shown: [Bool] = []
        shown.reserveCapacity(rows)
        while shown.count < rows {
            let first = coin.next() & 1 == 0
            shown.append(first)
            if shown.count < rows { shown.append(!first) }
        }
        return shown
    }
}
