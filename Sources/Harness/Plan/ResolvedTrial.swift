import Engine
import Foundation

/// Everything that decides a trial's result, with every default filled in: the data as
/// resolved (`DataSpec`), the recipe the final model trains with, the data steps with all their
/// options, and the recipe those steps hold fixed. The trial id hashes its canonical encoding and
/// the trial file stores it, so a default that changes in code changes the id and a resumed run
/// retrains instead of reusing a trial trained under the old default. Code that is not a setting
/// (a kernel, a scenario's drawing) is recorded by the commit, not the id.
struct ResolvedTrial: Encodable {
    let experiment: String
    let arm: String
    let variant: String
    let seed: Int
    let dataset: DataSpec
    let training: Recipe
    /// The data steps in order, each `{name: options}` (nil for a trial without steps).
    let steps: [ResolvedStep]?
    /// The recipe the steps train with for their folds and rounds (nil without steps).
    let stepsRecipe: Recipe?

    enum CodingKeys: String, CodingKey {
        case experiment, arm, variant, seed, dataset, training, steps
        case stepsRecipe = "steps_recipe"
    }

    /// The canonical text: JSON with sorted keys, two-space indented (JSON is also YAML).
    var canonicalText: String { Self.canonical(self) }

    /// `value`'s canonical JSON text.
    static func canonical(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Every value here is finite; a failure would be a programming error, not bad input.
        let data = try! encoder.encode(value)
        return String(decoding: data, as: UTF8.self)
    }
}

/// One data step as the resolved config lists it: `{name: options}`.
struct ResolvedStep: Encodable {
    let step: any DataStep

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: NameKey.self)
        try step.encode(to: container.superEncoder(forKey: NameKey(type(of: step).name)))
    }

    /// The step's canonical text, part of the keys `CurationCache` shares its results under.
    var canonicalText: String { ResolvedTrial.canonical(self) }
}

/// A coding key made from a name known only at run time.
struct NameKey: CodingKey {
    let stringValue: String
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}
