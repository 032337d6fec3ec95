import Engine
import Foundation

/// How imported images are shaped and split.
public struct ImportOptions: Sendable {
    public var imageSize = 64
    /// 1 (grayscale) or 3 (RGB).
    public var channels = 1
    /// Fractions per split (they must add up to 1); each class is split separately.
    public var fractions: [Split: Double] = [.train: 0.6, .validation: 0.2, .test: 0.2]
    public var seed: UInt64 = 1
    /// Record the imported labels as gold too (for data whose labels are trusted, so injected
    /// noise can be scored); otherwise gold is unknown (−1).
    public var labelsAreGold = false
    /// Skip unreadable images (listed in the result) instead of stopping at the first.
    public var skipBad = false

    public init() {}
}

/// What an import produced, and what it skipped (file and reason).
public struct ImportResult: Sendable {
    public var dataset: Dataset
    public var skipped: [String]
}

/// One labelled image file to import.
struct ImageEntry {
    let path: String
    let label: Int
    let annotator: Int32
}

/// Reads image files into a dataset: decode, convert channels, resize, then a stratified split.
enum ImageImporter {
    static func importEntries(_ entries: [ImageEntry], classNames: [String], source: String, options: ImportOptions,
                              progress: (Int, Int) -> Void) throws -> ImportResult {
        guard options.channels == 1 || options.channels == 3 else { throw DatasetError.invalid("channels must be 1 or 3, got \(options.channels)") }
        guard options.imageSize >= 8 else { throw DatasetError.invalid("image size must be at least 8, got \(options.imageSize)") }
        let total = options.fractions.values.reduce(0, +)
        guard abs(total - 1) < 1e-6, options.fractions.values.allSatisfy({ $0 >= 0 }) else {
            throw DatasetError.invalid("split fractions must be ≥ 0 and add up to 1, got \(total)")
        }
        var pixels: [UInt8] = [], labels: [Int32] = [], annotators: [Int32] = [], skipped: [String] = []
        for (done, entry) in entries.enumerated() {
            do {
                let image = try DecodedImage.read(entry.path).converted(toChannels: options.channels).resized(to: options.imageSize)
                pixels += image.pixels
                labels.append(Int32(entry.label))
                annotators.append(entry.annotator)
            } catch let error as DatasetError where options.skipBad {
                skipped.append(error.description)
            }
            progress(done + 1, entries.count)
        }
        guard !labels.isEmpty else { throw DatasetError.invalid("\(source): no image could be imported") }
        let splits = stratifiedSplits(labels: labels, classes: classNames.count, fractions: options.fractions, seed: options.seed)
        var provenance = ["source": source, "imported_size": String(options.imageSize), "channels": String(options.channels),
                          "split_seed": String(options.seed), "labels_are_gold": String(options.labelsAreGold)]
        provenance["split_fractions"] = Split.allCases.compactMap { s in options.fractions[s].map { "\(s)=\($0)" } }.joined(separator: ",")
        let dataset = Dataset(pixels: pixels, height: options.imageSize, width: options.imageSize, channels: options.channels,
                              classNames: classNames, gold: options.labelsAreGold ? labels : labels.map { _ in -1 }, delivered: labels,
                              annotators: annotators, ambiguity: labels.map { _ in .nan }, splits: splits, provenance: provenance)
        return ImportResult(dataset: dataset, skipped: skipped)
    }

    /// Assigns splits class by class: shuffle the class's samples (seeded), then cut by the fractions.
    static func stratifiedSplits(labels: [Int32], classes: Int, fractions: [Split: Double], seed: UInt64) -> [Split] {
        var splits = [Split](repeating: .train, count: labels.count)
        var g = SplitMix64(seed: seed)
        for c in 0..<classes {
            var members = labels.indices.filter { labels[$0] == Int32(c) }
            g.shuffle(&members)
            var start = 0, cumulative = 0.0
            for split in Split.allCases {
                cumulative += fractions[split] ?? 0
                let end = split == Split.allCases.last ? members.count : Int((cumulative * Double(members.count)).rounded())
                for i in start..<max(start, end) { splits[members[i]] = split }
                start = max(start, end)
            }
        }
        return splits
    }
}
