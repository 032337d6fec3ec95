/// The most frequent label per sample; annotator accuracy is agreement with the majority.
enum MajorityVote {
    static func consensus(_ annotations: [Annotation], samples: Int, annotators: Int, classes: Int) -> Consensus {
        let votes = voteCounts(annotations, samples: samples, classes: classes)
        var labels = [Int](repeating: -1, count: samples), confidence = [Double](repeating: 0, count: samples)
        for i in 0..<samples {
            let total = votes[i].reduce(0, +)
            guard total > 0 else { continue }
            let best = votes[i].indices.max { (votes[i][$0], -$0) < (votes[i][$1], -$1) }!
            labels[i] = best
            confidence[i] = votes[i][best] / total
        }
        var agreed = [Double](repeating: 0, count: annotators), given = [Double](repeating: 0, count: annotators)
        for a in annotations {
            given[a.annotator] += 1
            if labels[a.sample] == a.label { agreed[a.annotator] += 1 }
        }
        return Consensus(labels: labels, confidence: confidence, annotatorAccuracy: zip(agreed, given).map { $1 > 0 ? $0 / $1 : .nan },
                         annotatorConfusion: [])
    }

    /// `votes[sample][class]`.
    static func voteCounts(_ annotations: [Annotation], samples: Int, classes: Int) -> [[Double]] {
        var votes = Array(repeating: [Double](repeating: 0, count: classes), count: samples)
        for a in annotations { votes[a.sample][a.label] += 1 }
        return votes
    }
}
