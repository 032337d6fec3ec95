import Engine

/// The power of a test read off a paired design's 95% Student-t interval, by simulation: the share
/// of simulated experiments — `seeds` paired differences per condition, normal with mean `effect`
/// and standard deviation `sd`, conditions independent — in which the interval lands where the test
/// wants it in every condition. Fixed seed: the same figure every time.
public enum IntervalPower {
    /// Where the interval must land.
    public enum Rule: Sendable {
        /// Entirely above 0.
        case above
        /// Entirely below 0.
        case below
        /// Inside ±margin (an equivalence).
        case within(margin: Double)
    }

    public static func simulate(_ rule: Rule, effect: Double, sd: Double, seeds n: Int, conditions: Int, draws: Int) -> Double {
        guard n >= 2 else { return 0 }
        let critical = StudentT.quantile(0.975, degreesOfFreedom: Double(n - 1))
        var generator = SplitMix64(seed: 0xC1A1)
        var values = [Double](repeating: 0, count: n)
        var decided = 0
        for _ in 0..<draws {
            var all = true
            for _ in 0..<conditions {
                var sum = 0.0, squares = 0.0
                for i in 0..<n { values[i] = effect + sd * Double(generator.nextNormal()); sum += values[i] }
                let mean = sum / Double(n)
                for v in values { squares += (v - mean) * (v - mean) }
                let half = critical * (squares / Double(n - 1)).squareRoot() / Double(n).squareRoot()
                switch rule {
                case .above: all = all && mean - half > 0
                case .below: all = all && mean + half < 0
                case .within(let margin): all = all && mean - half >= -margin && mean + half <= margin
                }
            }
            if all { decided += 1 }
        }
        return Double(decided) / Double(draws)
    }
}
