import Foundation
import TestSupport
import Testing
@testable import Store

extension StoreSuite {
/// Trial and merged files open in Python with h5py and pandas, with the values Flywheel wrote.
/// The test makes its own virtual environment (.build/python-venv) with `pip install h5py pandas`.
@Suite struct PythonReaderTests {
    @Test func h5pyAndPandasReadTrialAndMergedFiles() throws {
        let python = try pythonEnvironment([("h5py", "h5py"), ("pandas", "pandas")])
        let folder = temporaryFolder()
        let weights = [WeightTensor(layer: "00_conv2d", kind: "conv2d", name: "kernel", shape: [2, 1, 3, 3], values: (0..<18).map(Float.init))]
        let trial = try TrialFile.write(sampleRecord(id: "a", weights: weights), to: folder)
        try MergedResults.write([sampleRecord(id: "a", accuracy: 0.75), sampleRecord(id: "b", seed: 2, accuracy: 0.85)], to: folder + "/merged.h5")

        let (status, output) = try run(python, [packageRoot + "/Tests/Python/check_results.py", trial, folder + "/merged.h5"])
        #expect(status == 0, "\(output)")
        let found = try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String: Any]
        let attrs = found["attrs"] as! [String: Any]
        #expect(attrs["experiment"] as? String == "steel-defects")
        #expect(attrs["seed"] as? Int == 1)
        #expect(attrs["status"] as? String == "completed")
        #expect(attrs["config"] as? String == sampleRecord().config)
        #expect(attrs["version_hdf5"] as? String == "1.10.8")
        #expect(attrs["platform_openblas_core"] as? String == "Haswell")
        #expect(found["accuracy"] as? Double == 0.8125)
        #expect(found["confusion"] as? [[Int]] == [[9, 1, 0], [2, 7, 1], [0, 1, 9]])
        #expect(found["class_names"] as? [String] == ["crazing", "inclusion", "patches"])
        #expect((found["curves"] as! [String: [Double]])["epoch"] == [1, 2, 3])
        #expect(((found["curation"] as! [String: [String: Any]])["00_label-issues"])?["precision"] as? Double == 0.75)
        #expect(found["weights"] as? [String: [Int]] == ["00_conv2d/kernel": [2, 1, 3, 3]])
        #expect(found["kernel_sum"] as? Double == 153)
        #expect(found["predictions_shape"] as? [Int] == [2, 3])
        #expect(found["summary_trial_ids"] as? [String] == ["a", "b"])
        #expect(abs((found["summary_mean_accuracy"] as! Double) - 0.8) < 1e-12)
        #expect(found["merged_trials"] as? [String] == ["a", "b"])
        #expect(found["summary_columns"] as? [String] == ["accuracy", "arm", "experiment", "inference_flops", "macro_f1", "openblas_core", "seed", "status",
                                                          "threads", "train_flops", "trial_id", "validation_accuracy", "variant", "verified_validation_accuracy", "wall_seconds"])
    }

    private func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try runProcess(executable, arguments)
    }
}
}
