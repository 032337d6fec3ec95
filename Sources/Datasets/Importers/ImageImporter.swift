import Dispatch
import Engine
import Foundation

/// How imported images are shaped and split.
public struct ImportOptions: Sendable {
    public var imageSize = 64
    /// 1 (grayscale) or 3 (RGB).
    public var channels = 1
    /// Fractions per split (they must add up to 1); each class is split separately.
    public var fractions: [Split: Double] = [.train: 0.6, .validation: 0.2, .test: 0.2]
    /// Splits the source does not give, drawn from the training split it gives: the share of each
    /// class's training images each takes (`[.test: 0.2]` for a `train/` and `val/` tree). Needs
    /// splits given by the source; `fractions` split a source that gives none.
    public var heldOut: [Split: Double] = [:]
    /// Seeds `fractions`' split and `heldOut`'s draw.
    public var seed: UInt64 = 1
    /// Record the imported labels as gold too (for data whose labels are trusted, so injected
    /// noise can be scored); otherwise gold is unknown (−1).
    public var labelsAreGold = false
    /// Skip unreadable images (listed in the result) instead of stopping at the first.
    public var skipBad = false
    /// The splits whose labels a person checked: their labels are the file's gold (the rest stay
    /// unknown, −1, unless `labelsAreGold`). Needs splits given by the source (folders or a column).
    public var verified: Set<Split> = []
    /// How images that are not square become square.
    public var fit: ImageFit = .resize
    /// How several annotators' labels of one image become its delivered label.
    public var consensus: ConsensusMethod = .majority
    /// The fewest images a class may have (0: no check; `flywheel data import` asks for 10: fewer
    /// cannot give training, validation and test each a few). Classes below it stop the import.
    public var minimumPerClass = 0
    /// Glob patterns of files and folders a folder import leaves out (`*.png`: masks beside the
    /// images; `masks`: every folder of that name); see `ClassFolderFiles`.
    public var exclude: [String] = []
    /// The columns of a label file, in order (`path`, `label`, `annotator`, `split`, `confidence`;
    /// `-` leaves one out), in place of its header row if it has one; nil: a header row names
    /// them, or path, label[, annotator].
    public var labelColumns: [String]?
    /// Images decoded side by side (default: every core).
    public var decodingThreads = ProcessInfo.processInfo.activeProcessorCount

    public init() {}
}

/// What an import produced, and what it skipped (file and reason).
public struct ImportResult: Sendable {
    public var dataset: Dataset
    public var skipped: [String]
    /// Files and folders a folder import left out because an exclusion pattern matched them.
    public var excluded: [String] = []
}

