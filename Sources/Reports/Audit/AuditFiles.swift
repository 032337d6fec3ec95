import Audit
import Curation
import Datasets
import Foundation
import Harness
import Store

/// Writes an audit's files into one folder: `audit.md`, `levers.csv`, `audit.h5` (every
/// per-image score), `review.csv` (the flags, with their images), `review.html` (the same
/// flags to review in a browser, original images embedded), `spot-check.csv` and `spot-check.html`
/// (a random sample of the flags, suggestions hidden, for a person to check first: `SpotCheck`), `learning-curve.svg` and
/// `audit.ipynb` (rebuilds the levers table from `audit.h5`).
public enum AuditFiles {
    /// The names written, in order.
    public static let names = ["audit.md", "levers.csv", "audit.h5", "review.csv", "review.html", "spot-check.csv", "spot-check.html", "learning-curve.svg", "audit.ipynb"]

    /// - Returns: the paths written.
    @discardableResult
    public static func write(_ audit: AuditResult, of data: Dataset, dataset: String, costs: CostSchedule, to folder: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = { (name: String) in (folder as NSString).appendingPathComponent(name) }
        try AuditMarkdown.render(audit, dataset: dataset, costs: costs).write(toFile: path("audit.md"), atomically: true, encoding: .utf8)
        try leverCSV(audit.levers).write(toFile: path("levers.csv"), atomically: true, encoding: .utf8)
        try writeScores(audit, of: data, to: path("audit.h5"))
        let suggestions = audit.labelIssues.suggestions
        let items = audit.labelIssues.ranked.map { ReviewFile.Item(sample: $0, suggested: suggestions[$0]!.label, confidence: suggestions[$0]!.probability) }
        try ReviewFile.write(items, of: data, to: path("review.csv"))
        try ReviewSheet.html(items, of: data, title: "Flagged labels of \(dataset)", imageColumn: { "review-images/\($0).png" })
            .write(toFile: path("review.html"), atomically: true, encoding: .utf8)
        let sample = SpotCheck.sample(items, seed: audit.seeds[0])
        try ReviewFile.write(sample, of: data, to: path("spot-check.csv"))
        try ReviewSheet.html(sample, of: data, title: "A random sample of the flagged labels of \(dataset)", imageColumn: { "spot-check-images/\($0).png" }, spotCheck: true)
            .write(toFile: path("spot-check.html"), atomically: true, encoding: .utf8)
        try SVGChart.learningCurve(audit.learningCurve, metric: audit.scoring.metric.name).write(toFile: path("learning-curve.svg"), atomically: true, encoding: .utf8)
        try NotebookExport.renderAudit(command: "flywheel audit \(dataset)").write(toFile: path("audit.ipynb"), atomically: true, encoding: .utf8)
        return names.map(path)
    }

    /// One row per lever, best first: rank, kind, action, gain and its interval (points), p, cost,
    /// basis; the gain fields empty for a lever not measured (its training diverged on every seed).
    static func leverCSV(_ levers: [Lever]) -> String {
        let header = "rank,kind,action,gain_points,gain_lower,gain_upper,p_value,cost_units,basis"
        let rows = levers.enumerated().map { rank, lever in
            let gain = [\Summary.mean, \.lower, \.upper].map { field in lever.gain.map { String(format: "%.3f", 100 * $0[keyPath: field]) } ?? "" }
            return ([String(rank + 1), lever.kind.rawValue, lever.action] + gain
                    + [lever.pValue.map { String(format: "%.4f", $0) } ?? "", String(format: "%.2f", lever.cost), lever.basis])
                .map(CSVTable.escaped).joined(separator: ",")
        }
        return ([header] + rows).joined(separator: "\n") + "\n"
    }

    /// `/training/*` per training image, `/images/*` per training, validation and test image,
    /// `/levers/*` and `/learning_curve/*` (docs/results-schema.md).
    static func writeScores(_ audit: AuditResult, of data: Dataset, to path: String) throws {
        let temporary = (path as NSString).deletingLastPathComponent + "/." + (path as NSString).lastPathComponent + ".tmp"
        try HDF5File.writeAtomically(to: path, temporary: temporary) { root in try writeScores(audit, of: data, into: root) }
    }

    private static func writeScores(_ audit: AuditResult, of data: Dataset, into root: HDF5Group) throws {
        let issues = audit.labelIssues, flagged = Set(issues.ranked), rows = issues.samples.count
        let training = try root.createGroup("training")
        try training.write("sample", issues.samples.map(Int64.init), shape: [rows])
        try training.write("given", issues.labels.map(Int32.init), shape: [rows])
        try training.write("suggested", issues.samples.indices.map { Int32(issues.probabilities.predictedClass($0)) }, shape: [rows])
        try training.write("label_probability", issues.samples.indices.map { issues.probabilities[$0, issues.labels[$0]] }, shape: [rows])
        try training.write("probabilities", issues.probabilities.values, shape: [rows, issues.probabilities.classes])
        try training.write("flagged", issues.samples.map { UInt8(flagged.contains($0) ? 1 : 0) }, shape: [rows])
        try training.write("class_distance", audit.outliers.classDistance, shape: [rows])
        let outliers = Set(audit.outliers.outliers)
        try training.write("outlier", issues.samples.map { UInt8(outliers.contains($0) ? 1 : 0) }, shape: [rows])
        try training.write("redundant", issues.samples.map { UInt8(audit.duplicates.redundant.contains($0) ? 1 : 0) }, shape: [rows])

        let quality = audit.quality, images = try root.createGroup("images"), n = quality.samples.count
        try images.write("sample", quality.samples.map(Int64.init), shape: [n])
        try images.write("split", quality.samples.map { data.splits[$0].rawValue }, shape: [n])
        try images.write("mean", quality.mean, shape: [n])
        try images.write("contrast", quality.contrast, shape: [n])
        try images.write("nearest_distance", quality.samples.map { audit.duplicates.search.nearestDistance[$0] ?? .nan }, shape: [n])
        let pairs = audit.duplicates.search.pairs
        try images.write("duplicate_pairs", pairs.flatMap { [Int64($0.first), Int64($0.second)] }, shape: [pairs.count, 2])

        let levers = try root.createGroup("levers"), m = audit.levers.count
        try levers.write("kind", strings: audit.levers.map(\.kind.rawValue))
        try levers.write("action", strings: audit.levers.map(\.action))
        try levers.write("gains", audit.levers.flatMap(\.gains), shape: [m, audit.seeds.count])
        try levers.write("cost", audit.levers.map(\.cost), shape: [m])
        let curve = try root.createGroup("learning_curve"), points = audit.learningCurve.points
        try curve.write("fraction", points.map(\.fraction), shape: [points.count])
        try curve.write("size", points.map { Int64($0.size) }, shape: [points.count])
        try curve.write("accuracy", points.flatMap(\.accuracy), shape: [points.count, audit.seeds.count])
        try root.setAttribute("scored_on", audit.scoring.description)
        try root.setAttribute("metric", audit.scoring.metric.rawValue)
        try root.setAttribute("seeds", audit.seeds.map(Int64.init))
        try root.setAttribute("estimated_noise_rate", issues.issues.noise.noiseRate)
        try root.setAttribute("class_names", audit.classNames.joined(separator: "\n"))
        try root.setAttribute("flywheel_commit", audit.commit)
        for (key, value) in audit.platform { try root.setAttribute("platform_" + key, value) }
    }
}
