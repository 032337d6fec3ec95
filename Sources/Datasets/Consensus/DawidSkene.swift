import Foundation

/// Dawid & Skene (1979), "Maximum likelihood estimation of observer error-rates using the EM
/// algorithm": each annotator a has a confusion matrix π_a[true][given]; EM alternates the
/// posterior over each sample's true class (E) with the priors and confusion matrices (M),
/// starting from majority-vote posteriors. `smoothing` is a Dirichlet pseudo-count that keeps
/// unseen cells off zero.
struct DawidSkene {
    var maxIterations = 100
    var tolerance = 1e-7
    var smoothing = 0.01

    func consensus(_ annotations: [Annotation], samples: Int, annotators: Int, classes k: Int) -> Consensus {
        let votes = MajorityVote.voteCounts(annotations, samples: samples, classes: k)
        var posterior = votes.map { row -> [Double] in
            let total = row.reduce(0, +)
            return total > 0 ? row.map { $0 / total } : [Double](repeating: 1 / Double(k), count: k)
        }
        var confusion: [[[Double]]] = [], prior: [Double] = []
        for _ in 0..<maxIterations {
            (prior, confusion) = maximise(posterior, annotations, annotators: annotators, classes: k)
            let next = expect(prior, confusion, annotations, samples: samples, classes: k)
            let change = zip(next, posterior).map { zip($0, $1).map { abs($0 - $1) }.max()! }.max() ?? 0
            posterior = next
            if change < tolerance { break }
        }
        let annotated = Set(annotations.map(\.sample))
        let labels = (0..<samples).map { i in annotated.contains(i) ? posterior[i].indices.max { posterior[i][$0] < posterior[i][$1] }! : -1 }
        let accuracy = confusion.map { pi in (0..<k).reduce(0) { $0 + prior[$1] * pi[$1][$1] } }
        return Consensus(labels: labels, confidence: labels.indices.map { labels[$0] >= 0 ? posterior[$0][labels[$0]] : 0 },
                         annotatorAccuracy: accuracy, annotatorConfusion: confusion)
    }

    /// M-step: class priors and each annotator's row-normalised confusion from the posteriors.
    private func maximise(_ posterior: [[Double]], _ annotations: [Annotation], annotators: Int, classes k: Int) -> ([Double], [[[Double]]]) {
        let prior = (0..<k).map { c in posterior.reduce(0) { $0 + $1[c] } / Double(max(posterior.count, 1)) }
        var counts = Array(repeating: Array(repeating: [Double](repeating: smoothing, count: k), count: k), count: annotators)
        for a in annotations { for t in 0..<k { counts[a.annotator][t][a.label] += posterior[a.sample][t] } }
        let confusion = counts.map { matrix in matrix.map { row in let total = row.reduce(0, +); return row.map { $0 / total } } }
        return (prior, confusion)
    }

    /// E-step: posterior over each sample's true class, in log space.
    private func expect(_ prior: [Double], _ confusion: [[[Double]]], _ annotations: [Annotation], samples: Int, classes k: Int) -> [[Double]] {
        var logPosterior = Array(repeating: prior.map { log(max($0, 1e-300)) }, count: samples)
        for a in annotations { for t in 0..<k { logPosterior[a.sample][t] += log(confusion[a.annotator][t][a.label]) } }
        return logPosterior.map { row in
            let top = row.max()!
            let weights = row.map { exp($0 - top) }
            let total = weights.reduce(0, +)
            return weights.map { $0 / total }
        }
    }
}
