import Datasets
import Engine
import Foundation
import Store

/// Where the data comes from and how it is corrupted ("the data as delivered").
public struct DataSpec: Sendable, Equatable, Encodable {
    /// A built-in scenario, or nil when `path` names a dataset file.
    public var scenario: String?
    public var path: String?
    public var imageSize: Int
    /// Scenario severity floor (0.1 default): higher means clearer images.
    public var minSeverity: Double
    public var perClass: SplitCounts
    public var noise: LabelNoiseSpec
    /// `drift` and `imbalance`: the shifts applied to the draw before the label noise.
    public var shift = DataShift()
    /// `verify`: validation images a reviewer checks before any choice (nil: none).
    public var verify: ValidationReview?
    /// `val_fraction`: for a dataset file without a validation split (teams' `train/` and `test/`
    /// folders), the share of each class's training images set aside as validation, drawn per
    /// seed (nil for a scenario, which draws its own validation split).
    public var validationFraction: Double?
    /// `stable_splits: true`: a scenario draws each split from its own stream, so conditions that
    /// change one split's size (more training images) keep the others' images, the test set above
    /// all (nil: the sequential draw of earlier experiments, whose trial ids stay as they were).
    public var stableSplits: Bool?

    /// A fifth: on a class of 100 training images it leaves 80 to train on and 20 to choose on —
    /// enough to rank a handful of candidates — where a tenth makes each validation image move a
    /// choice by a whole point per class, and a third starves small classes of training images.
    public static let defaultValidationFraction = 0.2
}

/// `dataset.verify: {count: 60, reviewer: consistent}` — before any arm chooses, a reviewer
/// checks `count` validation images drawn at random from the seed; the arms can then choose on
/// those checked labels (`analysis.choose_on: verified`), and the review is charged to every arm.
public struct ValidationReview: Sendable, Equatable, Encodable {
    public let count: Int
    let source: LabelSource
}

/// The label-noise setting of an experiment, resolved against the scenario's classes per seed.
public enum LabelNoiseSpec: Sendable, Equatable, Encodable {
    case none
    case uniform(rate: Double)
    /// Each class of a look-alike pair is delivered as its partner with probability `rate`
    /// (split evenly when a class has several partners); classes in no pair keep their labels.
    /// `pairs` by name (nil: the scenario's).
    case classConditional(rate: Double, pairs: [[String]]? = nil)
    /// `pairs`: look-alike class pairs by name, one convention per annotator (nil: the scenario's).
    case annotatorConventions(annotators: Int, strength: Double, ambiguity: Double, slip: Double, pairs: [[String]]? = nil)
}

/// One model-centric variant: a name, the overrides it applies to the baseline, and the recipe
/// they give.
public struct Variant: Sendable, Equatable {
    public var name: String
    public var recipe: Recipe
    /// `key.path: value` settings over the baseline (empty for the baseline).
    public var overrides: [ConfigTree.Entry] = []

    public static func == (a: Variant, b: Variant) -> Bool { a.name == b.name && a.recipe == b.recipe }
}

/// The data-centric arm: the baseline model on the data improved by `steps`, in order.
public struct DataCentricArm: Sendable {
    public var steps: [any DataStep]
    /// "label-issues+relabel+augment": the step names joined.
    public var name: String
    /// `choose: validation` (the default): the arm runs each cumulative sub-arm — the steps up to
    /// and including each step that changes the training data — and its result per seed is the
    /// sub-arm, or the baseline, that the validation set as delivered prefers, by the model arm's
    /// rule. `choose: all-steps`: the whole recipe, whatever validation says.
    public var choosesOnValidation: Bool
    /// `then_model: true`: also the data-then-model arm — every model-centric variant trained on
    /// the data after all the steps, chosen on validation with the data-centric result.
    public var thenModel: Bool

    /// A cumulative sub-arm: the first `count` steps.
    public struct SubArm: Sendable {
        public let name: String
        public let steps: [any DataStep]
    }

