#if canImport(Glibc)
import Glibc
#endif

/// The dataset layout in HDF5: images and every kind of label, with where they came from. The
/// `Datasets` layer builds these; the store only defines, writes, reads and validates them.
///
/// | path | type, shape |
/// |---|---|
/// | `/images` | uint8 (N, H, W, C) |
/// | `/class_names` | string (K) |
/// | `/labels/gold` | int32 (N), −1 where unknown |
/// | `/labels/delivered` | int32 (N), the labels as delivered (after any injected noise) |
/// | `/labels/annotator` | int32 (N), −1 where unknown |
/// | `/labels/before_review` | int32 (N), optional: the delivered labels before a person's review was applied |
/// | `/labels/confidence` | float32 (N), optional: a graded label's confidence in [0, 1], NaN where not given |
/// | `/labels/agreement` | float32 (N), optional: the share of an image's annotations that agree with its delivered label |
/// | `/annotations/sample`, `/annotator`, `/label` | int32 (M) each, optional: every annotation of several annotators per image |
/// | `/sources` | string (N), optional: each image's source file as imported (absolute path) |
/// | `/ambiguity` | float32 (N), NaN where unknown |
/// | `/split` | uint8 (N), an index into the `split_names` attribute |
/// | root attributes | `schema_version`, `split_names` (string, comma-separated), `provenance_<key>` (string) |
public struct StoredDataset: Sendable, Equatable {
    /// The split names, in code order: `split[i]` indexes this list.
    public static let splitNames = ["train", "val", "test", "pool"]

    public var images: [UInt8]
    /// (N, H, W, C)
    public var imageShape: [Int]
    public var classNames: [String]
    public var goldLabels: [Int32]
    public var deliveredLabels: [Int32]
    public var annotators: [Int32]
    public var ambiguity: [Float]
    public var split: [UInt8]
    /// Source, generator and version, seed, transforms applied, …
    public var provenance: [String: String]
    /// The delivered labels before a review was applied, when one was.
    public var labelsBeforeReview: [Int32]?
    /// A graded label's confidence per image, when the source gave one.
    public var labelConfidence: [Float]?
    /// The share of each image's annotations that agree with its delivered label, when images had several.
    public var agreement: [Float]?
    /// Every annotation, when images had several annotators.
    public var annotations: StoredAnnotations?
    /// Each image's source file as imported (absolute path), when it came from files.
    public var sourcePaths: [String]?

    public init(images: [UInt8], imageShape: [Int], classNames: [String], goldLabels: [Int32], deliveredLabels: [Int32],
                annotators: [Int32], ambiguity: [Float], split: [UInt8], provenance: [String: String], labelsBeforeReview: [Int32]? = nil,
                labelConfidence: [Float]? = nil, agreement: [Float]? = nil, annotations: StoredAnnotations? = nil, sourcePaths: [String]? = nil) {
        self.images = images; self.imageShape = imageShape; self.classNames = classNames; self.goldLabels = goldLabels
        self.deliveredLabels = deliveredLabels; self.annotators = annotators; self.ambiguity = ambiguity
        self.split = split; self.provenance = provenance; self.labelsBeforeReview = labelsBeforeReview
        self.labelConfidence = labelConfidence; self.agreement = agreement; self.annotations = annotations
        self.sourcePaths = sourcePaths
    }

    public var count: Int { imageShape.first ?? 0 }

    /// Checks that every array has one entry per image and every code is in range.
    /// - Throws: `HDF5Error` naming `file` and the offending dataset.
    public func validate(file: String) throws {
        func fail(_ object: String, _ message: String) -> HDF5Error { HDF5Error(file: file, object: object, operation: message) }
        guard imageShape.count == 4, imageShape.reduce(1, *) == images.count else {
            throw fail("/images", "expected uint8 (N, H, W, C) with \(imageShape.reduce(1, *)) values, got shape \(imageShape) and \(images.count) values")
        }
        guard [1, 3].contains(imageShape[3]) else { throw fail("/images", "expected 1 or 3 channels, got \(imageShape[3])") }
        let n = count, k = Int32(classNames.count)
        for (object, length) in [("/labels/gold", goldLabels.count), ("/labels/delivered", deliveredLabels.count),
                                 ("/labels/annotator", annotators.count), ("/ambiguity", ambiguity.count), ("/split", split.count),
                                 ("/labels/before_review", labelsBeforeReview?.count ?? n),
                                 ("/labels/confidence", labelConfidence?.count ?? n), ("/labels/agreement", agreement?.count ?? n),
                                 ("/sources", sourcePaths?.count ?? n)]
        where length != n {
            throw fail(object, "expected \(n) entries (one per image), got \(length)")
        }
        if let bad = goldLabels.firstIndex(where: { $0 < -1 || $0 >= k }) {
            throw fail("/labels/gold", "entry \(bad) is \(goldLabels[bad]); expected −1 or a class in 0..<\(k)")
        }
        if let bad = deliveredLabels.firstIndex(where: { $0 < 0 || $0 >= k }) {
            throw fail("/labels/delivered", "entry \(bad) is \(deliveredLabels[bad]); expected a class in 0..<\(k)")
        }
        if let bad = labelConfidence?.firstIndex(where: { !$0.isNaN && !(0...1).contains($0) }) {
            throw fail("/labels/confidence", "entry \(bad) is \(labelConfidence![bad]); expected a value in [0, 1] or NaN")
        }
        if let annotations { try annotations.validate(images: n, classes: Int(k), file: file) }
        if let bad = split.firstIndex(where: { Int($0) >= Self.splitNames.count }) {
            throw fail("/split", "entry \(bad) is \(split[bad]); expected 0..<\(Self.splitNames.count) (\(Self.splitNames.joined(separator: ", ")))")
        }
    }

