import Engine

extension Dataset {
    /// The dataset with a validation split carved out of its training split when it has none:
    /// `fraction` of each class's training images (by label as delivered, at least one per class
    /// that has two or more), drawn from `seed`. Teams' data often comes as `train/` and `test/`
    /// only; a choice among candidates then needs validation images the test set does not
    /// provide. Unchanged when the dataset has a validation split already; recorded in the provenance.
    public func carvingValidation(fraction: Double, seed: UInt64) -> Dataset {
        guard indices(in: .validation).isEmpty, fraction > 0 else { return self }
        var result = self
        var generator = SplitMix64(seed: seed &+ 0x7A11_DA7E)
        let byClass = Dictionary(grouping: indices(in: .train), by: { delivered[$0] })
        var moved = 0
        for label in byClass.keys.sorted() {
            var members = byClass[label]!
            guard members.count >= 2 else { continue }
            generator.shuffle(&members)
            let count = min(members.count - 1, max(1, Int((fraction * Double(members.count)).rounded())))
            for sample in members.prefix(count) { result.splits[sample] = .validation }
            moved += count
        }
        result.record(step: "validation carved from train: \(moved) images (\(fraction) of each class, seed \(seed))")
        return result
    }
}
