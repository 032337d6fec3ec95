@testable import Claims
import Datasets
import Foundation
import Store
@testable import Harness
import Testing

/// Claim files: conditions, the pre-registered test and its verdict, the rank agreement.
@Suite struct ClaimTests {
    private static let claimsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/experiments/claims"

    private func write(_ text: String) -> String {
        let path = NSTemporaryDirectory() + "flywheel-claim-\(UUID().uuidString.prefix(8)).yaml"
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A small claim: two noise levels, a model arm and a data arm.
    static let tiny = """
        name: claim-tiny
        claim:
          statement: "Cleaning beats model work."
          effect: {a: data-centric, b: model-centric}
          expect: positive
        quick: {seeds: [1, 2]}
        conditions:
          - {name: low, x: 1, set: {dataset.noise: {model: uniform, rate: 0.01}}}
          - {name: high, x: 30, set: {dataset.noise: {model: uniform, rate: 0.3}}}
        seeds: [11, 12, 13]
        dataset:
          scenario: steel-defects
          image_size: 16
          per_class: {train: 6, val: 4, test: 4}
        baseline:
          train: {epochs: 1}
        arms:
          model-centric:
            variants: [cnn-deep]
          data-centric:
            steps:
              - augment: {flips: true, in_loop: true}

        """

    /// The NEU images `make claims` imports, stood in for by a small dataset file (loading a claim
    /// file checks that its data files exist; what is in them is read when the trials run).
    private static let neuStandIn: String = {
        let path = NSTemporaryDirectory() + "flywheel-neu-stand-in-\(UUID().uuidString.prefix(8)).h5"
        try! SteelDefects().generate(imageSize: 16, perClass: SplitCounts(train: 2, validation: 2, test: 2, pool: 2), seed: 1).save(to: path)
        return path
    }()

    /// A shipped claim file, read with the NEU import it names stood in for.
    private func loadShipped(_ file: String, quick: Bool = false) throws -> Claim {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let standIn = text.replacingOccurrences(of: "data/claims-neu-det-32.h5", with: Self.neuStandIn)
            .replacingOccurrences(of: "data/claims-neu-det-32-scored.h5", with: Self.neuStandIn)
        return try Claim.load(write(standIn), quick: quick)
    }

    /// Every version's files load; the current one states every claim's power, on report seeds the first never used.
    @Test(arguments: ["", "-v1", "-v2"])
    func everyShippedClaimFileLoadsWithAndWithoutItsQuickSettings(version: String) throws {
        let folder = Self.claimsFolder + version
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count == (version.isEmpty ? 10 : 8), "\(files)")
        let firstSeeds = Set(try FileManager.default.contentsOfDirectory(atPath: Self.claimsFolder + "-v1").filter { $0.hasSuffix(".yaml") }
            .flatMap { try Claim.load(Self.claimsFolder + "-v1/" + $0).conditions.flatMap(\.experiment.seeds) })
        for file in files {
            if version.isEmpty {
                let claim = try loadShipped(folder + "/" + file)
                #expect(claim.test.powerEffect != nil && claim.powerCalibration != nil, "\(file): no power stated")
                #expect(Set(claim.conditions.flatMap(\.experiment.seeds)).isDisjoint(with: firstSeeds), "\(file): report seeds v1 saw")
            }
            for quick in [false, true] {
                let claim = try loadShipped(folder + "/" + file, quick: quick)
                #expect(!claim.statement.isEmpty && claim.conditions.count >= 2, "\(file)")
                #expect(Set(claim.conditions.map(\.experiment.name)) == [claim.name], "\(file): every condition is the same experiment")
                for condition in claim.conditions {
                    #expect(Set(condition.experiment.seeds).isDisjoint(with: condition.experiment.calibrationSeeds), "\(file) \(condition.name)")
                    #expect(!condition.experiment.plan.isEmpty)
                }
                if quick { #expect(claim.conditions.allSatisfy { $0.experiment.seeds == [1, 2] }, "\(file)") }
            }
        }
    }

    /// Claim 6 of version 3 reads each outsourced option against the expert on the same data: the
    /// scenario's expert for the scenario's options, NEU's for NEU's; its power runs all six.
    @Test func claimSixPairsEachOutsourcedOptionWithTheExpertOnItsOwnData() throws {
        let claim = try loadShipped(Self.claimsFolder + "/6-annotate-yourself.yaml")
        #expect(claim.test.a.condition(at: "neu-outsourced") == "neu-expert" && claim.test.a.condition(at: "outsourced-consensus") == "expert")
        #expect(claim.test.b.condition(at: "neu-outsourced") == "neu-outsourced")
        #expect(claim.test.conditionsRead == ["expert", "neu-expert", "neu-outsourced", "neu-outsourced-consensus", "outsourced", "outsourced-consensus"])
        #expect(claim.powerCalibration?.map(\.condition).sorted() == claim.test.conditionsRead)
    }

    @Test func aClaimFileRunAsAnExperimentSaysHowToRunIt() throws {
        do {
            _ = try ExperimentConfig.load(write(Self.tiny))
            Issue.record("a claim file loaded as an experiment")
        } catch let error as ConfigError {
            #expect(error.message.hasPrefix("claim: a claim file's key; run a claim file with flywheel claims --only NAME"), "\(error.message)")
            #expect(error.message.contains("line 2"), "\(error.message)")
        }
    }

    @Test func conditionsOverrideTheFileAndShareTheTrialsTheyHaveInCommon() throws {
        let claim = try Claim.load(write(Self.tiny))
        #expect(claim.conditions.map(\.name) == ["low", "high"])
        #expect(claim.test.at == ["low", "high"])
        let low = claim.conditions[0].experiment, high = claim.conditions[1].experiment
        #expect(low.data.noise == .uniform(rate: 0.01) && high.data.noise == .uniform(rate: 0.3))
        // Different data: no trial in common. The quick settings apply before the conditions.
        #expect(Set(low.plan.map(\.id)).isDisjoint(with: high.plan.map(\.id)))
        #expect(try Claim.load(write(Self.tiny), quick: true).conditions.allSatisfy { $0.experiment.seeds == [1, 2] })
        // Conditions that change only the data arm share the baseline's and the variants' trials.
        let armsOnly = Self.tiny.replacingOccurrences(of: "set: {dataset.noise: {model: uniform, rate: 0.01}}", with: "set: {arms.data-centric.steps: [{augment: {vflips: true, in_loop: true}}]}")
            .replacingOccurrences(of: "set: {dataset.noise: {model: uniform, rate: 0.3}}", with: "set: {}")
        let shared = try Claim.load(write(armsOnly))
        let first = Set(shared.conditions[0].experiment.plan.map(\.id)), second = Set(shared.conditions[1].experiment.plan.map(\.id))
        #expect(first.intersection(second).count == 6, "baseline and cnn-deep on three seeds")
    }

    @Test(arguments: [
        ("effect: {a: data-centric, b: model-centric}", "effect: {a: data-centric}", "claim.effect: expected both a and b"),
        ("expect: positive", "expect: equivalent", "claim.margin: missing"),
        ("expect: positive", "expect: positive\n  at: [nowhere]", "claim.at[0]: expected one of low, high, got 'nowhere'"),
        ("expect: positive", "expect: bigger", "claim.expect: expected one of positive, negative, equivalent"),
        ("{name: high, x: 30,", "{name: low, x: 30,", "conditions: the condition low is listed twice"),
        ("set: {dataset.noise: {model: uniform, rate: 0.3}}", "set: {dataset.noize: 1}", "condition high: dataset.noize: unknown key"),
        ("{name: high, x: 30,", "{name: high/2, x: 30,", "expected letters, digits"),
        ("effect: {a: data-centric, b: model-centric}", "effect: {a: data-centric, b: {arm: modelcentric}}", "claim.effect.b.arm: expected one of baseline"),
        ("effect: {a: data-centric, b: model-centric}", "effect: {a: {arm: data-centric, condition: {low: high}}, b: model-centric}",
         "claim.effect.a.condition: expected a partner for each condition the verdict reads (low, high), found one for low"),
        ("effect: {a: data-centric, b: model-centric}", "effect: {a: {arm: data-centric, condition: {low: high, high: nowhere}}, b: model-centric}",
         "expected one of low, high, got 'nowhere'"),
        ("expect: positive", "expect: positive\n  power: {effect: 0.03}", "claim.power: its spread comes from the calibration seeds"),
        ("expect: positive", "expect: positive\n  power: {}", "claim.power.effect: missing"),
        ("expect: positive", "expect: positive\n  power: {effect: 3}", "claim.power.effect: expected an effect in (0, 1]"),
        ("expect: positive", "expect: equivalent\n  margin: 0.03\n  power: {effect: 0.03}", "an equivalence's power is simulated at no true difference"),
    ])
    func aBadClaimFileIsRefusedNamingTheKeyAndLine(original: String, replacement: String, message: String) throws {
        let text = Self.tiny.replacingOccurrences(of: original, with: replacement)
        #expect(text != Self.tiny)
        do {
            _ = try Claim.load(write(text))
            Issue.record("accepted: \(replacement)")
        } catch let error as ConfigError {
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.message.contains("line "), "\(error.message)")
        }
    }

