/// Which samples confident learning flags (cleanlab 2.x `filter_by`).
public enum LabelIssueFilter: String, Sendable, CaseIterable, Encodable {
    /// For every off-diagonal cell (given k, true j) of the confident joint, the that-many
    /// samples labelled k with the largest margin p(j) − p(k). cleanlab's default.
    case pruneByNoiseRate = "prune_by_noise_rate"
    /// Per class, the samples with the lowest probability of their label, as many as the joint
    /// says are mislabelled in that class.
    case pruneByClass = "prune_by_class"
    /// Flagged by both of the above.
    case both
    /// The samples counted off the diagonal of the confident joint.
    case confidentLearning = "confident_learning"
    /// Arg-max prediction differs from the given label.
    case predictedNotGiven = "predicted_neq_given"
}

/// The label issues found in one dataset, with the estimates that produced them.
public struct LabelIssues: Sendable {
    /// One flag per sample.
    public let mask: [Bool]
    public let joint: ConfidentJoint
    public let noise: NoiseEstimate

    /// The flagged samples, most likely mislabelled first.
    public func ranked(by score: LabelQualityScore, labels: [Int], probabilities: PredictedProbabilities) -> [Int] {
        score.rank(mask.indices.filter { mask[$0] }, labels: labels, probabilities: probabilities)
    }
}

/// Confident-learning label-issue detection, flagging exactly what
/// `cleanlab.filter.find_label_issues(labels, pred_probs, filter_by=…, frac_noise=…,
/// min_examples_per_class=…)` flags on the same inputs.
public struct LabelIssueFinder: Sendable, Encodable {
    public var filter: LabelIssueFilter
    /// Keep only this fraction of the estimated issues (prune filters only).
    public var fractionOfNoise: Double
    /// Classes with at most this many samples are never pruned.
    public var minExamplesPerClass: Int

    public init(filter: LabelIssueFilter = .pruneByNoiseRate, fractionOfNoise: Double = 1, minExamplesPerClass: Int = 1) {
        self.filter = filter; self.fractionOfNoise = fractionOfNoise; self.minExamplesPerClass = minExamplesPerClass
    }

    /// - Parameters:
    ///   - labels: N given labels in 0..<K.
    ///   - probabilities: N × K *out-of-sample* predicted probabilities.
    /// - Throws: `CurationError.invalidInput` when the inputs disagree or an option is out of range.
    public func findLabelIssues(labels: [Int], probabilities p: PredictedProbabilities) throws -> LabelIssues {
        guard fractionOfNoise > 0 && fractionOfNoise <= 1 else {
            throw CurationError.invalidInput("fraction of noise must be in (0, 1], got \(fractionOfNoise)")
        }
        guard minExamplesPerClass >= 0 else { throw CurationError.invalidInput("min examples per class must be ≥ 0, got \(minExamplesPerClass)") }
        let joint = try ConfidentJoint(labels: labels, probabilities: p)
        var mask: [Bool]
        switch filter {
        case .pruneByNoiseRate: mask = pruneByNoiseRate(labels, p, pruneCounts(joint))
        case .pruneByClass: mask = pruneByClass(labels, p, pruneCounts(joint))
        case .both:
            let counts = pruneCounts(joint)
            mask = zip(pruneByNoiseRate(labels, p, counts), pruneByClass(labels, p, counts)).map { $0 && $1 }
        case .confidentLearning:
            mask = [Bool](repeating: false, count: labels.count)
            for i in joint.offDiagonalSamples { mask[i] = true }
        case .predictedNotGiven: mask = labels.indices.map { p.predictedClass($0) != labels[$0] }
        }
        for i in labels.indices where p.predictedClass(i) == labels[i] { mask[i] = false }
        return LabelIssues(mask: mask, joint: joint, noise: NoiseEstimate(joint: joint, labels: labels))
    }

    /// The number of samples to prune per cell, `prune[true][given]` (the joint transposed),
    /// with every class keeping at least `minExamplesPerClass` (`_keep_at_least_n_per_class`)
    /// and off-diagonal counts scaled by `fractionOfNoise` (`_reduce_prune_counts`).
    func pruneCounts(_ joint: ConfidentJoint) -> [[Int]] {
        let k = joint.counts.count
        let m = (0..<k).map { t in (0..<k).map { g in Double(joint.counts[g][t]) } }
        let diagonal = (0..<k).map { m[$0][$0] }
        let raised = diagonal.map { max($0, Double(minExamplesPerClass)) }
        let nonzeroOffDiagonal = (0..<k).map { j in max(Double((0..<k).filter { m[$0][j] != 0 }.count) - 1, 1) }
        var adjusted = (0..<k).map { i in (0..<k).map { j in max(m[i][j] - (raised[j] - diagonal[j]) / nonzeroOffDiagonal[j], 0) } }
        for i in 0..<k { adjusted[i][i] = raised[i] }
        var reduced = adjusted.indices.map { i in adjusted[i].indices.map { j in i == j ? adjusted[i][j] : adjusted[i][j] * fractionOfNoise } }
        for j in 0..<k { reduced[j][j] = adjusted[j][j] + numpySum((0..<k).map { adjusted[$0][j] - reduced[$0][j] }) }
        return reduced.map { $0.map { Int($0) } }
    }

    /// `_prune_by_count`: for each given class k and each other class j, flag the
    /// `prune[j][k]` samples labelled k with the largest p(j) − p(k) (ties: lower index first).
    private func pruneByNoiseRate(_ labels: [Int], _ p: PredictedProbabilities, _ prune: [[Int]]) -> [Bool] {
        var mask = [Bool](repeating: false, count: labels.count)
        for (k, members) in membersByClass(labels, classes: p.classes).enumerated() {
            guard members.count > minExamplesPerClass, members.count > 1 else { continue }
            for j in 0..<p.classes where j != k && prune[j][k] > 0 {
                let margins = members.map { p[$0, j] - p[$0, k] }
                for position in positionsOfLargest(prune[j][k], of: margins) { mask[members[position]] = true }
            }
        }
        return mask
    }

    /// `_prune_by_class`: for each class k, flag the (samples labelled k − prune[k][k]) samples
    /// labelled k with the lowest p(k) (ties: lower index first).
    private func pruneByClass(_ labels: [Int], _ p: PredictedProbabilities, _ prune: [[Int]]) -> [Bool] {
        var mask = [Bool](repeating: false, count: labels.count)
        for (k, members) in membersByClass(labels, classes: p.classes).enumerated() {
            let issues = members.count - prune[k][k]
            guard members.count > minExamplesPerClass, members.count > 1, issues >= 1 else { continue }
            for position in positionsOfLargest(issues, of: members.map { -p[$0, k] }) { mask[members[position]] = true }
        }
        return mask
    }

    /// The sample indices of each class, in index order (one pass over the labels).
    private func membersByClass(_ labels: [Int], classes: Int) -> [[Int]] {
        var members = [[Int]](repeating: [], count: classes)
        for (i, label) in labels.enumerated() { members[label].append(i) }
        return members
    }
}
