import Engine

/// A procedural image domain: classes, which of them people confuse, and how to draw a sample
/// of a class at a severity (0 faint … 1 unmistakable).
public protocol Scenario: Sendable {
    /// The name experiment files use ("steel-defects").
    var name: String { get }
    var classNames: [String] { get }
    /// Pairs of classes that look alike when the defect is faint (class indices). Annotator
    /// conventions and the confusion noise model use them.
    var confusablePairs: [(Int, Int)] { get }
    /// Draws one image of class `label` at `severity` on a `size`×`size` canvas.
    func render(label: Int, severity: Float, size: Int, using generator: inout SplitMix64) -> Canvas
}

/// Every built-in scenario by name.
public enum Scenarios {
    public static let all: [any Scenario] = [SteelDefects(), SolarCells(), SurfaceInspection()]

    /// The scenario called `name`.
    /// - Throws: `DatasetError.invalid` listing the known names.
    public static func named(_ name: String) throws -> any Scenario {
        guard let scenario = all.first(where: { $0.name == name }) else {
            throw DatasetError.invalid("unknown scenario '\(name)'; known: \(all.map(\.name).joined(separator: ", "))")
        }
        return scenario
    }
}
