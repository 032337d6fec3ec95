/// A named paired difference of test accuracy over seeds, as the reports show it: data − model,
/// the question itself.
public struct Comparison: Sendable {
    /// How tables name it ("data − model").
    public let name: String
    /// Its name in CSV and HDF5 fields ("data_minus_model").
    public let key: String
    public let paired: PairedComparison

    /// How tables name data − model.
    public static let dataMinusModelName = "data − model"

    /// Data-centric minus model-centric (the model validation chose), paired over the seeds both have.
    public static func dataMinusModel(_ paired: PairedComparison) -> Comparison {
        Comparison(name: dataMinusModelName, key: "data_minus_model", paired: paired)
    }
}
