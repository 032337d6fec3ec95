import Engine

/// A systematic flip: samples of class `from` are delivered as `to` with probability `rate`.
public struct ClassFlip: Sendable, Equatable {
    public var from: Int, to: Int, rate: Double
    public init(from: Int, to: Int, rate: Double) { self.from = from; self.to = to; self.rate = rate }
}

/// K annotators, each labelling an equal share of the data. Annotator k follows its own
/// convention on ambiguous samples: for the pair `conventions[k]` = (a, b) it calls class a
/// "b" with probability `min(1, strength · max(ambiguity, ambiguityFloor))` (ambiguity taken as `fallbackRate` where it is
/// unknown, as on imported data). Every annotator also slips with probability `slip`, giving a
/// uniformly random other class. This is the inconsistency that stalls real projects.
public struct AnnotatorConventions: Sendable, Equatable {
    public var annotators: Int
    /// One (from, to) pair per annotator; an annotator without a pair only slips.
    public var conventions: [(Int, Int)?]
    public var strength: Double
    /// Convention applies even to clear samples at this ambiguity: inconsistent label
    /// definitions rather than hard images (0: only the scenario's ambiguity counts).
    public var ambiguityFloor: Double = 0
    public var slip: Double
    public var fallbackRate: Double

    public init(annotators: Int, conventions: [(Int, Int)?], strength: Double = 1, slip: Double = 0.05, fallbackRate: Double = 0.3) {
        self.annotators = annotators; self.conventions = conventions; self.strength = strength
        self.slip = slip; self.fallbackRate = fallbackRate
    }

    /// K annotators over a scenario's confusable pairs: annotator k adopts pair k (both
    /// directions alternate), the last annotator labels by the book where K exceeds the pairs.
    public init(annotators: Int, pairs: [(Int, Int)], strength: Double = 1, slip: Double = 0.05, fallbackRate: Double = 0.3) {
        let conventions: [(Int, Int)?] = (0..<annotators).map { k in
            guard k < pairs.count else { return nil }
            return k % 2 == 0 ? pairs[k] : (pairs[k].1, pairs[k].0)
        }
        self.init(annotators: annotators, conventions: conventions, strength: strength, slip: slip, fallbackRate: fallbackRate)
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.annotators == b.annotators && a.strength == b.strength && a.slip == b.slip && a.fallbackRate == b.fallbackRate
            && a.ambiguityFloor == b.ambiguityFloor
            && a.conventions.map { $0.map { [$0.0, $0.1] } } == b.conventions.map { $0.map { [$0.0, $0.1] } }
    }
}

/// How delivered labels differ from the truth. Applied to the train, validation and pool
/// splits only: the test set always keeps its gold labels.
public enum LabelNoise: Sendable, Equatable {
    /// Each label flips with probability `rate` to a uniformly random other class.
    case uniform(rate: Double)
    /// Class-conditional flips.
    case confusion([ClassFlip])
    /// Inconsistent annotators (see `AnnotatorConventions`).
    case annotatorConventions(AnnotatorConventions)

    /// Checks rates and class indices against a dataset of `classes` classes.
    public func validate(classes: Int) throws {
        func rate(_ r: Double, _ name: String) throws {
            guard r >= 0 && r <= 1 else { throw DatasetError.invalid("\(name) must be between 0 and 1, got \(r)") }
        }
        func index(_ c: Int, _ name: String) throws {
            guard c >= 0 && c < classes else { throw DatasetError.invalid("\(name) \(c) is not a class (0..<\(classes))") }
        }
        switch self {
        case .uniform(let r): try rate(r, "noise rate")
        case .confusion(let flips):
            for flip in flips { try rate(flip.rate, "flip rate"); try index(flip.from, "flip from"); try index(flip.to, "flip to") }
            for from in Set(flips.map(\.from)) where flips.filter({ $0.from == from }).reduce(0, { $0 + $1.rate }) > 1 {
                throw DatasetError.invalid("flip rates out of class \(from) add up to more than 1")
            }
        case .annotatorConventions(let a):
            guard a.annotators >= 1 else { throw DatasetError.invalid("annotators must be at least 1, got \(a.annotators)") }
            guard a.conventions.count == a.annotators else {
                throw DatasetError.invalid("annotator conventions: \(a.conventions.count) given for \(a.annotators) annotators")
            }
            try rate(a.slip, "slip"); try rate(a.fallbackRate, "fallback rate")
            guard a.strength >= 0 else { throw DatasetError.invalid("strength must be ≥ 0, got \(a.strength)") }
            for case let (from, to)? in a.conventions { try index(from, "convention class"); try index(to, "convention class") }
        }
    }

