import Foundation
import TestSupport
import Testing

/// `flywheel label-issues` and `flywheel data apply-review` end to end.
@Suite struct CurationCommandTests {
    private func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try runProcess(builtExecutable("flywheel"), arguments)
    }

    private func folder() throws -> String {
        let folder = NSTemporaryDirectory() + "flywheel-curation-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Probabilities from elsewhere: the six-sample case worked out by hand in ConfidentLearningTests.
    @Test func labelIssuesFromLabelsAndProbabilityFiles() throws {
        let dir = try folder()
        try "label\n0\n0\n0\n1\n1\n1\n".write(toFile: dir + "/labels.csv", atomically: true, encoding: .utf8)
        try "p0,p1\n0.9,0.1\n0.8,0.2\n0.3,0.7\n0.2,0.8\n0.1,0.9\n0.6,0.4\n".write(toFile: dir + "/probs.csv", atomically: true, encoding: .utf8)
        let result = try run(["label-issues", "--labels", dir + "/labels.csv", "--pred-probs", dir + "/probs.csv", "--out", dir + "/review.csv"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("1 of 6 samples flagged"), "\(result.output)")
        let review = try String(contentsOfFile: dir + "/review.csv", encoding: .utf8)
        #expect(review == "id,image,given_label,suggested_label,confidence,corrected_label\n2,,0,1,0.7000,\n")
        let all = try run(["label-issues", "--labels", dir + "/labels.csv", "--pred-probs", dir + "/probs.csv", "--filter-by", "predicted_neq_given",
                           "--out", dir + "/all.csv"])
        #expect(all.output.contains("2 of 6 samples flagged"), "\(all.output)")

        try "label\n0\n0\n9\n".write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        let bad = try run(["label-issues", "--labels", dir + "/bad.csv", "--pred-probs", dir + "/probs.csv"])
        #expect(bad.status == 2)
        #expect(bad.output.contains("\(dir)/bad.csv has 3 labels but \(dir)/probs.csv has 6 rows"), "\(bad.output)")
        try "label\n0\n0\n9\n1\n1\n1\n".write(toFile: dir + "/bad-class.csv", atomically: true, encoding: .utf8)
        let badClass = try run(["label-issues", "--labels", dir + "/bad-class.csv", "--pred-probs", dir + "/probs.csv", "--out", dir + "/never.csv"])
        #expect(badClass.status == 2)
        #expect(badClass.output.contains("\(dir)/bad-class.csv line 4: class 9, but \(dir)/probs.csv has 2 columns"), "\(badClass.output)")
        let again = try run(["label-issues", "--labels", dir + "/labels.csv", "--pred-probs", dir + "/probs.csv", "--out", dir + "/review.csv"])
        #expect(again.status == 2 && again.output.contains("review.csv already exists"), "\(again.output)")
        let unknownFilter = try run(["label-issues", "--labels", dir + "/labels.csv", "--pred-probs", dir + "/probs.csv", "--filter-by", "vibes"])
        #expect(unknownFilter.status != 0)
        #expect(unknownFilter.output.contains("The value 'vibes' is invalid for '--filter-by <filter-by>'. Please provide one of 'prune_by_noise_rate'"),
                "\(unknownFilter.output)")
        let help = try run(["label-issues", "--help"])
        #expect(help.output.contains("(values: prune_by_noise_rate,"), "\(help.output)")
    }

    /// On a dataset file: cross-validated flags, a review CSV with images, and the review applied
    /// into a new file that keeps the original labels.
    @Test func labelIssuesOnADatasetAndApplyReview() throws {
        let dir = try folder()
        let data = dir + "/solar.h5"
        #expect(try run(["data", "generate", "solar-cells", "--out", data, "--size", "16", "--per-class", "train=20,val=5,test=5"]).status == 0)
        let flagged = try run(["label-issues", data, "--folds", "3", "--epochs", "3", "--filter-by", "predicted_neq_given", "--out", dir + "/review.csv"])
        #expect(flagged.status == 0, "\(flagged.output)")
        #expect(flagged.output.contains("cross-validation: 3 trainings"), "\(flagged.output)")
        var lines = try String(contentsOfFile: dir + "/review.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        try #require(lines.count > 1, "the 3-epoch models should disagree with some labels")
        let first = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(FileManager.default.fileExists(atPath: dir + "/" + first[1]))
        lines[1] = first.dropLast().joined(separator: ",") + "," + first[3]
        try lines.joined(separator: "\n").write(toFile: dir + "/review.csv", atomically: true, encoding: .utf8)
        let applied = try run(["data", "apply-review", data, dir + "/review.csv"])
        #expect(applied.status == 0, "\(applied.output)")
        #expect(applied.output.contains("1 rows reviewed, 1 labels changed; wrote \(dir)/solar-reviewed.h5"), "\(applied.output)")
        let again = try run(["data", "apply-review", data, dir + "/review.csv"])
        #expect(again.status != 0 && again.output.contains("already exists"), "\(again.output)")

        try (lines + ["99999,x.png,crack,crack,0.5,crack"]).joined(separator: "\n").write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        let bad = try run(["data", "apply-review", data, dir + "/bad.csv", "--out", dir + "/never.h5"])
        #expect(bad.status == 2)
        #expect(bad.output.contains("bad.csv line \(lines.count + 1): unknown id '99999'"), "\(bad.output)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/never.h5"))
    }
}
