import Harness

/// How likely a claim's test was to support the claim if the claim is true, stated before the
/// report seeds run: the chance, over simulated experiments, that every condition's 95% interval
/// says what the claim predicts when the true effect is the one the claim file names (an
/// equivalence: a true difference of 0), with paired differences as spread as they were on the
/// calibration seeds (never the report seeds).
///
///     claim:
///       expect: positive
///       power: {effect: 0.03}   # the smallest effect that would count as the claim holding: 3 points
///
/// The spread is the standard deviation of a − b pooled over the conditions the test reads, from
/// the calibration seeds' trials; each condition is simulated with it, independently, and the claim
/// needs all of them (as the verdict does). A claim whose power is below `target` and that is not
/// supported says so: "not shown at this power", not "not supported".
public struct ClaimPower: Sendable, Equatable {
    /// The true effect simulated, in accuracy (the file's `power.effect`; 0 for an equivalence).
    public let effect: Double
    /// The pooled standard deviation of the paired differences on the calibration seeds.
    public let standardDeviation: Double
    /// Its degrees of freedom: the calibration seeds with both sides, less one, summed over conditions.
    public let degreesOfFreedom: Int
    /// The report seeds the test reads per condition.
    public let seeds: Int
    /// The chance the test supports the claim at `seeds`.
    public let power: Double
    /// The fewest seeds that would reach `target` (nil: more than `maximumSeeds`).
    public let seedsForTarget: Int?

    /// The power a design should have: 80%.
    public static let target = 0.8
    /// Simulated experiments per power figure.
    public static let draws = 20_000
    /// The most seeds `seedsForTarget` looks at.
    public static let maximumSeeds = 60

    /// Whether the design had the power it should.
    public var isAdequate: Bool { power >= Self.target }

    /// The power of `test` at `seeds` with paired differences of standard deviation `standardDeviation`.
    /// - Parameter effect: the true effect for a direction (its size; the sign follows `expect`).
    public init(test: ClaimTest, effect: Double, standardDeviation: Double, degreesOfFreedom: Int, seeds: Int) {
        let simulated = test.expect == .equivalent ? 0 : effect
        self.effect = simulated
        self.standardDeviation = standardDeviation
        self.degreesOfFreedom = degreesOfFreedom
        self.seeds = seeds
        let conditions = test.at.count
        power = Self.simulate(test, effect: simulated, sd: standardDeviation, seeds: seeds, conditions: conditions, draws: Self.draws)
        seedsForTarget = (2...Self.maximumSeeds).first { n in
            Self.simulate(test, effect: simulated, sd: standardDeviation, seeds: n, conditions: conditions, draws: Self.draws / 4) >= Self.target
        }
    }

    /// From the calibration seeds' paired differences a − b per condition (conditions with fewer
    /// than two seeds add nothing); nil when none has two.
    public init?(test: ClaimTest, effect: Double, calibrationDifferences: [[Double]], seeds: Int) {
        let usable = calibrationDifferences.filter { $0.count >= 2 }
        guard !usable.isEmpty else { return nil }
        let squares = usable.reduce(0.0) { total, d in
            let mean = d.reduce(0, +) / Double(d.count)
            return total + d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        }
        let df = usable.reduce(0) { $0 + $1.count - 1 }
        self.init(test: test, effect: effect, standardDeviation: (squares / Double(df)).squareRoot(), degreesOfFreedom: df, seeds: seeds)
    }

    /// The chance `test` supports the claim with `seeds` seeds in each of `conditions` conditions
    /// when the true effect is `effect` in the claim's direction (`IntervalPower`).
    static func simulate(_ test: ClaimTest, effect: Double, sd: Double, seeds n: Int, conditions: Int, draws: Int) -> Double {
        let rule: IntervalPower.Rule
        switch test.expect {
        case .positive: rule = .above
        case .negative: rule = .below
        case .equivalent: rule = .within(margin: test.margin)
        }
        return IntervalPower.simulate(rule, effect: test.expect == .negative ? -effect : effect, sd: sd, seeds: n, conditions: conditions, draws: draws)
    }
}