    /// A copy of `dataset` with delivered labels (and annotator ids) drawn from this model,
    /// starting from the gold labels where known. Recorded in the provenance.
    public func apply(to dataset: Dataset, seed: UInt64) throws -> Dataset {
        let k = dataset.classNames.count
        try validate(classes: k)
        var result = dataset
        var g = SplitMix64(seed: seed)
        for i in 0..<dataset.count where dataset.splits[i] != .test {
            let truth = Int(dataset.gold[i] >= 0 ? dataset.gold[i] : dataset.delivered[i])
            let (label, annotator) = annotate(truth: truth, ambiguity: dataset.ambiguity[i], classes: k, using: &g)
            result.delivered[i] = Int32(label)
            if let annotator { result.annotators[i] = Int32(annotator) }
        }
        result.record(step: "label-noise \(summary) seed=\(seed)")
        return result
    }

    /// One label drawn from this process for a sample of class `truth`: what an annotator of the
    /// same team would write (with the annotator chosen, for the annotator model). `annotator`
    /// picks who labels (annotator model only); nil draws one at random.
    public func annotate(truth: Int, ambiguity: Float, classes k: Int, annotator chosen: Int? = nil,
                         using g: inout SplitMix64) -> (label: Int, annotator: Int?) {
        switch self {
        case .uniform(let rate):
            return (g.nextUniform() < Float(rate) ? otherClass(than: truth, classes: k, using: &g) : truth, nil)
        case .confusion(let flips):
            var u = Double(g.nextUniform())
            for flip in flips where flip.from == truth {
                if u < flip.rate { return (flip.to, nil) }
                u -= flip.rate
            }
            return (truth, nil)
        case .annotatorConventions(let a):
            let drawn = g.nextIndex(below: a.annotators)
            let annotator = chosen.map { $0 % a.annotators } ?? drawn
            if g.nextUniform() < Float(a.slip) { return (otherClass(than: truth, classes: k, using: &g), annotator) }
            if let (from, to) = a.conventions[annotator], from == truth {
                let known = ambiguity.isNaN ? a.fallbackRate : Double(ambiguity)
                let p = min(1, a.strength * max(known, a.ambiguityFloor))
                if Double(g.nextUniform()) < p { return (to, annotator) }
            }
            return (truth, annotator)
        }
    }

    private func otherClass(than truth: Int, classes k: Int, using g: inout SplitMix64) -> Int {
        let pick = g.nextIndex(below: k - 1)
        return pick >= truth ? pick + 1 : pick
    }

    /// A one-line description for provenance.
    public var summary: String {
        switch self {
        case .uniform(let rate): "uniform rate=\(rate)"
        case .confusion(let flips): "confusion " + flips.map { "\($0.from)->\($0.to):\($0.rate)" }.joined(separator: ",")
        case .annotatorConventions(let a):
            "annotator-conventions annotators=\(a.annotators) strength=\(a.strength) ambiguity_floor=\(a.ambiguityFloor) slip=\(a.slip) conventions="
                + a.conventions.map { $0.map { "\($0.0)->\($0.1)" } ?? "none" }.joined(separator: ",")
        }
    }
}
