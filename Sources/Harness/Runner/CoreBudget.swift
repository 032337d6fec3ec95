import Foundation

/// The engine threads the trials of several runs in one process may use at once, shared by the
/// experiments a suite runs side by side (`SuiteRunner.sideBySide`): a job takes its trial's
/// threads from the budget before it starts a trial and gives them back when the trial ends, so
/// while one experiment waits for a round to finish (the stacks that follow a round's choices)
/// the next experiment's trials use the cores it leaves idle, and no more trials run at once than
/// one experiment alone would run. Each trial still runs on the threads its run gives it, so what
/// it computes does not change.
public final class CoreBudget: @unchecked Sendable {
    /// The threads in the budget.
    public let capacity: Int
    private var free: Int
    private let condition = NSCondition()

    /// - Parameter capacity: at least 1.
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        free = self.capacity
    }

    /// Waits until `threads` (at most `capacity`) are free, then takes them.
    private func take(_ threads: Int) {
        let wanted = counted(threads)
        condition.lock()
        while free < wanted { condition.wait() }
        free -= wanted
        condition.unlock()
    }

    /// Gives back `threads` taken by `take`.
    private func giveBack(_ threads: Int) {
        let returned = counted(threads)
        condition.lock()
        free = min(capacity, free + returned)
        condition.broadcast()
        condition.unlock()
    }

    /// What `threads` counts for: at least one, at most the whole budget.
    private func counted(_ threads: Int) -> Int { min(max(threads, 1), capacity) }

    /// Runs `body` holding `threads` of the budget.
    public func holding<T>(_ threads: Int, _ body: () throws -> T) rethrows -> T {
        take(threads)
        defer { giveBack(threads) }
        return try body()
    }
}
