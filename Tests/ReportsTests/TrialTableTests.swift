import Foundation
import Reports
import Store
import Testing

/// The trial tables — trials.csv and the merged file's /summary — come from one column list.
@Suite struct TrialTableTests {
    private func record(_ id: String, accuracy: Double?) -> TrialRecord {
        var r = TrialRecord(trialID: id, experiment: "demo", arm: .modelCentric, variant: "wide, with a comma", seed: 3,
                            status: accuracy == nil ? .failed : .completed, config: "", gitCommit: "abc", versions: [:], startedAt: "",
                            finishedAt: "", wallSeconds: 2.5, trainFLOPs: 1e12, classNames: ["a", "b"])
        r.platform = ["openblas_core": "Haswell", "threads": "2"]
        if let accuracy {
            r.metrics = TrialMetrics(accuracy: accuracy, macroF1: accuracy, recall: [1, 0], precision: [1, 0], confusion: [[1, 0], [0, 1]],
                                     validationAccuracy: nil)
        }
        return r
    }

    @Test func theCSVHasEveryColumnInOrderWithEmptyFieldsForMissingNumbers() {
        let csv = CSVReport.trials([record("t2", accuracy: nil), record("t1", accuracy: 0.75)]).split(separator: "\n").map(String.init)
        #expect(csv[0] == TrialColumn.all.flatMap(\.fields).joined(separator: ","))
        #expect(csv[1] == "t1,demo,model-centric,\"wide, with a comma\",3,completed,0.75,0.75,,,2.5,1000000000000.0,,Haswell,2")
        #expect(csv[2] == "t2,demo,model-centric,\"wide, with a comma\",3,failed,,,,,2.5,1000000000000.0,,Haswell,2")
    }

    @Test func theMergedSummaryHasOneDatasetPerColumn() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("summary-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try MergedResults.write([record("t1", accuracy: 0.75), record("t2", accuracy: nil)], to: path)
        let file = try HDF5File.open(path)
        defer { try? file.close() }
        let summary = try file.root.group("summary")
        #expect(Set(try summary.childNames()) == Set(TrialColumn.all.flatMap(\.fields)))
        #expect(try summary.read("accuracy", as: Double.self).values.map { $0.isNaN ? -1 : $0 } == [0.75, -1])
        #expect(try summary.readStrings("threads") == ["2", "2"])
    }
}
