/// Label-preserving image transforms applied as a data step: each selected transform adds one
/// transformed copy of every training image (the multiplier is 1 + the number of transforms).
public struct Augmentation: Sendable, Equatable, Encodable {
    public var horizontalFlip = false
    public var verticalFlip = false
    /// Rotations by 90°, 180° and 270° (square images only).
    public var rotations = false

    public init(horizontalFlip: Bool = false, verticalFlip: Bool = false, rotations: Bool = false) {
        self.horizontalFlip = horizontalFlip; self.verticalFlip = verticalFlip; self.rotations = rotations
    }

    /// Copies per original image, the original included.
    public var multiplier: Int { 1 + (horizontalFlip ? 1 : 0) + (verticalFlip ? 1 : 0) + (rotations ? 3 : 0) }

    /// The dataset with transformed copies of every `split` image appended (same labels,
    /// annotators and ambiguity); recorded in the provenance.
    public func apply(to dataset: Dataset, split: Split = .train) throws -> Dataset {
        guard !rotations || dataset.height == dataset.width else {
            throw DatasetError.invalid("augmentation: rotations need square images, got \(dataset.height)×\(dataset.width)")
        }
        let sources = dataset.indices(in: split)
        var result = dataset
        let transforms: [(Int, Int, Int, Int) -> Int] = (horizontalFlip ? [{ y, x, h, w in y * w + (w - 1 - x) }] : [])
            + (verticalFlip ? [{ y, x, h, w in (h - 1 - y) * w + x }] : [])
            + (rotations ? [{ y, x, h, w in (w - 1 - x) * w + y }, { y, x, h, w in (h - 1 - y) * w + (w - 1 - x) },
                            { y, x, h, w in x * w + (h - 1 - y) }] : [])
        let (h, w, c) = (dataset.height, dataset.width, dataset.channels)
        var copied = Array(0..<dataset.count)
        for transform in transforms {
            for i in sources {
                let base = i * dataset.imageSize
                var copy = [UInt8](repeating: 0, count: dataset.imageSize)
                for y in 0..<h { for x in 0..<w { for k in 0..<c { copy[(y * w + x) * c + k] = dataset.pixels[base + transform(y, x, h, w) * c + k] } } }
                result.pixels += copy
                result.gold.append(dataset.gold[i]); result.delivered.append(dataset.delivered[i])
                result.annotators.append(dataset.annotators[i]); result.ambiguity.append(dataset.ambiguity[i])
                result.splits.append(split)
                result.labelsBeforeReview?.append(dataset.labelsBeforeReview![i])
                copied.append(i)
            }
        }
        result.keepPerImageDetails(of: copied, from: dataset)
        result.record(step: "augment hflip=\(horizontalFlip) vflip=\(verticalFlip) rot90=\(rotations) on \(split) (×\(multiplier))")
        return result
    }
}
