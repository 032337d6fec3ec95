import Datasets
import Engine
import Store

/// `augment: {flips: true, vflips: false, rot90: true}` — transformed copies of the training
/// images, appended with their labels. With `in_loop: true` the training set keeps its size
/// instead: the fixed model's training flips each sample at random whenever it enters a batch,
/// so the arm trains with the baseline's compute (rotations are copies only).
public struct AugmentStep: DataStep {
    public static let name = "augment"
    let augmentation: Augmentation
    let inLoop: Bool

    public init(options: ConfigReader) throws {
        let o = try options.entries(allowed: ["flips", "vflips", "rot90", "in_loop"])
        augmentation = Augmentation(horizontalFlip: try o["flips"]?.bool() ?? false, verticalFlip: try o["vflips"]?.bool() ?? false,
                                    rotations: try o["rot90"]?.bool() ?? false)
        inLoop = try o["in_loop"]?.bool() ?? false
        guard augmentation.multiplier > 1 else {
            throw ConfigError("\(options.path): expected at least one of flips, vflips, rot90 to be true (\(options.tree.origin))")
        }
        guard !(inLoop && augmentation.rotations) else {
            throw ConfigError("\(options.path).rot90: in_loop augmentation flips only; drop rot90 or in_loop (\(options.tree.origin))")
        }
    }

    /// Appended copies make the final training `multiplier` times longer; in-loop flips cost nothing.
    public var estimatedTrainings: Double { inLoop ? 0 : Double(augmentation.multiplier - 1) }

    public func apply(to context: inout CurationContext) throws -> StepRecord {
        if inLoop {
            var axes: RandomFlips = []
            if augmentation.horizontalFlip { axes.insert(.horizontal) }
            if augmentation.verticalFlip { axes.insert(.vertical) }
            context.flipInLoop(axes)
            return StepRecord(name: Self.name, outcome: AugmentOutcome(inLoop: true, multiplier: nil, samplesAdded: 0))
        }
        let before = context.data.count
        context.replaceData(try augmentation.apply(to: context.data))
        return StepRecord(name: Self.name, outcome: AugmentOutcome(inLoop: false, multiplier: augmentation.multiplier,
                                                                   samplesAdded: context.data.count - before))
    }
}

/// What `augment` did: flips in the training loop (no samples added), or transformed copies
/// appended (`multiplier` copies of each image, the original included).
public struct AugmentOutcome: StepOutcome, Equatable {
    public static let step = AugmentStep.name
    public var inLoop: Bool
    public var multiplier: Int?
    public var samplesAdded: Int

    public var stored: StoredOutcome {
        var values = ["samples_added": Double(samplesAdded)]
        if inLoop { values["in_loop"] = 1 }
        if let multiplier { values["multiplier"] = Double(multiplier) }
        return StoredOutcome(values: values)
    }

    public init(inLoop: Bool, multiplier: Int?, samplesAdded: Int) {
        self.inLoop = inLoop; self.multiplier = multiplier; self.samplesAdded = samplesAdded
    }

    public init(stored: StoredOutcome) {
        self.init(inLoop: stored.values["in_loop"] == 1, multiplier: stored.count("multiplier"), samplesAdded: stored.count("samples_added") ?? 0)
    }
}
