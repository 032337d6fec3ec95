/// The merged view of an experiment: one file with every trial (without weights) under
/// `/trials/<trial-id>` and a column-per-dataset summary table under `/summary`, which pandas
/// reads as `pd.DataFrame({k: f["summary"][k][()] for k in f["summary"]})`.
public enum MergedResults {
    /// Writes `records` (in trial-id order) atomically to `path`. The same records always give
    /// the same bytes.
    public static func write(_ records: [TrialRecord], to path: String) throws {
        let sorted = records.sorted { $0.trialID < $1.trialID }
        let temporary = HDF5File.folder(of: path) + "/." + (path.split(separator: "/").last.map(String.init) ?? path) + ".tmp"
        try HDF5File.writeAtomically(to: path, temporary: temporary) { root in
            try root.setAttribute("schema_version", TrialRecord.currentSchemaVersion)
            try root.setAttribute("trial_count", Int64(sorted.count))
            let trials = try root.createGroup("trials")
            for record in sorted { try record.write(to: try trials.createGroup(record.trialID), includeWeights: false) }
            try writeSummary(sorted, to: try root.createGroup("summary"))
        }
    }

    /// One dataset per trial column (`TrialColumn.all`), rows in trial-id order.
    private static func writeSummary(_ records: [TrialRecord], to group: HDF5Group) throws {
        for column in TrialColumn.all {
            switch column.values {
            case .text(let value): try group.write(column.name, strings: records.map(value))
            case .integer(let value): try group.write(column.name, records.map(value), shape: [records.count])
            case .number(let value): try group.write(column.name, records.map { value($0) ?? .nan }, shape: [records.count], compress: false)
            }
        }
    }
}
