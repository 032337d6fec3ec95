import Foundation
import TestSupport
import Testing

/// An experiment's human review round trip as a person makes it: the trial stops and says what to
/// do, the review is filled in with Python's csv module (CRLF line ends, as spreadsheets write),
/// named in the step's `review:` key, and the rerun applies it.
@Suite struct HumanReviewTests {
    private func experiment(review: String?) -> String {
        """
        name: review-round-trip
        seeds: [1]
        dataset:
          scenario: solar-cells
          image_size: 16
          per_class: {train: 12, val: 4, test: 8}
          noise: {model: uniform, rate: 0.3}
        baseline:
          train: {epochs: 2, batch: 16}
        arms:
          data-centric:
            steps:
              - label-issues: {folds: 2, filter_by: predicted_neq_given}
              - relabel: {reviewer: human, count: 5\(review.map { ", review: \($0)" } ?? "")}

        """
    }

    @Test func aReviewFilledInWithPythonsCSVModuleIsAppliedOnTheRerun() throws {
        let folder = NSTemporaryDirectory() + "flywheel-review-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let flywheel = builtExecutable("flywheel")
        try experiment(review: nil).write(toFile: folder + "/x.yaml", atomically: true, encoding: .utf8)
        let first = try runProcess(flywheel, ["run", "x.yaml", "--results", "results", "--quiet"], in: folder)
        let review = "results/review-round-trip/reviews/review-seed1.csv"
        #expect(first.status == 1, "\(first.output)")
        #expect(first.output.contains("wrote \(review) for a person to review"), "\(first.output)")
        #expect(first.output.contains("set arms.data-centric.steps[1].relabel.review: \(review) in the experiment file"), "\(first.output)")

        // A person accepts every suggestion, saving with Python's csv module (CRLF line ends).
        let fill = """
            import csv, sys
            rows = list(csv.reader(open(sys.argv[1], newline="")))
            for row in rows[1:]:
                row[5] = row[3]
            csv.writer(open(sys.argv[1], "w", newline="")).writerows(rows)
            """
        let filled = try runProcess("/usr/bin/env", ["python3", "-c", fill, folder + "/" + review])
        #expect(filled.status == 0, "\(filled.output)")
        #expect(try String(contentsOfFile: folder + "/" + review, encoding: .utf8).contains("\r\n"))

        try experiment(review: review).write(toFile: folder + "/x.yaml", atomically: true, encoding: .utf8)
        let second = try runProcess(flywheel, ["run", "x.yaml", "--results", "results", "--quiet"], in: folder)
        #expect(second.status == 0, "\(second.output)")
        let report = try String(contentsOfFile: folder + "/results/review-round-trip/report.md", encoding: .utf8)
        #expect(report.contains("relabel.reviewed 5"), "\(report)")
    }
}
