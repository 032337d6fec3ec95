#if canImport(Glibc)
import Glibc
#endif
import Engine

/// How many images of each class to draw for each split.
public struct SplitCounts: Sendable, Equatable, Encodable {
    public var train: Int, validation: Int, test: Int, pool: Int

    public init(train: Int, validation: Int, test: Int, pool: Int = 0) {
        self.train = train; self.validation = validation; self.test = test; self.pool = pool
    }

    /// Count for `split`.
    public subscript(split: Split) -> Int {
        switch split {
        case .train: train
        case .validation: validation
        case .test: test
        case .pool: pool
        }
    }
}

extension Scenario {
    /// Draws a balanced dataset: `perClass[split]` images of every class in every split, with
    /// gold labels, delivered labels equal to gold (corrupt them with a `LabelNoise`), and each
    /// image's ambiguity. Sample `i` comes from its own generator seeded by (seed, i), so the
    /// result depends only on the arguments. With `stableSplits`, sample `j` of a split comes from
    /// a generator seeded by (seed, split, j) instead, so changing one split's size leaves every
    /// other split's images as they were (and a smaller split is the start of a larger one).
    ///
    /// Severity is drawn as `m + (1 − m)·u^0.7` (u uniform, m = `minSeverity`, 0.1 by default), so
    /// faint defects are common; a sample of a class in a confusable pair has ambiguity
    /// `max(0, 1 − severity / 0.6)`, others 0. A higher `minSeverity` makes the images easier
    /// (the label noise, not the pixels, then limits accuracy).
    public func generate(imageSize: Int, perClass: SplitCounts, seed: UInt64, minSeverity: Float = 0.1,
                         stableSplits: Bool = false) throws -> Dataset {
        guard imageSize >= 16 else { throw DatasetError.invalid("image size must be at least 16 pixels, got \(imageSize)") }
        guard minSeverity >= 0 && minSeverity < 1 else { throw DatasetError.invalid("minimum severity must be in [0, 1), got \(minSeverity)") }
        for split in Split.allCases where perClass[split] < 0 {
            throw DatasetError.invalid("per-class count for \(split) must be ≥ 0, got \(perClass[split])")
        }
        let confusable = Set(confusablePairs.flatMap { [$0.0, $0.1] })
        var pixels: [UInt8] = [], gold: [Int32] = [], ambiguity: [Float] = [], splits: [Split] = []
        for (splitNumber, split) in Split.allCases.enumerated() {
            let first = gold.count
            for _ in 0..<perClass[split] {
                for label in classNames.indices {
                    let sample = stableSplits ? UInt64(splitNumber + 1) << 40 &+ UInt64(gold.count - first) : UInt64(gold.count)
                    var g = SplitMix64(seed: seed &* 0x2545_F491_4F6C_DD1D &+ sample)
                    let severity = minSeverity + (1 - minSeverity) * powf(g.nextUniform(), 0.7)
                    pixels += render(label: label, severity: severity, size: imageSize, using: &g).bytes
                    gold.append(Int32(label))
                    ambiguity.append(confusable.contains(label) ? max(0, 1 - severity / 0.6) : 0)
                    splits.append(split)
                }
            }
        }
        return Dataset(pixels: pixels, height: imageSize, width: imageSize, channels: 1, classNames: classNames, gold: gold,
                       delivered: gold, annotators: [Int32](repeating: -1, count: gold.count), ambiguity: ambiguity, splits: splits,
                       provenance: ["source": "scenario:\(name)", "generator": stableSplits ? "flywheel-scenarios-2" : "flywheel-scenarios-1", "seed": String(seed),
                                    "image_size": String(imageSize), "min_severity": String(minSeverity)])
    }
}
