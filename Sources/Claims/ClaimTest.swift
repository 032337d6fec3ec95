import Harness

/// The pre-registered test of a claim: an effect `a − b` (test accuracy, paired over seeds), the
/// direction the claim predicts, and the conditions the verdict reads. Written in the claim file
/// before any of its trials ran.
///
///     effect: {a: data-centric, b: model-centric}        # measured in each condition of `at`
///     effect: {a: {arm: data-centric, condition: clean}, b: {arm: data-centric, condition: double}}
///     effect: {a: {arm: data-centric, condition: {outsourced: expert, neu-outsourced: neu-expert}}, b: data-centric}
///                             # a read in its partner of each condition of `at` (the same test on other data)
///     expect: positive        # or negative, or equivalent (with margin: 0.03)
///     at: [noise-3.4, noise-10]   # default: every condition (ignored when both sides name one)
///     power: {effect: 0.03}       # the effect to simulate the test's power at (`ClaimPower`)
public struct ClaimTest: Sendable, Equatable {
    /// One side of the effect: an arm's test accuracy, in every condition, in a named one, or in a
    /// named partner of each condition the verdict reads.
    public struct Side: Sendable, Equatable, CustomStringConvertible {
        public let arm: ClaimArm
        /// The one condition this side is read in (nil: the condition being read, or its partner).
        public let condition: String?
        /// Per condition of `at`, the condition this side is read in instead (nil: none named).
        public let partners: [String: String]?

        init(arm: ClaimArm, condition: String? = nil, partners: [String: String]? = nil) {
            self.arm = arm; self.condition = condition; self.partners = partners
        }

        /// The condition this side is read in when the verdict reads `read`.
        public func condition(at read: String) -> String { partners?[read] ?? condition ?? read }

        public var description: String {
            if let partners { return "\(arm.rawValue) (\(Array(Set(partners.values)).sorted().joined(separator: " / ")))" }
            return condition.map { "\(arm.rawValue) (\($0))" } ?? arm.rawValue
        }
    }

    public enum Expectation: String, Sendable, CaseIterable {
        /// a > b: the 95% interval of a − b lies above 0.
        case positive
        /// a < b: the interval lies below 0.
        case negative
        /// a ≈ b: the interval lies within ±margin.
        case equivalent
    }

    public let a: Side, b: Side
    public let expect: Expectation
    /// The equivalence margin, in accuracy (0.03 = 3 points).
    public let margin: Double
    /// The conditions the verdict reads, in file order (one entry, unnamed, when both sides name a condition).
    public let at: [String]
    /// `power: {effect: E}`: the smallest true effect that would count as the claim holding, at which
    /// the test's power is simulated from the calibration seeds (0 for an equivalence: no true
    /// difference); nil when the file states no power.
    public let powerEffect: Double?

    static let keys = ["effect", "expect", "margin", "at", "power"]

    /// Decodes the test from the entries of `claim:` (`reader`, already checked against the allowed keys).
    static func decode(_ entries: [String: ConfigReader], of reader: ConfigReader, conditions: [String]) throws -> ClaimTest {
        guard let effect = entries["effect"] else { throw ConfigError("claim.effect: missing; {a: ARM, b: ARM} (\(reader.tree.origin))") }
        let sides = try effect.entries(allowed: ["a", "b"])
        guard let aReader = sides["a"], let bReader = sides["b"] else { throw ConfigError("claim.effect: expected both a and b (\(effect.tree.origin))") }
        let a = try side(aReader, conditions: conditions), b = try side(bReader, conditions: conditions)
        guard let expectReader = entries["expect"] else {
            throw ConfigError("claim.expect: missing; one of \(Expectation.allCases.map(\.rawValue).joined(separator: ", ")) (\(reader.tree.origin))")
        }
        let expect = Expectation(rawValue: try expectReader.string(allowed: Expectation.allCases.map(\.rawValue)))!
        let margin = try entries["margin"]?.double(in: 0...1, description: "a margin in [0, 1] (accuracy)") ?? 0
        if expect == .equivalent && entries["margin"] == nil {
            throw ConfigError("claim.margin: missing; an equivalence needs a margin, e.g. 0.03 for 3 points (\(expectReader.tree.origin))")
        }
        var at = conditions
        if let atReader = entries["at"] {
            at = try atReader.list().map { try $0.string(allowed: conditions) }
            guard !at.isEmpty else { throw ConfigError("claim.at: expected at least one condition (\(atReader.tree.origin))") }
        }
        for (side, name) in [(a, "a"), (b, "b")] {
            if let partners = side.partners, Set(partners.keys) != Set(at) {
                throw ConfigError("claim.effect.\(name).condition: expected a partner for each condition the verdict reads (\(at.joined(separator: ", "))), "
                                  + "found one for \(partners.keys.sorted().joined(separator: ", ")) (\(effect.tree.origin))")
            }
        }
        if a.condition != nil && b.condition != nil {
            if let atReader = entries["at"] { throw ConfigError("claim.at: both sides of the effect name their condition, so at: has nothing to choose (\(atReader.tree.origin))") }
            at = [""]
        }
        return ClaimTest(a: a, b: b, expect: expect, margin: margin, at: at, powerEffect: try entries["power"].map { try powerEffect($0, expect: expect) })
    }

