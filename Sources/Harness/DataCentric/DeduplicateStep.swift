import Curation
import Datasets
import Store

/// `dedup: {max_distance: 4, remove: true, leakage: error}` — exact and near-duplicate training
/// images (perceptual hash within `max_distance` bits), optionally removed; training images that
/// duplicate test images are leakage, an error unless `leakage: report`.
public struct DeduplicateStep: DataStep {
    public static let name = "dedup"
    let finder: DuplicateFinder
    let remove: Bool
    let failOnLeakage: Bool

    public init(options: ConfigReader) throws {
        let o = try options.entries(allowed: ["max_distance", "remove", "leakage"])
        finder = DuplicateFinder(maxDistance: try o["max_distance"]?.int(minimum: 0, description: "a bit distance in 0...64") ?? 4)
        remove = try o["remove"]?.bool() ?? true
        failOnLeakage = try o["leakage"]?.string(allowed: ["error", "report"]) != "report"
    }

    public func apply(to context: inout CurationContext) throws -> StepRecord {
        let report = finder.find(in: context.data)
        if failOnLeakage, let first = report.trainTestLeaks.first {
            throw CurationError.leakage("\(report.trainTestLeaks.count) training images duplicate test images (first: training sample \(first.first), test sample \(first.second))")
        }
        let redundant = report.redundant
        if remove && !redundant.isEmpty { context.remove(redundant, reason: "near-duplicates") }
        return StepRecord(name: Self.name, outcomes: ["duplicate_pairs": Double(report.withinTraining.count),
                                                     "exact_pairs": Double(report.withinTraining.filter(\.exact).count),
                                                     "leaks": Double(report.trainTestLeaks.count), "removed": Double(remove ? redundant.count : 0)],
                            indices: ["redundant": redundant.sorted().map(Int64.init)])
    }
}
