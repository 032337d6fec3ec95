/// Every annotation of a dataset whose images had several annotators, as three parallel
/// columns under `/annotations`: `sample` (the image's index), `annotator` and `label`.
public struct StoredAnnotations: Sendable, Equatable {
    public var sample: [Int32]
    public var annotator: [Int32]
    public var label: [Int32]

    public init(sample: [Int32], annotator: [Int32], label: [Int32]) {
        self.sample = sample; self.annotator = annotator; self.label = label
    }

    /// Checks the columns' lengths and that every sample and label is in range.
    /// - Throws: `HDF5Error` naming `file` and the offending column.
    func validate(images: Int, classes: Int, file: String) throws {
        func fail(_ column: String, _ message: String) -> HDF5Error { HDF5Error(file: file, object: "/annotations/\(column)", operation: message) }
        guard annotator.count == sample.count, label.count == sample.count else {
            throw fail("annotator", "expected \(sample.count) entries like /annotations/sample, got \(annotator.count) annotators and \(label.count) labels")
        }
        if let bad = sample.firstIndex(where: { !(0..<Int32(images) ~= $0) }) {
            throw fail("sample", "entry \(bad) is \(sample[bad]); expected an image index in 0..<\(images)")
        }
        if let bad = annotator.firstIndex(where: { $0 < 0 }) { throw fail("annotator", "entry \(bad) is \(annotator[bad]); expected ≥ 0") }
        if let bad = label.firstIndex(where: { !(0..<Int32(classes) ~= $0) }) {
            throw fail("label", "entry \(bad) is \(label[bad]); expected a class in 0..<\(classes)")
        }
    }

    func write(in root: HDF5Group) throws {
        let group = try root.createGroup("annotations")
        try group.write("sample", sample, shape: [sample.count])
        try group.write("annotator", annotator, shape: [annotator.count])
        try group.write("label", label, shape: [label.count])
    }

    /// The annotations under `root`, nil when the file has none.
    static func read(in root: HDF5Group) throws -> StoredAnnotations? {
        guard root.contains("annotations") else { return nil }
        let group = try root.group("annotations")
        return StoredAnnotations(sample: try group.read("sample", as: Int32.self).values,
                                 annotator: try group.read("annotator", as: Int32.self).values,
                                 label: try group.read("label", as: Int32.self).values)
    }
}