    @Test func theVerdictReadsTheIntervalInTheDirectionTheClaimPredicts() throws {
        let claim = try Claim.load(write(Self.tiny))
        let above = Summary([0.02, 0.03, 0.04]), straddling = Summary([-0.02, 0.01, 0.04]), below = Summary([-0.02, -0.03, -0.04])
        #expect(ClaimVerdict.holds(above, claim.test) && !ClaimVerdict.holds(straddling, claim.test) && !ClaimVerdict.holds(below, claim.test))
        let equivalent = try Claim.load(write(Self.tiny.replacingOccurrences(of: "expect: positive", with: "expect: equivalent\n  margin: 0.05"))).test
        #expect(ClaimVerdict.holds(Summary([-0.01, 0, 0.01]), equivalent) && !ClaimVerdict.holds(straddling, equivalent))
        #expect(!ClaimVerdict.holds(Summary([0.02, 0.06, 0.10]), equivalent))
        #expect(equivalent.prediction == "data-centric ≈ model-centric (within ±5.0 points)")
    }

    /// The simulated power matches the t-test's known power: a paired t-test at n = 10 and an
    /// effect of one standard deviation has power 0.803 (two-sided α 0.05; G*Power, R's power.t.test);
    /// an equivalence within ±3 points at sd 4 and 5 seeds passes about 5% of the time.
    @Test func powerBySimulationMatchesTheTTestsKnownPower() throws {
        let claim = try Claim.load(write(Self.tiny.replacingOccurrences(of: "expect: positive", with: "expect: positive\n  at: [high]")))
        let power = ClaimPower(test: claim.test, effect: 0.03, standardDeviation: 0.03, degreesOfFreedom: 4, seeds: 10)
        #expect(abs(power.power - 0.803) < 0.015, "\(power.power)")
        #expect(power.seedsForTarget == 10 || power.seedsForTarget == 11)
        #expect(!ClaimPower(test: claim.test, effect: 0.03, standardDeviation: 0.03, degreesOfFreedom: 4, seeds: 5).isAdequate)
        // Both conditions must hold: the power of two independent ones is about the square.
        let both = ClaimPower(test: try Claim.load(write(Self.tiny)).test, effect: 0.03, standardDeviation: 0.03, degreesOfFreedom: 4, seeds: 10)
        #expect(abs(both.power - 0.803 * 0.803) < 0.02, "\(both.power)")
        let equivalent = try Claim.load(write(Self.tiny.replacingOccurrences(of: "expect: positive", with: "expect: equivalent\n  margin: 0.03\n  at: [high]"))).test
        let small = ClaimPower(test: equivalent, effect: 0, standardDeviation: 0.04, degreesOfFreedom: 4, seeds: 5)
        #expect(small.power < 0.12, "\(small.power)")
        #expect((small.seedsForTarget ?? 0) > 10)
    }

