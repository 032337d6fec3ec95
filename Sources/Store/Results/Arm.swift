/// Which side of the ablation a trial belongs to; stored by its raw value (the `arm` attribute
/// of a trial file, the `arm` column of every table).
public enum Arm: String, Sendable, CaseIterable, Comparable {
    /// The starting model on the data as delivered.
    case baseline
    /// Data fixed, model varied: one trial per variant.
    case modelCentric = "model-centric"
    /// Model fixed (the baseline's recipe), data improved by the experiment's steps.
    case dataCentric = "data-centric"
    /// The data after all the data steps, then the model-centric variants on it (Ng's "fix the
    /// data until it plateaus, then do model work").
    case dataThenModel = "data-then-model"
    /// Not an arm of the comparison but a yardstick: the fixed model after reviewing a fraction
    /// of the training labels in rank order (DataPerf's debugging curve), and the gold-label model.
    case reviewCurve = "review-curve"
    /// A lone training from `flywheel train`, outside any experiment.
    case single

    /// In the order the reports list arms.
    public static func < (a: Arm, b: Arm) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}