    /// Writes the dataset atomically to `path` (temporary file, then rename).
    public func write(to path: String) throws {
        try validate(file: path)
        let temporary = HDF5File.folder(of: path) + "/." + (path.split(separator: "/").last.map(String.init) ?? path) + ".tmp-\(getpid())"
        try HDF5File.writeAtomically(to: path, temporary: temporary) { root in
            try root.setAttribute("schema_version", TrialRecord.currentSchemaVersion)
            try root.setAttribute("split_names", Self.splitNames.joined(separator: ","))
            for (key, value) in provenance.sorted(by: { $0.key < $1.key }) { try root.setAttribute("provenance_\(key)", value) }
            try root.write("images", images, shape: imageShape)
            try root.write("class_names", strings: classNames)
            let labels = try root.createGroup("labels")
            try labels.write("gold", goldLabels, shape: [count])
            try labels.write("delivered", deliveredLabels, shape: [count])
            try labels.write("annotator", annotators, shape: [count])
            if let labelsBeforeReview { try labels.write("before_review", labelsBeforeReview, shape: [count]) }
            if let labelConfidence { try labels.write("confidence", labelConfidence, shape: [count]) }
            if let agreement { try labels.write("agreement", agreement, shape: [count]) }
            if let annotations { try annotations.write(in: root) }
            if let sourcePaths { try root.write("sources", strings: sourcePaths) }
            try root.write("ambiguity", ambiguity, shape: [count])
            try root.write("split", split, shape: [count])
        }
    }

    /// Reads and validates a dataset file.
    /// - Throws: `HDF5Error` naming the file and the missing or inconsistent part.
    public static func read(from path: String) throws -> StoredDataset {
        let file = try HDF5File.open(path)
        defer { try? file.close() }
        let root = try file.root
        guard root.hasAttribute("schema_version"), root.contains("images") else {
            throw HDF5Error(file: path, object: "/", operation: "not a Flywheel dataset: expected /images and a schema_version attribute")
        }
        let version: Int64 = try root.attribute("schema_version")
        guard version <= TrialRecord.currentSchemaVersion else {
            throw HDF5Error(file: path, object: "/", operation: "schema version \(version) is newer than this Flywheel reads (\(TrialRecord.currentSchemaVersion))")
        }
        var provenance: [String: String] = [:]
        for name in try root.attributeNames() where name.hasPrefix("provenance_") {
            provenance[String(name.dropFirst("provenance_".count))] = try root.stringAttribute(name)
        }
        let (images, shape) = try root.read("images", as: UInt8.self)
        let labels = try root.group("labels")
        let dataset = StoredDataset(
            images: images, imageShape: shape, classNames: try root.readStrings("class_names"),
            goldLabels: try labels.read("gold", as: Int32.self).values, deliveredLabels: try labels.read("delivered", as: Int32.self).values,
            annotators: try labels.read("annotator", as: Int32.self).values, ambiguity: try root.read("ambiguity", as: Float.self).values,
            split: try root.read("split", as: UInt8.self).values, provenance: provenance,
            labelsBeforeReview: labels.contains("before_review") ? try labels.read("before_review", as: Int32.self).values : nil,
            labelConfidence: labels.contains("confidence") ? try labels.read("confidence", as: Float.self).values : nil,
            agreement: labels.contains("agreement") ? try labels.read("agreement", as: Float.self).values : nil,
            annotations: try StoredAnnotations.read(in: root),
            sourcePaths: root.contains("sources") ? try root.readStrings("sources") : nil)
        try dataset.validate(file: path)
        return dataset
    }
}
