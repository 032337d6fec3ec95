import Harness
import Store

/// The analysis as tables in the merged HDF5 file, under `/analysis`: `arms` (`ArmColumns`),
/// `comparisons` (`ComparisonColumns`) and `per_seed` (`PerSeedColumns`), one dataset per field
/// and the field order in each group's `columns` attribute. The exported notebooks read these
/// values rather than recomputing them.
public enum AnalysisTables {
    public static func write(_ analysis: ExperimentAnalysis, to root: HDF5Group) throws {
        let group = try root.createGroup("analysis")
        try ReportTable.write(ArmColumns.of(analysis), ArmRow.rows(analysis), to: try group.createGroup("arms"))
        try ReportTable.write(ComparisonColumns.all, analysis.comparisons, to: try group.createGroup("comparisons"))
        try ReportTable.write(PerSeedColumns.of(analysis), PerSeedColumns.seeds(analysis), to: try group.createGroup("per_seed"))
    }
}