    @Test func powerPoolsTheCalibrationSpreadOverConditions() throws {
        let test = try Claim.load(write(Self.tiny)).test
        let power = try #require(ClaimPower(test: test, effect: 0.02, calibrationDifferences: [[0.01, 0.03, 0.05], [0.0, 0.04], [0.3]], seeds: 5))
        // Sums of squares 0.0008 and 0.0008 over 2 + 1 degrees of freedom; the single seed adds nothing.
        #expect(power.degreesOfFreedom == 3 && abs(power.standardDeviation - (0.0016 / 3).squareRoot()) < 1e-12)
        #expect(ClaimPower(test: test, effect: 0.02, calibrationDifferences: [[0.1]], seeds: 5) == nil)
    }

    /// A claim its test could hardly have supported says so instead of "not supported".
    @Test func anUnderpoweredClaimIsNotShownRatherThanRefuted() throws {
        let text = Self.tiny.replacingOccurrences(of: "expect: positive", with: "expect: positive\n  power: {effect: 0.02}")
            .replacingOccurrences(of: "seeds: [11, 12, 13]", with: "seeds: [11, 12, 13]\ncalibration: {seeds: [101, 102]}")
        let claim = try Claim.load(write(text))
        #expect(claim.powerCalibration?.map(\.condition) == ["low", "high"])
        #expect(claim.powerCalibration?.allSatisfy { $0.experiment.seeds == [101, 102] && $0.experiment.calibrationSeeds.isEmpty } == true)
        let power = ClaimPower(test: claim.test, effect: 0.02, standardDeviation: 0.05, degreesOfFreedom: 2, seeds: 3)
        #expect(!power.isAdequate)
        #expect(ClaimFamily.powerText(power).hasPrefix("power ") && ClaimFamily.powerText(power).contains("at 3 seeds"))
    }

    @Test func kendallTauBCountsTiesAsScipyDoes() {
        // scipy.stats.kendalltau on the same values: 0.7378647873726218 and 0.18257418583505539.
        #expect(abs(RankAgreement.kendallTauB([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) - 0.7378647873726218) < 1e-12)
        #expect(abs(RankAgreement.kendallTauB([0.5, 0.6, 0.6, 0.7], [0.8, 0.7, 0.75, 0.9]) - 0.18257418583505539) < 1e-12)
        #expect(RankAgreement.kendallTauB([1, 1, 1], [1, 2, 3]).isNaN)
    }
}
