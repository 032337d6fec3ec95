/// What a team pays, in one cost unit, for the things the arms spend: a label reviewed, a new
/// label bought (a collected image's, an extra consensus label, an active-learning query) and a
/// CPU-hour of training. Set per experiment (`costs:`); the defaults are placeholders of about
/// one US dollar a unit — an expert's 30 s per reviewed image at $60 an hour, a new labelled
/// image from the line at $1, a cloud vCPU-hour at $0.05 — and a team should set its own. Engineer
/// time spent trying model variants is not priced.
public struct CostSchedule: Sendable, Equatable {
    public var perLabelReviewed = 0.5
    public var perNewLabel = 1.0
    public var perCPUHour = 0.05

    public init() {}

    /// The cost of `effort` and `cpuHours` of training.
    public func cost(of effort: Effort, cpuHours: Double) -> Double {
        Double(effort.reviewed) * perLabelReviewed + Double(effort.annotations) * perNewLabel + cpuHours * perCPUHour
    }

    /// The schedule under its stored names (attributes `cost_<name>` of a trial file).
    var storedValues: [String: Double] { ["per_label_reviewed": perLabelReviewed, "per_new_label": perNewLabel, "per_cpu_hour": perCPUHour] }

    init?(stored values: [String: Double]) {
        guard let reviewed = values["per_label_reviewed"], let label = values["per_new_label"], let cpu = values["per_cpu_hour"] else { return nil }
        perLabelReviewed = reviewed; perNewLabel = label; perCPUHour = cpu
    }
}
