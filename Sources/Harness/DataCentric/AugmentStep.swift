import Datasets
import Store

/// `augment: {flips: true, vflips: false, rot90: true}` — transformed copies of the training images.
public struct AugmentStep: DataStep {
    public static let name = "augment"
    let augmentation: Augmentation

    public init(options: ConfigReader) throws {
        let o = try options.entries(allowed: ["flips", "vflips", "rot90"])
        augmentation = Augmentation(horizontalFlip: try o["flips"]?.bool() ?? false, verticalFlip: try o["vflips"]?.bool() ?? false,
                                    rotations: try o["rot90"]?.bool() ?? false)
        guard augmentation.multiplier > 1 else {
            throw ConfigError("\(options.path): expected at least one of flips, vflips, rot90 to be true (\(options.tree.origin))")
        }
    }

    public func apply(to context: inout CurationContext) throws -> CurationStep {
        let before = context.data.count
        context.replaceData(try augmentation.apply(to: context.data))
        return CurationStep(name: Self.name, scalars: ["multiplier": Double(augmentation.multiplier),
                                                       "samples_added": Double(context.data.count - before)])
    }
}