/// One labelled image file to import.
struct ImageEntry {
    let path: String
    var label: Int
    let annotator: Int32
    /// The split the source gave it (a split folder or a `split` column); nil: split by the fractions.
    var split: Split? = nil
    /// Every (annotator, label) given, when several annotators labelled the image.
    var annotations: [(annotator: Int, label: Int)] = []
    /// The share of `annotations` that agree with `label`; NaN with fewer than two.
    var agreement: Float = .nan
    /// The graded label's confidence, NaN where not given.
    var confidence: Float = .nan
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
        let givenSplits = entries.contains { $0.split != nil }
        if givenSplits, let first = entries.first(where: { $0.split == nil }) {
            throw DatasetError.invalid("\(source): \(first.path) has no split while other images have one; give every image a split or none")
        }
        guard options.verified.isEmpty || givenSplits else {
            throw DatasetError.invalid("\(source): --verified names splits, but the source gives none (use split folders or a split column)")
        }
        let heldOut = HeldOutSplits(fractions: options.heldOut, seed: options.seed)
        if !options.heldOut.isEmpty {
            guard givenSplits else {
                throw DatasetError.invalid("\(source): --hold-out draws the splits a source's split folders or split column do not give; "
                                           + "this source gives none, so --split draws them all")
            }
            try heldOut.validate(given: entries.map { $0.split! }, verified: options.verified, source: source)
        }
        var pixels: [UInt8] = [], labels: [Int32] = [], annotators: [Int32] = [], kept: [ImageEntry] = [], skipped: [String] = []
        pixels.reserveCapacity(entries.count * options.imageSize * options.imageSize * options.channels)
        for (entry, decoded) in zip(entries, try decodeAll(entries.map(\.path), options: options, progress: progress)) {
            switch decoded {
            case .success(let image):
                pixels += image
                labels.append(Int32(entry.label))
                annotators.append(entry.annotator)
                kept.append(entry)
            case .failure(let error):
                guard options.skipBad else { throw error }
                skipped.append(error.description)
            }
        }
        guard !labels.isEmpty else { throw DatasetError.invalid("\(source): no image could be imported") }
        try requireMinimum(options.minimumPerClass, labels: labels, classNames: classNames, source: source)
        var splits = givenSplits ? kept.map { $0.split! }
            : stratifiedSplits(labels: labels, classes: classNames.count, fractions: options.fractions, seed: options.seed)
        var heldOutCounts: [Split: Int] = [:]
        if !options.heldOut.isEmpty { (splits, heldOutCounts) = heldOut.draw(splits: splits, labels: labels) }
        var provenance = ["source": source, "imported_size": String(options.imageSize), "channels": String(options.channels), "fit": options.fit.rawValue,
                          "labels_are_gold": String(options.labelsAreGold)]
        if givenSplits {
            provenance["splits"] = "as given by the source"
            if !options.heldOut.isEmpty { provenance["held_out"] = heldOut.description(counts: heldOutCounts) }
        } else {
            provenance["split_seed"] = String(options.seed)
            provenance["split_fractions"] = Split.allCases.compactMap { s in options.fractions[s].map { "\(s)=\($0)" } }.joined(separator: ",")
        }
        if !options.verified.isEmpty { provenance["verified_splits"] = Split.allCases.filter(options.verified.contains).map(\.description).joined(separator: ",") }
        let gold = zip(labels, splits).map { label, split in options.labelsAreGold || options.verified.contains(split) ? label : -1 }
        let annotations = kept.enumerated().flatMap { sample, entry in
            entry.annotations.map { Annotation(sample: sample, annotator: $0.annotator, label: $0.label) }
        }
        let dataset = Dataset(pixels: pixels, height: options.imageSize, width: options.imageSize, channels: options.channels,
                              classNames: classNames, gold: gold, delivered: labels,
                              annotators: annotators, ambiguity: labels.map { _ in .nan }, splits: splits, provenance: provenance,
                              labelConfidence: kept.contains { !$0.confidence.isNaN } ? kept.map(\.confidence) : nil,
                              agreement: annotations.isEmpty ? nil : kept.map(\.agreement),
                              annotations: annotations, sourcePaths: kept.map { URL(fileURLWithPath: $0.path).standardizedFileURL.path })
        return ImportResult(dataset: dataset, skipped: skipped)
    }

    /// Every file decoded, converted and fitted to the import's size, `options.decodingThreads`
    /// files at a time, in order: each entry its pixels or its error. Progress is reported from
    /// the calling thread after each block of files.
    static func decodeAll(_ paths: [String], options: ImportOptions,
                          progress: (Int, Int) -> Void) throws -> [Result<[UInt8], DatasetError>] {
        let threads = max(1, options.decodingThreads), block = 64 * threads
        var results: [Result<[UInt8], DatasetError>] = Array(repeating: .success([]), count: paths.count)
        for start in stride(from: 0, to: paths.count, by: block) {
            let end = min(paths.count, start + block)
            results.withUnsafeMutableBufferPointer { buffer in
                let slots = UnsafeSendableBuffer(buffer)
                DispatchQueue.concurrentPerform(iterations: min(threads, end - start)) { worker in
                    for i in stride(from: start + worker, to: end, by: threads) { slots.buffer[i] = decode(paths[i], options) }
                }
            }
            progress(end, paths.count)
        }
        return results
    }

    /// One file's pixels at the import's size and channels, or why it cannot be read.
    private static func decode(_ path: String, _ options: ImportOptions) -> Result<[UInt8], DatasetError> {
        do {
            return .success(try DecodedImage.read(path).converted(toChannels: options.channels)
                .fitted(to: options.imageSize, by: options.fit).pixels)
        } catch let error as DatasetError {
            return .failure(error)
        } catch {
            return .failure(.invalid("\(path): \(error)"))
        }
    }

    /// Throws when a class has fewer than `minimum` images, naming the smallest such class.
    static func requireMinimum(_ minimum: Int, labels: [Int32], classNames: [String], source: String) throws {
        guard minimum > 0 else { return }
        var counts = Array(repeating: 0, count: classNames.count)
        for label in labels { counts[Int(label)] += 1 }
        guard let small = counts.indices.filter({ counts[$0] < minimum }).min(by: { counts[$0] < counts[$1] }) else { return }
        throw DatasetError.invalid("\(source): class '\(classNames[small])' has \(counts[small]) image(s); expected at least \(minimum) per class "
                                   + "to give training, validation and test a few each (merge the class, collect more, or lower --min-per-class)")
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

/// A buffer written at disjoint indices from several threads.
private struct UnsafeSendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}
