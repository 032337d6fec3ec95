extension Dataset {
    /// Why a model cannot be trained and scored on this file — no training split, or no test
    /// split, the one every trial and `flywheel train` score on — or nil when it can. A competition's
    /// `train/` and `val/` folders (the test set kept back) import with no test split; scored on it,
    /// every model would read 0% and every arm "equivalent".
    /// - Parameter file: the file's name, as the message gives it.
    public func unscorableReason(file: String) -> String? {
        if indices(in: .train).isEmpty {
            return "\(file) has no training split (\(splitCounts)); import it again with one"
        }
        guard indices(in: .test).isEmpty else { return nil }
        return "\(file) has no test split (\(splitCounts)), and results are scored on the test split; import it again with one: "
            + importAdvice(adding: .test)
    }

    /// The import that adds `split` to this file: `--hold-out` when its splits came from its source
    /// (the import then keeps them and ignores `--split`), else `--split`.
    public func importAdvice(adding split: Split) -> String {
        if provenance["splits"] == "as given by the source" {
            return "flywheel data import SOURCE --out FILE.h5 --hold-out \(split)=0.2 (a fifth of each class's training images; "
                + "the source's splits kept)"
        }
        return "flywheel data import SOURCE --out FILE.h5 --split train=0.6,val=0.2,test=0.2"
    }

    /// "train 400, val 150, test 0".
    private var splitCounts: String {
        [Split.train, .validation, .test].map { "\($0) \(indices(in: $0).count)" }.joined(separator: ", ")
            + (indices(in: .pool).isEmpty ? "" : ", pool \(indices(in: .pool).count)")
    }
}