    /// The sub-arms the arm runs: every prefix ending with a step that changes the training data
    /// when it chooses on validation (the whole recipe last), else the whole recipe alone.
    public var subArms: [SubArm] {
        let ends = choosesOnValidation ? steps.indices.filter { steps[$0].changesTrainingData } + [steps.count - 1] : [steps.count - 1]
        return Set(ends).sorted().map { end in
            let prefix = Array(steps[...end])
            return SubArm(name: prefix.map(\.label).joined(separator: "+"), steps: prefix)
        }
    }
}

/// An experiment file, decoded and validated (see docs/experiments.md).
public struct ExperimentConfig: Sendable {
    public var name: String
    /// The report seeds: every arm runs on each, and only these are reported.
    public var seeds: [Int]
    /// `calibration: {seeds: [...]}`: the seeds `flywheel calibrate` runs the baseline on, so a
    /// scenario can be tuned without seeing any arm's result or any report seed (never reported).
    public var calibrationSeeds: [Int] = []
    /// SHA-256 of the experiment file as read, and the command line's overrides: recorded with
    /// every trial, listed in every report (nil for a config not read from a file).
    public var fileSHA256: String?
    public var overrides: [String] = []
    /// `costs:`, what the arms' spending costs in one unit (defaults: `CostSchedule()`).
    public var costs = CostSchedule()
    /// `analysis:`, the pre-registered analysis plan: what the arms choose on, the equivalence
    /// margin, α, and the sequential rule (defaults: `AnalysisPlan()`).
    public var analysisPlan = AnalysisPlan()
    public var data: DataSpec
    /// The baseline as a variant named "baseline".
    public var baseline: Variant
    public var modelCentric: [Variant]
    /// `arms.model-centric.max_inference_mflops`: the inference budget per image (nil: none).
    /// Variants over it are left out of the plan and listed in `excludedVariants`.
    public var maxInferenceMFLOPs: Double?
    /// The variants the inference budget left out, with their MFLOPs per image.
    public var excludedVariants: [(name: String, mflops: Double)] = []
    /// `arms.model-centric.stack`: levers stacked greedily on the best of them (nil: one lever at a time).
    public var modelStack: ModelStack?
    /// The `baseline:` part as written, which variants and stacks override.
    public var baselineTree: ConfigTree
    public var dataCentric: DataCentricArm?
    /// `arms.review-curve`: review fractions of the ranked training labels (nil: none).
    public var reviewCurve: ReviewCurveSpec?
    /// The experiment as written plus overrides.
    public var tree: ConfigTree

