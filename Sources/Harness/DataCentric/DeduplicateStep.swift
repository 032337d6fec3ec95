import Curation
import Datasets
import Store

/// `dedup: {relative_radius: 0.1, remove: true, leakage: error}` — exact and near-duplicate
/// training images (`DuplicateDetector`: closer than `relative_radius` × the median
/// nearest-neighbour distance), optionally removed, one image of each group kept; training images
/// that duplicate test images are leakage, an error unless `leakage: report`.
public struct DeduplicateStep: DataStep {
    public static let name = "dedup"
    let detector: DuplicateDetector
    let remove: Bool
    let failOnLeakage: Bool

    public init(options: ConfigReader) throws {
        let o = try options.entries(allowed: ["relative_radius", "remove", "leakage"])
        let radius = try o["relative_radius"]?.double(in: 0...1, description: "a fraction of the median nearest-neighbour distance, in 0...1")
        detector = DuplicateDetector(relativeRadius: radius ?? DuplicateDetector().relativeRadius)
        remove = try o["remove"]?.bool() ?? true
        failOnLeakage = try o["leakage"]?.string(allowed: ["error", "report"]) != "report"
    }

    public func apply(to context: inout CurationContext) throws -> StepRecord {
        let report = DuplicateReport(context.data, detector: detector)
        if failOnLeakage, let first = report.trainTestLeaks.first {
            throw CurationError.leakage("\(report.trainTestLeaks.count) training images duplicate test images (first: training sample \(first.first), test sample \(first.second))")
        }
        let redundant = report.redundant
        if remove && !redundant.isEmpty { context.remove(redundant, reason: "near-duplicates") }
        return StepRecord(name: Self.name, outcomes: ["duplicate_pairs": Double(report.withinTraining.count),
                                                     "exact_pairs": Double(report.withinTraining.filter(\.exact).count),
                                                     "leaks": Double(report.trainTestLeaks.count),
                                                     "validation_leaks": Double(report.trainValidationLeaks.count),
                                                     "typical_distance": report.search.typicalDistance,
                                                     "radius": report.search.radius,
                                                     "removed": Double(remove ? redundant.count : 0)],
                            indices: ["redundant": redundant.sorted().map(Int64.init)])
    }
}
