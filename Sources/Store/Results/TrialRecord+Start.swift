import Engine
import Foundation

extension TrialRecord {
    /// The record of a trial starting now on this machine: Flywheel's commit, the library
    /// versions, the platform (kernel, engine threads, CPU) and the start time filled in; `failed`
    /// until a training is recorded (`record(training:…)`), then `finish(startedAt:)`.
    public static func starting(trialID: String, experiment: String, arm: Arm, variant: String, seed: Int64, config: String,
                                classNames: [String], at started: Date) -> TrialRecord {
        var record = TrialRecord(trialID: trialID, experiment: experiment, arm: arm, variant: variant, seed: seed, status: .failed,
                                 config: config, gitCommit: RuntimeVersions.flywheelCommit, versions: RuntimeVersions.all,
                                 startedAt: timestamp(started), finishedAt: "", wallSeconds: 0, trainFLOPs: 0,
                                 classNames: classNames)
        record.platform = RuntimePlatform.current(threads: Parallelism.workers)
        return record
    }

    /// Stamps the finish time and the wall-clock seconds since `started`.
    public mutating func finish(startedAt started: Date) {
        finishedAt = timestamp(Date())
        wallSeconds = Date().timeIntervalSince(started)
    }
}

/// ISO 8601 in UTC with milliseconds ("2026-12-04T14:05:09.123Z"), so files written within one
/// second still order by time (the newest resolution of a trial is the one that finished last).
private func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: date)
}
