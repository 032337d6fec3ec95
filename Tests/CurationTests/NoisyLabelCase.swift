import Curation
import Engine
import Foundation

/// A generated classification problem with known label noise and model-like predicted
/// probabilities: softmax of Gaussian logits with a bonus on the true class.
struct NoisyLabelCase {
    let name: String
    let trueLabels: [Int]
    let labels: [Int]
    let probabilities: PredictedProbabilities

    /// - Parameters: `classSizes` per class; `flip` the chance a label moves to a random other
    ///   class; `signal` the logit bonus of the true class; `weakClass` a class whose own
    ///   probability is scaled down (so none of its samples is confident).
    init(_ name: String, classSizes: [Int], flip: Double, signal: Double, weakClass: Int? = nil, seed: UInt64) {
        var g = SplitMix64(seed: seed)
        let k = classSizes.count
        let truth = classSizes.enumerated().flatMap { Array(repeating: $0.offset, count: $0.element) }
        var given: [Int] = [], values: [Double] = []
        for t in truth {
            given.append(Double(g.nextUniform()) < flip ? (t + 1 + g.nextIndex(below: k - 1)) % k : t)
            var logits = (0..<k).map { Double(g.nextNormal()) + ($0 == t ? signal : 0) }
            if let weakClass { logits[weakClass] -= 3 }
            let top = logits.max()!
            let e = logits.map { exp($0 - top) }
            values += e.map { $0 / e.reduce(0, +) }
        }
        self.name = name
        trueLabels = truth
        labels = given
        probabilities = try! PredictedProbabilities(values: values, classes: k)
    }

    static let all: [NoisyLabelCase] = [
        NoisyLabelCase("balanced", classSizes: [120, 120, 120], flip: 0.2, signal: 2.5, seed: 1),
        NoisyLabelCase("imbalanced", classSizes: [300, 60, 25, 15], flip: 0.15, signal: 2.5, seed: 2),
        NoisyLabelCase("no confident examples in a class", classSizes: [100, 100, 100], flip: 0.2, signal: 2.0, weakClass: 2, seed: 3),
        NoisyLabelCase("heavy noise", classSizes: [150, 150, 150, 150, 150], flip: 0.45, signal: 3.0, seed: 4),
        NoisyLabelCase("tiny class", classSizes: [80, 80, 1], flip: 0.1, signal: 2.5, seed: 5),
    ]
}
