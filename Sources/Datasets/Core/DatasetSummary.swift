import Foundation

/// What `flywheel data inspect` shows: counts per class and split, agreement of delivered with
/// gold labels, and per-annotator statistics.
public struct DatasetSummary {
    public let dataset: Dataset

    public init(_ dataset: Dataset) { self.dataset = dataset }

    /// `counts[split][class]`.
    public var counts: [Split: [Int]] {
        var result: [Split: [Int]] = [:]
        for split in Split.allCases { result[split] = Array(repeating: 0, count: dataset.classNames.count) }
        for i in 0..<dataset.count { result[dataset.splits[i]]![Int(dataset.delivered[i])] += 1 }
        return result
    }

    /// Fraction of samples with a gold label whose delivered label agrees, per split (nil when none has gold).
    public func agreement(in split: Split) -> Double? {
        let known = dataset.indices(in: split).filter { dataset.gold[$0] >= 0 }
        guard !known.isEmpty else { return nil }
        return Double(known.filter { dataset.gold[$0] == dataset.delivered[$0] }.count) / Double(known.count)
    }

    /// A plain-text report.
    public func report(title: String) -> String {
        var lines = ["\(title): \(dataset.count) images, \(dataset.height)×\(dataset.width)×\(dataset.channels), "
                     + "\(dataset.classNames.count) classes"]
        let width = max(12, dataset.classNames.map(\.count).max() ?? 0)
        lines.append("class".padding(toLength: width, withPad: " ", startingAt: 0) + Split.allCases.map { rightAligned($0.description, 7) }.joined())
        let table = counts
        for (k, name) in dataset.classNames.enumerated() {
            lines.append(name.padding(toLength: width, withPad: " ", startingAt: 0)
                         + Split.allCases.map { String(format: "%7d", table[$0]![k]) }.joined())
        }
        for split in Split.allCases where !dataset.indices(in: split).isEmpty {
            let samples = dataset.indices(in: split)
            let known = samples.filter { dataset.gold[$0] >= 0 }.count
            var line = "\(split): gold labels for \(known) of \(samples.count)"
            if let a = agreement(in: split) { line += String(format: "; delivered = gold on %.1f%% of them", 100 * a) }
            lines.append(line + (known == 0 ? " (labels as delivered, nobody checked them)" : ""))
        }
        let annotators = Set(dataset.annotators.filter { $0 >= 0 }).sorted()
        for annotator in annotators {
            let mine = dataset.annotators.indices.filter { dataset.annotators[$0] == annotator && dataset.gold[$0] >= 0 }
            let agree = mine.filter { dataset.gold[$0] == dataset.delivered[$0] }.count
            lines.append(String(format: "annotator %d: %d labels, %.1f%% agree with gold", annotator, mine.count,
                                100 * Double(agree) / Double(max(mine.count, 1))))
        }
        lines += dataset.provenance.sorted { $0.key < $1.key }.map { "provenance \($0.key): \($0.value)" }
        return lines.joined(separator: "\n")
    }
}

/// `text` padded on the left to `width` characters.
private func rightAligned(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
}