    /// Reads, overrides and validates an experiment file.
    /// - Parameter overrides: `key.path=value` pairs from the command line, values in YAML.
    /// - Throws: `ConfigError` naming the key path, what was found, what is allowed and its line.
    public static func load(_ file: String, overrides: [String] = []) throws -> ExperimentConfig {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ConfigError("\(file): cannot read the file") }
        var tree = try ConfigTree.parse(text, file: file)
        for override in overrides {
            guard let eq = override.firstIndex(of: "="), eq != override.startIndex else {
                throw ConfigError("override '\(override)': expected key.path=value")
            }
            let key = String(override[..<eq]), value = String(override[override.index(after: eq)...])
            tree = try tree.setting(key.split(separator: ".").map(String.init), to: try ConfigTree.parse(value, file: "override \(key)"))
        }
        var config = try decode(tree)
        config.fileSHA256 = sha256Hex(Array(text.utf8))
        config.overrides = overrides
        return config
    }

    /// The calibration run: the baseline alone on the calibration seeds, as experiment `NAME-calibration`.
    /// - Throws: `ConfigError` when the file declares no calibration seeds.
    public func calibration() throws -> ExperimentConfig {
        guard !calibrationSeeds.isEmpty else {
            throw ConfigError("calibration.seeds: missing; declare the seeds calibration may use, apart from seeds: (\(tree.origin))")
        }
        var run = onCalibrationSeeds()
        run.name = name + "-calibration"
        run.modelCentric = []
        run.modelStack = nil
        run.dataCentric = nil
        run.reviewCurve = nil
        return run
    }

    /// This experiment, every arm, on its calibration seeds in place of its report seeds (no
    /// sequential rule): a run whose results are never reported, such as a claim's power.
    public func onCalibrationSeeds() -> ExperimentConfig {
        var run = self
        run.seeds = calibrationSeeds
        run.calibrationSeeds = []
        run.analysisPlan.sequential = nil
        return run
    }

    /// The headline table's arms only (baseline, model-centric, data-centric): without the
    /// data-then-model arm and the review curve, which `flywheel reproduce --full` adds. The
    /// trials kept are the same trials (same ids) as in the full plan.
    public func tableArmsOnly() -> ExperimentConfig {
        var run = self
        run.dataCentric?.thenModel = false
        run.reviewCurve = nil
        return run
    }

    /// Keys a claim file has besides an experiment's (a claim file is not run as an experiment).
    public static let claimFileKeys = ["claim", "conditions", "quick"]

    /// The keys under `arms:`.
    static let armKeys = ["model-centric", "data-centric", "review-curve"]

    public static func decode(_ tree: ConfigTree) throws -> ExperimentConfig {
        if case .mapping(let pairs, _) = tree, let own = pairs.first(where: { claimFileKeys.contains($0.key) }) {
            throw ConfigError("\(own.key): a claim file's key; run a claim file with flywheel claims --only NAME (\(own.keyOrigin))")
        }
        let top = try ConfigReader(tree).entries(allowed: ["name", "seeds", "calibration", "costs", "analysis", "dataset", "baseline", "arms", "sweep", "report"])
        guard let name = top["name"] else { throw ConfigError("name: missing; every experiment needs a name (\(tree.origin))") }
        guard let seedsReader = top["seeds"] else { throw ConfigError("seeds: missing; list at least one seed (\(tree.origin))") }
        let seeds = try seedsReader.list().map { try $0.int(minimum: 0, description: "a seed ≥ 0") }
        guard !seeds.isEmpty else { throw ConfigError("seeds: expected at least one seed, got an empty list (\(seedsReader.tree.origin))") }
        guard Set(seeds).count == seeds.count else { throw ConfigError("seeds: each seed may appear once (\(seedsReader.tree.origin))") }
        guard let dataset = top["dataset"] else { throw ConfigError("dataset: missing (\(tree.origin))") }
        let baselineTree = top["baseline"]?.tree ?? .mapping([], origin: tree.origin)
        let baseline = Variant(name: "baseline", recipe: try Recipe.decode(ConfigReader(baselineTree, path: "baseline")))
        var modelCentric = try decodeArms(top["arms"], baselineTree: baselineTree)
        if let sweep = top["sweep"] { modelCentric += try sweepVariants(try Sweep.decode(sweep), baselineTree: baselineTree, path: sweep.path) }
        if let twice = Dictionary(grouping: modelCentric, by: \.name).first(where: { $0.value.count > 1 })?.key {
            throw ConfigError("arms.model-centric: the variant \(twice) is listed twice (sweep points count too) (\(tree.origin))")
        }
        let (data, file) = try decodeData(dataset)
        var config = ExperimentConfig(name: try name.string(), seeds: seeds, data: data,
                                      baseline: baseline, modelCentric: modelCentric, baselineTree: baselineTree,
                                      dataCentric: try decodeDataCentric(top["arms"]), tree: tree)
        if let curve = try top["arms"]?.entries(allowed: armKeys)["review-curve"] { config.reviewCurve = try ReviewCurveSpec(curve) }
        if let calibration = top["calibration"] { config.calibrationSeeds = try decodeCalibrationSeeds(calibration, reportSeeds: seeds) }
        if let costs = top["costs"] { config.costs = try decodeCosts(costs) }
        if let analysis = top["analysis"] {
            config.analysisPlan = try decodeAnalysisPlan(analysis, seeds: seeds, data: config.data, file: file)
            if config.analysisPlan.sequential != nil && (config.dataCentric == nil || config.modelCentric.isEmpty) {
                throw ConfigError("analysis.sequential: the rule adds seeds until data − model decides, so the experiment needs both a "
                                  + "model-centric and a data-centric arm (\(analysis.tree.origin))")
            }
        }
        config.analysisPlan.checkedValidationImages = config.data.verify?.count ?? 0
        if let stack = try top["arms"]?.entries(allowed: armKeys)["model-centric"]?.entries(allowed: modelCentricKeys)["stack"] {
            config.modelStack = try ModelStack.decode(stack, variants: config.modelCentric.count)
        }
        if let budget = try top["arms"]?.entries(allowed: armKeys)["model-centric"]?.entries(allowed: modelCentricKeys)["max_inference_mflops"] {
            try config.applyInferenceBudget(try budget.double(in: 0.001...1e9, description: "an inference budget in MFLOPs per image > 0"), key: budget)
        }
        try config.checkPretrainedWeights()
        return config
    }

    /// Keys under `arms.model-centric`.
    static let modelCentricKeys = ["variants", "stack", "max_inference_mflops"]

    /// Leaves out the variants whose inference costs more than `mflops` per image.
    /// - Throws: `ConfigError` at `key` when the baseline itself is over the budget (the data arm trains it).
    private mutating func applyInferenceBudget(_ mflops: Double, key: ConfigReader) throws {
        maxInferenceMFLOPs = mflops
        let baselineCost = try inferenceMFLOPs(of: baseline.recipe)
        guard baselineCost <= mflops else {
            throw ConfigError("\(key.path): the baseline needs \(String(format: "%.2f", baselineCost)) MFLOPs per image, over the budget of "
                              + "\(mflops); the data-centric arm trains the baseline, so it must fit (\(key.tree.origin))")
        }
        let costs = try modelCentric.map { try inferenceMFLOPs(of: $0.recipe) }
        excludedVariants = zip(modelCentric, costs).filter { $1 > mflops }.map { ($0.name, $1) }
        modelCentric = zip(modelCentric, costs).filter { $1 <= mflops }.map(\.0)
    }

    /// `costs: {per_label_reviewed: 0.5, per_new_label: 1, per_cpu_hour: 0.05}` (any subset).
    private static func decodeCosts(_ reader: ConfigReader) throws -> CostSchedule {
        let entries = try reader.entries(allowed: ["per_label_reviewed", "per_new_label", "per_cpu_hour"])
        var costs = CostSchedule()
        let price = { (key: String) in try entries[key]?.double(in: 0...1e9, description: "a cost ≥ 0") }
        if let v = try price("per_label_reviewed") { costs.perLabelReviewed = v }
        if let v = try price("per_new_label") { costs.perNewLabel = v }
        if let v = try price("per_cpu_hour") { costs.perCPUHour = v }
        return costs
    }

    /// `analysis: {choose_on: verified, metric: balanced-accuracy, margin: 0.02, alpha: 0.05, sequential: {start: 5, step: 5, max: 20}}`
    /// (any subset).
    /// - Parameter file: the dataset file `data.path` names, as `decodeData` read it (nil for a scenario).
    private static func decodeAnalysisPlan(_ reader: ConfigReader, seeds: [Int], data: DataSpec, file: Dataset?) throws -> AnalysisPlan {
        let entries = try reader.entries(allowed: ["choose_on", "metric", "margin", "alpha", "sequential"])
        var plan = AnalysisPlan()
        if let metric = entries["metric"] {
            plan.metric = ScoreMetric(rawValue: try metric.string(allowed: ScoreMetric.allCases.map(\.rawValue)))!
        }
        if let chooser = entries["choose_on"] {
            plan.chooseOn = AnalysisPlan.Chooser(rawValue: try chooser.string(allowed: AnalysisPlan.Chooser.allCases.map(\.rawValue)))!
            if plan.chooseOn == .verified && data.verify == nil && !(file.map(Self.validationIsVerified) ?? false) {
                throw ConfigError("\(chooser.path): verified needs checked validation labels: dataset.verify: {count: N, reviewer: ...} "
                                  + "(a review charged to every arm), or a dataset file whose validation split was imported with "
                                  + "--verified val (\(chooser.tree.origin))")
            }
        }
        if let margin = entries["margin"] {
            plan.margin = try margin.double(in: 1e-9...1, description: "a margin in (0, 1] (accuracy: 0.02 = 2 points)")
        }
        if let alpha = entries["alpha"] { plan.alpha = try alpha.double(in: 1e-6...0.5, description: "an error rate in (0, 0.5]") }
        if let sequential = entries["sequential"] { plan.sequential = try decodeSequential(sequential, seeds: seeds) }
        return plan
    }

    /// `{start: 5, step: 5, max: 20}`: checked against each other and against the seeds listed.
    private static func decodeSequential(_ reader: ConfigReader, seeds: [Int]) throws -> AnalysisPlan.SequentialDesign {
        let entries = try reader.entries(allowed: ["start", "step", "max"])
        let value = { (key: String) throws -> Int in
            guard let entry = entries[key] else { throw ConfigError("\(reader.path).\(key): missing; start, step and max are all needed (\(reader.tree.origin))") }
            return try entry.int(minimum: key == "start" ? 2 : 1, description: key == "start" ? "at least 2 seeds" : "a positive count")
        }
        let design = AnalysisPlan.SequentialDesign(start: try value("start"), step: try value("step"), maximum: try value("max"))
        guard design.maximum >= design.start else {
            throw ConfigError("\(reader.path).max: \(design.maximum) is below start (\(design.start)); the rule adds seeds up to max (\(entries["max"]!.tree.origin))")
        }
        guard design.maximum <= seeds.count else {
            throw ConfigError("\(reader.path).max: \(design.maximum) seeds, but seeds: lists \(seeds.count); list every seed the rule may use, "
                              + "in the order it adds them (\(entries["max"]!.tree.origin))")
        }
        return design
    }

    /// Whether a dataset file's validation split has verified labels (a gold label on every image).
    private static func validationIsVerified(_ data: Dataset) -> Bool {
        let validation = data.indices(in: .validation)
        return !validation.isEmpty && validation.allSatisfy { data.gold[$0] >= 0 }
    }

    /// `calibration: {seeds: [...]}`, kept apart from the report seeds.
    private static func decodeCalibrationSeeds(_ reader: ConfigReader, reportSeeds: [Int]) throws -> [Int] {
        let entries = try reader.entries(allowed: ["seeds"])
        guard let list = entries["seeds"] else { throw ConfigError("calibration.seeds: missing; list at least one seed (\(reader.tree.origin))") }
        let seeds = try list.list().map { try $0.int(minimum: 0, description: "a seed ≥ 0") }
        guard !seeds.isEmpty, Set(seeds).count == seeds.count else {
            throw ConfigError("calibration.seeds: expected at least one seed, each once (\(list.tree.origin))")
        }
        if let shared = seeds.first(where: reportSeeds.contains) {
            throw ConfigError("calibration.seeds and seeds both hold seed \(shared); calibration seeds are never reported, "
                              + "so the two lists must not overlap (\(list.tree.origin))")
        }
        return seeds
    }

    /// The `dataset:` section, and the file it names as read to check it (nil for a scenario), so
    /// the rest of the decoding reads no file twice.
    private static func decodeData(_ reader: ConfigReader) throws -> (spec: DataSpec, file: Dataset?) {
        let d = try reader.entries(allowed: ["scenario", "path", "image_size", "min_severity", "per_class", "noise", "drift", "imbalance", "verify",
                                             "val_fraction", "stable_splits"])
        let scenario = try d["scenario"]?.string(allowed: Scenarios.all.map(\.name))
        let path = try d["path"]?.string()
        guard (scenario == nil) != (path == nil) else {
            throw ConfigError("dataset: expected exactly one of scenario or path (\(reader.tree.origin))")
        }
        var file: Dataset?
        if let path, let p = d["path"] {
            guard FileManager.default.fileExists(atPath: path) else { throw ConfigError("dataset.path: file \(path) does not exist (\(p.tree.origin))") }
            file = try Dataset.load(from: path)
            if let reason = file!.unscorableReason(file: path) { throw ConfigError("dataset.path: \(reason) (\(p.tree.origin))") }
        }
        let imageSize = try d["image_size"]?.int(minimum: 16, description: "an image size of at least 16") ?? 64
        var counts = SplitCounts(train: 60, validation: 20, test: 100, pool: 0)
        if let perClass = try d["per_class"]?.entries(allowed: ["train", "val", "test", "pool"]) {
            if let v = perClass["train"] { counts.train = try v.positiveInt() }
            if let v = perClass["val"] { counts.validation = try v.positiveInt() }
            if let v = perClass["test"] { counts.test = try v.positiveInt() }
            if let v = perClass["pool"] { counts.pool = try v.int(minimum: 0, description: "a count ≥ 0") }
        }
        let minSeverity = try d["min_severity"]?.double(in: 0...0.95, description: "a severity floor in [0, 0.95]") ?? 0.1
        var spec = DataSpec(scenario: scenario, path: path, imageSize: imageSize, minSeverity: minSeverity, perClass: counts,
                            noise: try decodeNoise(d["noise"]))
        if let drift = d["drift"] { spec.shift.drift = try DataShift.decodeDrift(drift) }
        if let stable = d["stable_splits"] {
            guard scenario != nil else {
                throw ConfigError("\(stable.path): applies to a scenario; a dataset file's splits are fixed when it is imported (\(stable.tree.origin))")
            }
            spec.stableSplits = try stable.bool() ? true : nil
        }
        if let verify = d["verify"] { spec.verify = try ValidationReview.decode(verify, validationPerClass: counts.validation) }
        if path != nil {
            spec.validationFraction = try d["val_fraction"]?.double(in: 0...0.9, description: "a fraction of the training split in [0, 0.9]")
                ?? DataSpec.defaultValidationFraction
        } else if let fraction = d["val_fraction"] {
            throw ConfigError("\(fraction.path): applies to a dataset file (path:); a scenario draws its own validation split (per_class.val) (\(fraction.tree.origin))")
        }
        if let imbalance = d["imbalance"] {
            (spec.shift.rareClasses, spec.shift.ratio, spec.shift.thinnedSplits) = try DataShift.decodeImbalance(imbalance)
            let known = try scenario.map { try Scenarios.named($0).classNames }
            if let known, let unknown = spec.shift.rareClasses.first(where: { !known.contains($0) }) {
                throw ConfigError("\(imbalance.path).classes: unknown class '\(unknown)'; \(scenario!) has \(known.joined(separator: ", ")) (\(imbalance.tree.origin))")
            }
        }
        return (spec, file)
    }

    private static func decodeNoise(_ reader: ConfigReader?) throws -> LabelNoiseSpec {
        guard let reader else { return .none }
        let n = try reader.entries(allowed: ["model", "rate", "annotators", "strength", "ambiguity", "slip", "pairs"])
        guard let model = n["model"] else { throw ConfigError("\(reader.path).model: missing; one of none, uniform, class-conditional, annotator-conventions (\(reader.tree.origin))") }
        let name = try model.string(allowed: ["none", "uniform", "class-conditional", "annotator-conventions"])
        switch name {
        case "uniform", "class-conditional":
            guard let rate = n["rate"] else { throw ConfigError("\(reader.path).rate: missing for the \(name) model (\(reader.tree.origin))") }
            let value = try rate.double(in: 0...1, description: "a rate in [0, 1]")
            return name == "uniform" ? .uniform(rate: value) : .classConditional(rate: value, pairs: try n["pairs"].map { try decodePairs($0) })
        case "annotator-conventions":
            return .annotatorConventions(annotators: try n["annotators"]?.positiveInt() ?? 3,
                                         strength: try n["strength"]?.double(in: 0...10, description: "a strength in [0, 10]") ?? 1,
                                         ambiguity: try n["ambiguity"]?.double(in: 0...1, description: "an ambiguity floor in [0, 1]") ?? 0,
                                         slip: try n["slip"]?.double(in: 0...1, description: "a slip rate in [0, 1]") ?? 0.05,
                                         pairs: try n["pairs"].map { try decodePairs($0) })
        default: return .none
        }
    }

    /// `pairs: [[crazing, rolled-in_scale], [inclusion, pitted_surface]]`: class names, two per pair
    /// (checked against the dataset's classes when the data is built).
    private static func decodePairs(_ reader: ConfigReader) throws -> [[String]] {
        try reader.list().map { item in
            let pair = try item.list().map { try $0.string() }
            guard pair.count == 2, pair[0] != pair[1] else {
                throw ConfigError("\(item.path): expected two different class names, got \(pair) (\(item.tree.origin))")
            }
            return pair
        }
    }

    private static func decodeDataCentric(_ reader: ConfigReader?) throws -> DataCentricArm? {
        guard let arm = try reader?.entries(allowed: armKeys)["data-centric"] else { return nil }
        let options = try arm.entries(allowed: ["steps", "choose", "then_model"])
        guard let stepsReader = options["steps"] else {
            throw ConfigError("\(arm.path).steps: missing; list the data steps in order (\(arm.tree.origin))")
        }
        let items = try stepsReader.list()
        guard !items.isEmpty else { throw ConfigError("\(stepsReader.path): expected at least one step (\(stepsReader.tree.origin))") }
        let steps = try items.map { try DataSteps.decode($0) }
        return DataCentricArm(steps: steps, name: steps.map(\.label).joined(separator: "+"),
                              choosesOnValidation: try options["choose"]?.string(allowed: ["validation", "all-steps"]) != "all-steps",
                              thenModel: try options["then_model"]?.bool() ?? false)
    }

    /// One model-centric variant per sweep point, named like a hand-written override variant.
    private static func sweepVariants(_ sweep: Sweep, baselineTree: ConfigTree, path: String) throws -> [Variant] {
        try sweep.points.map { point in
            let overrides = point.map { ConfigTree.Entry(key: $0.key, keyOrigin: $0.value.origin, value: $0.value) }
            let name = point.map { "\($0.key)=\($0.value.canonicalText)" }.joined(separator: ",")
            return Variant(name: name, recipe: try Recipe.decode(ConfigReader(try baselineTree.applying(overrides), path: "\(path) point \(name)")),
                           overrides: overrides)
        }
    }

    private static func decodeArms(_ reader: ConfigReader?, baselineTree: ConfigTree) throws -> [Variant] {
        guard let reader else { return [] }
        let arms = try reader.entries(allowed: armKeys)
        guard let modelCentric = try arms["model-centric"]?.entries(allowed: modelCentricKeys), let variants = modelCentric["variants"] else { return [] }
        return try variants.list().map { item in
            let name: String, overrides: [ConfigTree.Entry]
            switch item.tree {
            case .scalar(let model, let origin):
                name = model
                overrides = [ConfigTree.Entry(key: "model", keyOrigin: origin, value: .scalar(model, origin: origin))]
            case .mapping(let pairs, _):
                name = pairs.map { "\($0.key)=\($0.value.canonicalText)" }.joined(separator: ",")
                overrides = pairs
            case .sequence:
                throw ConfigError("\(item.path): expected a model name or a mapping of overrides, got a list (\(item.tree.origin))")
            }
            return Variant(name: name, recipe: try Recipe.decode(ConfigReader(try baselineTree.applying(overrides), path: item.path)), overrides: overrides)
        }
    }
}
