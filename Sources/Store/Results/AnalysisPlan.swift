/// The pre-registered analysis plan of an experiment (`analysis:` in its file): what every arm
/// chooses on (validation as delivered, or a verified subset), the equivalence margin, the
/// overall error rate, and optionally seeds added in blocks until the primary comparison
/// (data − model) decides. Recorded with every trial (attributes `analysis_<name>`), so reports
/// choose and decide as the file said without it.
public struct AnalysisPlan: Sendable, Equatable {
    /// What the arms choose among their candidates on.
    public enum Chooser: String, Sendable, CaseIterable {
        /// The validation labels as delivered (as noisy as the training labels).
        case delivered
        /// The validation images a reviewer checked before any choice (`dataset.verify`), or a
        /// validation split imported as verified.
        case verified
    }

    public var chooseOn = Chooser.delivered
    /// What every model is measured by, on validation (the choices) and on test (every figure and
    /// verdict): accuracy, or balanced accuracy for test sets where one class dominates.
    public var metric = ScoreMetric.accuracy
    /// Validation images a reviewer checked before any choice, per seed (`dataset.verify.count`;
    /// 0 when none were, or when the file's validation split came verified): charged to every arm.
    public var checkedValidationImages = 0
    /// Differences within ±margin (accuracy: 0.02 = 2 points) are "equivalent": no practical difference.
    public var margin = AnalysisPlan.defaultMargin
    /// The chance of calling a difference better or worse when there is none.
    public var alpha = 0.05
    /// Seeds until it decides (nil: a fixed number of seeds).
    public var sequential: SequentialDesign?

    /// 2 points. A single test accuracy on the built-in scenarios' test sets (600–800 gold images)
    /// has a binomial standard error of 1.3–1.6 points at 80–90%, and one model's accuracy moves
    /// 2–4 points from seed to seed; a difference under 2 points is below what one test set and a
    /// handful of seeds resolve, and below what a team would act on when choosing where to spend.
    public static let defaultMargin = 0.02

    /// Looks at `start`, `start + step`, … seeds, up to `maximum`.
    public struct SequentialDesign: Sendable, Equatable {
        public var start: Int, step: Int, maximum: Int
        public init(start: Int, step: Int, maximum: Int) { self.start = start; self.step = step; self.maximum = maximum }

        /// The seed counts at which the rule looks, ascending, ending at `maximum`.
        public var looks: [Int] {
            let regular = Array(stride(from: start, to: maximum, by: max(step, 1)))
            return regular + [maximum]
        }
    }

    public init(chooseOn: Chooser = .delivered, metric: ScoreMetric = .accuracy, margin: Double = AnalysisPlan.defaultMargin, alpha: Double = 0.05,
                sequential: SequentialDesign? = nil) {
        self.chooseOn = chooseOn; self.metric = metric; self.margin = margin; self.alpha = alpha; self.sequential = sequential
    }

    /// Under their stored names (attributes `analysis_<name>` of a trial file).
    var storedValues: [String: Double] {
        var values = ["margin": margin, "alpha": alpha, "choose_on_verified": chooseOn == .verified ? 1 : 0,
                      "checked_validation_images": Double(checkedValidationImages)]
        if metric == .balancedAccuracy { values["metric_balanced_accuracy"] = 1 }   // absent: accuracy, as before the key existed
        if let sequential {
            values["sequential_start"] = Double(sequential.start)
            values["sequential_step"] = Double(sequential.step)
            values["sequential_maximum"] = Double(sequential.maximum)
        }
        return values
    }

    init?(stored values: [String: Double]) {
        guard let margin = values["margin"], let alpha = values["alpha"] else { return nil }
        self.margin = margin; self.alpha = alpha
        chooseOn = values["choose_on_verified"] == 1 ? .verified : .delivered
        metric = values["metric_balanced_accuracy"] == 1 ? .balancedAccuracy : .accuracy
        checkedValidationImages = Int(values["checked_validation_images"] ?? 0)
        if let start = values["sequential_start"], let step = values["sequential_step"], let maximum = values["sequential_maximum"] {
            sequential = SequentialDesign(start: Int(start), step: Int(step), maximum: Int(maximum))
        }
    }
}
