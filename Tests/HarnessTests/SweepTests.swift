import Foundation
import Testing
@testable import Harness

/// Sweep expansion is a pure function of the `sweep:` block: table-driven checks of the points.
@Suite struct SweepTests {
    private func sweep(_ yaml: String) throws -> Sweep {
        try Sweep.decode(ConfigReader(try ConfigTree.parse(yaml, file: "sweep.yaml"), path: "sweep"))
    }

    private func names(_ s: Sweep) -> [String] {
        s.points.map { $0.map { "\($0.key)=\($0.value.canonicalText)" }.joined(separator: ",") }
    }

    @Test func gridIsEveryCombinationLastAxisFastest() throws {
        let s = try sweep("axes: {train.lr: [0.01, 0.02], train.batch: [16, 32, 64]}")
        #expect(names(s) == ["train.lr=0.01,train.batch=16", "train.lr=0.01,train.batch=32", "train.lr=0.01,train.batch=64",
                             "train.lr=0.02,train.batch=16", "train.lr=0.02,train.batch=32", "train.lr=0.02,train.batch=64"])
    }

    @Test func randomDrawsDistinctPointsReproducibly() throws {
        let text = "mode: random\ncount: 4\nseed: 7\naxes: {train.lr: [0.01, 0.02, 0.05], train.batch: [16, 32, 64]}"
        let a = names(try sweep(text)), b = names(try sweep(text))
        #expect(a.count == 4 && Set(a).count == 4 && a == b)
        #expect(Set(a).isSubset(of: Set(names(try sweep("axes: {train.lr: [0.01, 0.02, 0.05], train.batch: [16, 32, 64]}")))))
        #expect(a != names(try sweep(text.replacingOccurrences(of: "seed: 7", with: "seed: 8"))))
        #expect(names(try sweep("mode: random\ncount: 50\naxes: {train.lr: [0.1, 0.2]}")).count == 2)
    }

    @Test(arguments: [
        ("mode: random\naxes: {train.lr: [0.1]}", "sweep.count: missing"),
        ("axes: {train.lr: []}", "sweep.axes.train.lr: expected at least one value"),
        ("count: 3\naxes: {train.lr: [0.1]}", "sweep.count: only a random sweep takes count and seed"),
        ("mode: lattice\naxes: {train.lr: [0.1]}", "sweep.mode"),
        ("axes: [1, 2]", "sweep.axes: expected a mapping"),
    ])
    func badSweepsNameTheKey(text: String, expected: String) {
        #expect(throws: ConfigError.self) { try sweep(text) }
        do { _ = try sweep(text) } catch { #expect("\(error)".contains(expected), "\(error)") }
    }

    @Test func sweepPointsBecomeModelCentricVariantsWithStableIds() throws {
        let yaml = ExperimentConfigTests.valid + "sweep:\n  axes: {train.lr: [0.01, 0.05]}\n"
        let path = NSTemporaryDirectory() + "flywheel-sweep-\(UUID().uuidString.prefix(8)).yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try ExperimentConfig.load(path)
        #expect(config.modelCentric.map(\.name).suffix(2) == ["train.lr=0.01", "train.lr=0.05"])
        #expect(config.modelCentric.last!.recipe.training.learningRate == 0.05)
        #expect(config.plan.map(\.id) == (try ExperimentConfig.load(path)).plan.map(\.id))
        #expect(Set(config.plan.map(\.id)).count == config.plan.count)
    }
}
