import Foundation
import TestSupport
import Testing

/// The exported notebook runs top to bottom with nbclient and redraws Flywheel's table.
@Suite struct NotebookTests {
    /// The run tests' tiny experiment with a data-centric arm (two sub-arms chosen on validation) and
    /// the data-then-model arm, so the notebook computes every arm and data − model.
    static let experiment = RunCommandTests.experiment + """
          data-centric:
            then_model: true
            steps:
              - label-issues: {folds: 2}
              - relabel: {count: 3, reviewer: consistent}
              - augment: {flips: true, in_loop: true}

        """

    @Test func theExportedNotebookExecutesAndProducesTheTable() throws {
        let python = try pythonEnvironment([("h5py", "h5py"), ("pandas", "pandas"), ("scipy", "scipy"), ("matplotlib", "matplotlib"),
                                            ("nbclient", "nbclient"), ("nbformat", "nbformat"), ("ipykernel", "ipykernel")])
        let folder = NSTemporaryDirectory() + "flywheel-nb-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/tiny.yaml"
        try Self.experiment.write(toFile: file, atomically: true, encoding: .utf8)
        let run = try runProcess(builtExecutable("flywheel"), ["run", file, "--results", folder + "/results", "--notebooks", folder + "/nb"])
        #expect(run.status == 0, "\(run.output)")
        let notebook = folder + "/nb/tiny.ipynb"
        let script = """
            import nbformat, sys
            from nbclient import NotebookClient
            nb = nbformat.read(sys.argv[1], as_version=4)
            NotebookClient(nb, timeout=120, kernel_name="python3").execute()
            print("".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])))
            """
        let executed = try runProcess(python, ["-c", script, notebook])
        #expect(executed.status == 0, "\(executed.output)")
        #expect(executed.output.contains("baseline") && executed.output.contains("model-centric"), "\(executed.output)")
        // The notebook reads the arm table Flywheel's analysis wrote: the same means as arms.csv.
        let arms = try String(contentsOfFile: folder + "/results/tiny/arms.csv", encoding: .utf8).split(separator: "\n")
        for arm in ["baseline", "model-centric", "data-centric", "data-then-model"] {
            let row = try #require(arms.first { $0.hasPrefix(arm + ",") })
            let mean = try #require(Double(row.split(separator: ",")[2]))
            let line = executed.output.split(separator: "\n").first { $0.hasPrefix(arm + " ") }
            #expect(line?.contains(String(format: "%.4f", mean)) == true, "\(arm): \(executed.output)")
        }
        // Data − model as the analysis wrote it into the merged file, the same as comparisons.csv.
        let comparison = try String(contentsOfFile: folder + "/results/tiny/comparisons.csv", encoding: .utf8).split(separator: "\n")[1]
            .split(separator: ",").map(String.init)
        let line = try #require(executed.output.split(separator: "\n").first { $0.hasPrefix(comparison[0]) })
        let fields = line.dropFirst(comparison[0].count).split(separator: " ").map(String.init)
        #expect(fields[0] == comparison[1], "seeds: \(line)")
        #expect(Double(fields[1]).map { abs($0 - Double(comparison[2])!) < 1e-4 } == true, "delta: \(line) vs \(comparison)")
        #expect(Double(fields[6]).map { abs($0 - Double(comparison[7])!) < 1e-4 } == true, "p: \(line) vs \(comparison)")
    }
}
