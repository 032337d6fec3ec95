@testable import Audit
import Engine
@testable import Reports
import Testing

/// The audit report's advice after its levers table.
@Suite struct AuditMarkdownTests {
    private func lever(_ change: TrainingChange?, gains: [Double]) -> Lever {
        Lever(kind: change == nil ? .changeModel : .changeTraining, action: change.map { $0.action(from: Recipe()) } ?? "train resnet-8 instead of cnn-small",
              gains: gains, cost: 0, basis: "retrained, 3 seeds", option: change.map { $0.option(from: Recipe()) })
    }

    /// Only a change of training whose interval lies above 0 calls for another audit, and the
    /// paragraph names the option that makes its recipe; a model change that gains does not.
    @Test func aChangeOfTrainingThatGainsNamesTheOptionThatAuditsUnderIt() {
        let recipe = Recipe()
        let gaining = lever(.schedule, gains: [0.03, 0.04, 0.035]), unclear = lever(.flips, gains: [0.05, -0.04, 0.01])
        let advice = AuditMarkdown.trainingAdvice([lever(nil, gains: [0.05, 0.06, 0.055]), gaining, unclear]).joined()
        #expect(advice.contains("train with a cosine schedule instead of a constant learning rate: +3.5 ["), "\(advice)")
        #expect(advice.contains("audit again with --schedule cosine to measure the data levers under the better recipe"), "\(advice)")
        #expect(!advice.contains("flips") && !advice.contains("resnet-8"), "\(advice)")
        #expect(AuditMarkdown.trainingAdvice([unclear, lever(nil, gains: [0.05, 0.06, 0.055])]).isEmpty)
        var flipping = recipe
        flipping.training.randomFlips = .both
        #expect(TrainingChange.flips.option(from: recipe) == "with --flips" && TrainingChange.flips.option(from: flipping) == "without --flips")
    }
}
