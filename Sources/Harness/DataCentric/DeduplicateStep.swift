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
        return StepRecord(name: Self.name, outcome: DeduplicateOutcome(
            duplicatePairs: report.withinTraining.count, exactPairs: report.withinTraining.filter(\.exact).count,
            leaks: report.trainTestLeaks.count, validationLeaks: report.trainValidationLeaks.count,
            typicalDistance: report.search.typicalDistance, radius: report.search.radius, removed: remove ? redundant.count : 0,
            redundant: redundant.sorted().map(Int64.init)))
    }
}

/// What `dedup` found: duplicate pairs within the training split (and how many exact), training
/// images that duplicate test or validation images, the search's radius, and the redundant
/// training images (removed when the step removes).
public struct DeduplicateOutcome: StepOutcome, Equatable {
    public static let step = DeduplicateStep.name
    public var duplicatePairs: Int, exactPairs: Int, leaks: Int, validationLeaks: Int
    /// The median nearest-neighbour distance and the radius derived from it.
    public var typicalDistance: Double, radius: Double
    public var removed: Int
    public var redundant: [Int64]

    public var stored: StoredOutcome {
        StoredOutcome(values: ["duplicate_pairs": Double(duplicatePairs), "exact_pairs": Double(exactPairs), "leaks": Double(leaks),
                               "validation_leaks": Double(validationLeaks), "typical_distance": typicalDistance, "radius": radius,
                               "removed": Double(removed)],
                      indices: ["redundant": redundant])
    }

    public init(duplicatePairs: Int, exactPairs: Int, leaks: Int, validationLeaks: Int, typicalDistance: Double, radius: Double,
                removed: Int, redundant: [Int64]) {
        self.duplicatePairs = duplicatePairs; self.exactPairs = exactPairs; self.leaks = leaks; self.validationLeaks = validationLeaks
        self.typicalDistance = typicalDistance; self.radius = radius; self.removed = removed; self.redundant = redundant
    }

    public init(stored: StoredOutcome) {
        let count = { stored.count($0) ?? 0 }
        self.init(duplicatePairs: count("duplicate_pairs"), exactPairs: count("exact_pairs"), leaks: count("leaks"),
                  validationLeaks: count("validation_leaks"), typicalDistance: stored.values["typical_distance"] ?? .nan,
                  radius: stored.values["radius"] ?? .nan, removed: count("removed"), redundant: stored.indices["redundant"] ?? [])
    }
}
