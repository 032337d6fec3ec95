import Foundation

/// Counts the audit's trainings as they start, from whichever job starts them, and reports each
/// start as `progress(started so far, total, what)`.
final class TrainingCounter: @unchecked Sendable {   // `started` is guarded by `lock`
    let total: Int
    private let progress: (Int, Int, String) -> Void
    private var started = 0
    private let lock = NSLock()

    init(total: Int, _ progress: @escaping (Int, Int, String) -> Void) {
        self.total = total
        self.progress = progress
    }

    /// Reports `what` as starting and counts it as `trainings` trainings.
    func starting(_ what: String, trainings: Int = 1) {
        lock.withLock {
            progress(started, total, what)
            started += trainings
        }
    }
}