    /// `power: {effect: E}` (E in (0, 1], accuracy); an equivalence simulates no true difference and takes `power: {}`.
    private static func powerEffect(_ reader: ConfigReader, expect: Expectation) throws -> Double {
        let entries = try reader.entries(allowed: ["effect"])
        guard expect != .equivalent else {
            if let effect = entries["effect"] {
                throw ConfigError("\(effect.path): an equivalence's power is simulated at no true difference; write power: {} (\(effect.tree.origin))")
            }
            return 0
        }
        guard let effect = entries["effect"] else {
            throw ConfigError("\(reader.path).effect: missing; the smallest effect that would count as the claim holding, e.g. 0.03 for 3 points (\(reader.tree.origin))")
        }
        return try effect.double(in: 0.001...1, description: "an effect in (0, 1] (accuracy)")
    }

    /// The conditions whose trials the test reads: for each condition of `at`, the ones both sides are read in.
    public var conditionsRead: [String] {
        Set(at.flatMap { [a.condition(at: $0), b.condition(at: $0)] }).sorted()
    }

    /// Per seed both sides have, in seed order, a's and b's test accuracy in `condition` (a side
    /// that names its condition, or a partner of this one, reads that), from the analyses by condition name.
    public func pairs(in analyses: [String: ExperimentAnalysis], at condition: String) -> (a: [Double], b: [Double]) {
        let side = { (s: Side) in analyses[s.condition(at: condition)].map { s.arm.accuracy(in: $0) } ?? [:] }
        let a = side(self.a), b = side(self.b)
        let seeds = Set(a.keys).intersection(b.keys).sorted()
        return (seeds.map { a[$0]! }, seeds.map { b[$0]! })
    }

    private static func side(_ reader: ConfigReader, conditions: [String]) throws -> Side {
        let armNames = ClaimArm.allCases.map(\.rawValue)
        if case .scalar = reader.tree { return Side(arm: ClaimArm(rawValue: try reader.string(allowed: armNames))!) }
        let entries = try reader.entries(allowed: ["arm", "condition"])
        guard let arm = entries["arm"] else { throw ConfigError("\(reader.path).arm: missing, one of \(armNames.joined(separator: ", ")) (\(reader.tree.origin))") }
        let named = ClaimArm(rawValue: try arm.string(allowed: armNames))!
        guard let condition = entries["condition"] else { return Side(arm: named) }
        if case .mapping = condition.tree {
            let partners = try condition.entries(allowed: conditions).mapValues { try $0.string(allowed: conditions) }
            return Side(arm: named, partners: partners)
        }
        return Side(arm: named, condition: try condition.string(allowed: conditions))
    }

    /// What the claim predicts, in words: "data-centric > model-centric".
    public var prediction: String {
        switch expect {
        case .positive: "\(a) > \(b)"
        case .negative: "\(a) < \(b)"
        case .equivalent: String(format: "%@ ≈ %@ (within ±%.1f points)", a.description, b.description, 100 * margin)
        }
    }
}

/// The arms a claim's effect can name.
public enum ClaimArm: String, Sendable, CaseIterable {
    case baseline
    /// The model validation chose among the baseline and the variants.
    case modelCentric = "model-centric"
    /// The best candidate on the gold test set: an upper bound no team can pick.
    case modelCentricBest = "model-centric-best"
    case dataCentric = "data-centric"
    case dataThenModel = "data-then-model"

    /// Per seed, the arm's test accuracy in `analysis` (empty when the experiment lacks the arm).
    func accuracy(in analysis: ExperimentAnalysis) -> [Int: Double] {
        switch self {
        case .baseline: analysis.arm(.baseline)?.accuracy ?? [:]
        case .modelCentric: analysis.arm(.modelCentric)?.accuracy ?? [:]
        case .modelCentricBest: analysis.arms.first { $0.arm == .modelCentric && $0.isUpperBound }?.accuracy ?? [:]
        case .dataCentric: analysis.arm(.dataCentric)?.accuracy ?? [:]
        case .dataThenModel: analysis.arm(.dataThenModel)?.accuracy ?? [:]
        }
    }
}
