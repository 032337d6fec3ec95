import Foundation
import TestSupport
import Testing

/// The exported notebook runs top to bottom with nbclient and redraws Flywheel's table.
@Suite struct NotebookTests {
    @Test func theExportedNotebookExecutesAndProducesTheTable() throws {
        let python = try pythonEnvironment([("h5py", "h5py"), ("pandas", "pandas"), ("scipy", "scipy"), ("matplotlib", "matplotlib"),
                                            ("nbclient", "nbclient"), ("nbformat", "nbformat"), ("ipykernel", "ipykernel")])
        let folder = NSTemporaryDirectory() + "flywheel-nb-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/tiny.yaml"
        try RunCommandTests.experiment.write(toFile: file, atomically: true, encoding: .utf8)
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
        // The notebook's means are Flywheel's, the model-centric choice (baseline included) too.
        let arms = try String(contentsOfFile: folder + "/results/tiny/arms.csv", encoding: .utf8).split(separator: "\n")
        for arm in ["baseline", "model-centric"] {
            let row = try #require(arms.first { $0.hasPrefix(arm + ",") })
            let mean = try #require(Double(row.split(separator: ",")[2]))
            let line = executed.output.split(separator: "\n").first { $0.hasPrefix(arm + " ") }
            #expect(line?.contains(String(format: "%.4f", mean)) == true, "\(arm): \(executed.output)")
        }
    }
}
