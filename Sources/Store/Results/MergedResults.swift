/// The merged view of an experiment: one file with every trial (without weights) under
/// `/trials/<trial-id>` and a column-per-dataset summary table under `/summary`, which pandas
/// reads as `pd.DataFrame({k: f["summary"][k][()] for k in f["summary"]})`.
public enum MergedResults {
    /// Writes `records` (in trial-id order) atomically to `path`. The same records always give
    /// the same bytes.
    /// - Parameter more: fills further groups of the file before it is renamed into place (the
    ///   reports' `/analysis` tables).
    public static func write(_ records: [TrialRecord], to path: String, more: (HDF5Group) throws -> Void = { _ in }) throws {
        let sorted = records.sorted { $0.trialID < $1.trialID }
        let temporary = HDF5File.folder(of: path) + "/." + (path.split(separator: "/").last.map(String.init) ?? path) + ".tmp"
        try HDF5File.writeAtomically(to: path, temporary: temporary) { root in
            try root.setAttribute("schema_version", TrialRecord.currentSchemaVersion)
            try root.setAttribute("trial_count", Int64(sorted.count))
            let trials = try root.createGroup("trials")
            for record in sorted { try record.write(to: try trials.createGroup(record.trialID), includeWeights: false) }
            try ReportTable.write(TrialColumn.all, sorted, to: try root.createGroup("summary"))
            try more(root)
        }
    }
}
