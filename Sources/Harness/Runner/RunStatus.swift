/// Where a run stands, for a live progress display: trials finished of those to run, what each
/// trial in flight is doing ("baseline baseline seed 2: epoch 7/15"), and the estimated time left.
public struct RunStatus: Sendable, Equatable {
    public let done: Int
    public let total: Int
    public let running: [String]
    /// From the mean pace of the finished trials; nil until one has finished.
    public let secondsLeft: Double?
}
