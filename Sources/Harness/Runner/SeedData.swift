import Datasets
import Foundation

/// The data of each seed, built once and shared by every trial of the seed (trials of one seed
/// see the same images, splits and delivered labels). Safe to use from several jobs at once.
final class SeedData: @unchecked Sendable {
    private let config: ExperimentConfig
    private let lock = NSLock()
    private var built: [Int: Dataset] = [:]

    init(_ config: ExperimentConfig) { self.config = config }

    /// The seed's dataset (`ExperimentConfig.data(seed:)`), built on first use.
    func dataset(seed: Int) throws -> Dataset {
        if let cached = lock.withLock({ built[seed] }) { return cached }
        let dataset = try config.data(seed: seed)
        lock.withLock { built[seed] = dataset }
        return dataset
    }
}
