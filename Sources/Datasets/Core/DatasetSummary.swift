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
        lines += labelDetailLines()
        lines.append(ambiguityLine())
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

extension DatasetSummary {
    /// How many images have an ambiguity score, and how the scores spread.
    public func ambiguityLine() -> String {
        let scores = dataset.ambiguity.filter { !$0.isNaN }.sorted()
        guard !scores.isEmpty else {
            return "ambiguity: no image has a score (a simulated expert errs at its clear-image rate on each; flywheel data ambiguity measures one)"
        }
        return String(format: "ambiguity: scored on %d of %d images; median %.2f, 90th percentile %.2f, %.1f%% above 0.5", scores.count, dataset.count,
                      scores[scores.count / 2], scores[scores.count * 9 / 10], 100 * Double(scores.filter { $0 > 0.5 }.count) / Double(scores.count))
    }

    /// Graded labels and several annotators per image: how many, and how they agree.
    func labelDetailLines() -> [String] {
        var lines: [String] = []
        if let confidence = dataset.labelConfidence {
            let given = confidence.filter { !$0.isNaN }.sorted()
            let counts = Dictionary(grouping: given, by: { $0 }).map { ($0.key, $0.value.count) }.sorted { $0.0 < $1.0 }
            let levels = counts.count <= 6 ? "; levels " + counts.map { String(format: "%g: %d", $0.0, $0.1) }.joined(separator: ", ")
                : String(format: "; min %.2f, median %.2f, max %.2f", given.first ?? .nan, given.isEmpty ? .nan : given[given.count / 2], given.last ?? .nan)
            lines.append("graded labels: confidence given for \(given.count) of \(dataset.count) images" + (given.isEmpty ? "" : levels))
        }
        guard let agreement = dataset.agreement else { return lines }
        let multiple = agreement.filter { !$0.isNaN }
        let unanimous = multiple.filter { $0 == 1 }.count
        let perAnnotator = Dictionary(grouping: dataset.annotations, by: \.annotator)
        lines.append(String(format: "annotations: %d on %d images; %d images with several, %d of them unanimous, mean agreement %.2f",
                            dataset.annotations.count, Set(dataset.annotations.map(\.sample)).count, multiple.count, unanimous,
                            multiple.isEmpty ? Float.nan : multiple.reduce(0, +) / Float(multiple.count)))
        let names = dataset.provenance["annotator_names"]?.split(separator: ",").map(String.init)
        for (annotator, given) in perAnnotator.sorted(by: { $0.key < $1.key }) {
            let agree = given.filter { Int32($0.label) == dataset.delivered[$0.sample] }.count
            let name = names.map { annotator < $0.count ? $0[annotator] : String(annotator) } ?? String(annotator)
            lines.append("annotator \(name): " + String(format: "%d annotations, %.1f%% agree with the settled label", given.count,
                                                          100 * Double(agree) / Double(given.count)))
        }
        return lines
    }
}

/// `text` padded on the left to `width` characters.
private func rightAligned(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
}
