/// How far one class dominates a set of labelled images: the case where accuracy hides the rare
/// classes (a model that always answers the large class scores its share).
public struct ClassDominance: Sendable, Equatable {
    /// The largest class, and its share of the images.
    public let largestClass: Int
    public let share: Double

    /// The dominant class of images counted per class: one that holds more than half of them and
    /// at least four times as many as the smallest class present (80/20 of two classes, not 57/43);
    /// nil when there is none.
    public init?(counts: [Int]) {
        let total = counts.reduce(0, +), present = counts.filter { $0 > 0 }
        guard total > 0, present.count >= 2, let largest = counts.indices.max(by: { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) })
        else { return nil }
        let share = Double(counts[largest]) / Double(total)
        guard share > 0.5, counts[largest] >= 4 * present.min()! else { return nil }
        (largestClass, self.share) = (largest, share)
    }

    /// The dominant class of `labels`, of `classes` classes.
    public init?(labels: [Int32], classes: Int) {
        self.init(counts: (0..<classes).map { c in labels.filter { $0 == Int32(c) }.count })
    }

    /// "MT_Free is 70.9% of the scored images: a model that always answers MT_Free scores 70.9%, …".
    public func sentence(classNames: [String], images: String) -> String {
        let name = classNames[largestClass], percent = String(format: "%.1f%%", 100 * share)
        return "\(name) is \(percent) of \(images): a model that always answers \(name) scores \(percent), and a point gained on it counts "
            + "like a point on a rare class."
    }
}
