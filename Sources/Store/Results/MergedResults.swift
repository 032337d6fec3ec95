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

    private static func writeSummary(_ records: [TrialRecord], to group: HDF5Group) throws {
        try group.write("trial_id", strings: records.map(\.trialID))
        try group.write("experiment", strings: records.map(\.experiment))
        try group.write("arm", strings: records.map(\.arm))
        try group.write("variant", strings: records.map(\.variant))
        try group.write("status", strings: records.map(\.status.rawValue))
        try group.write("seed", records.map(\.seed), shape: [records.count])
        try group.write("openblas_core", strings: records.map { $0.platform["openblas_core"] ?? "" })
        let columns: [(String, (TrialRecord) -> Double)] = [
            ("accuracy", { $0.metrics?.accuracy ?? .nan }), ("macro_f1", { $0.metrics?.macroF1 ?? .nan }),
            ("validation_accuracy", { $0.metrics?.validationAccuracy ?? .nan }),
            ("wall_seconds", \.wallSeconds), ("train_flops", \.trainFLOPs),
        ]
        for (name, value) in columns { try group.write(name, records.map(value), shape: [records.count], compress: false) }
    }
}
