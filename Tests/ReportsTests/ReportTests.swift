import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Harness
@testable import Reports
import Store

/// Reports computed from trial records: numbers match the records; the SVG is well-formed.
@Suite struct ReportTests {
    private func record(_ arm: Arm, _ variant: String, seed: Int64, test: Double, validation: Double) -> TrialRecord {
        var r = TrialRecord(trialID: "\(arm.rawValue)-\(variant)-\(seed)", experiment: "demo", arm: arm, variant: variant, seed: seed,
                            status: .completed, config: "", gitCommit: "abc", versions: [:], startedAt: "", finishedAt: "",
                            wallSeconds: 1, trainFLOPs: 1e12, classNames: ["a", "b"])
        r.metrics = TrialMetrics(accuracy: test, macroF1: test, recall: [test, test], precision: [test, test],
                                 confusion: [[1, 0], [0, 1]], validationAccuracy: validation)
        r.curves = TrialCurves(trainLoss: [1, 0.5], trainAccuracy: [0.5, 0.7], validationAccuracy: [0.4, validation], learningRate: [0.1, 0.1])
        return r
    }

    private var records: [TrialRecord] {
        (1...3).flatMap { (s: Int64) -> [TrialRecord] in
            [record(.baseline, "baseline", seed: s, test: 0.70 + 0.01 * Double(s), validation: 0.6),
             record(.modelCentric, "wide", seed: s, test: 0.72 + 0.01 * Double(s), validation: 0.65),
             record(.modelCentric, "deep", seed: s, test: 0.80, validation: 0.55)]
        }
    }

    @Test func theModelCentricArmIsChosenOnValidationAndBoundedOnTest() {
        let analysis = ExperimentAnalysis(records: records)
        #expect(analysis.arms.map(\.label) == ["baseline", "model-centric", "model-centric (best on test, upper bound)"])
        #expect(abs(analysis.arms[0].summary.mean - 0.72) < 1e-12)
        #expect(abs(analysis.arms[1].summary.mean - 0.74) < 1e-12)                 // "wide" wins on validation every seed
        #expect(abs(analysis.arms[1].comparison!.difference.mean - 0.02) < 1e-12)
        #expect(abs(analysis.arms[2].summary.mean - 0.80) < 1e-12)                 // "deep" is best on test
        #expect(analysis.arms[1].trainings == 6)
        #expect(analysis.variants.map(\.name) == ["baseline", "deep", "wide"])
        #expect(analysis.variants.map(\.timesChosen) == [0, 0, 3])
        let csv = CSVReport.arms(analysis).split(separator: "\n")
        #expect(csv[1].hasPrefix("baseline,3,0.72"))
        let markdown = MarkdownReport.render(analysis, command: "flywheel run demo.yaml", provenance: Provenance(records: records))
        #expect(markdown.contains("| model-centric | 74.0% |"))
        #expect(markdown.contains("| +2.0 |"))
    }

    @Test func theReportNamesTheCommitKernelsAndThreadsItsTrialsRecorded() {
        var haswell = record(.baseline, "baseline", seed: 1, test: 0.7, validation: 0.6)
        haswell.platform = ["openblas_core": "Haswell", "threads": "1", "cpu": "AMD EPYC"]
        var skylake = record(.baseline, "baseline", seed: 2, test: 0.7, validation: 0.6)
        skylake.platform = ["openblas_core": "SkylakeX", "convolution": "avx512", "threads": "1", "cpu": "AMD EPYC"]
        let old = record(.baseline, "baseline", seed: 3, test: 0.7, validation: 0.6)
        let line = Provenance(records: [haswell, skylake, old]).markdownLine
        #expect(line.hasPrefix("Code: Flywheel commit abc; OpenBLAS kernel Haswell, SkylakeX, not recorded, convolution kernel avx512, im2col, 1, not recorded "
                               + "engine thread(s)"), "files from before the direct kernels ran im2col")
        let markdown = MarkdownReport.render(ExperimentAnalysis(records: [haswell]), command: "x", provenance: Provenance(records: [haswell]))
        #expect(markdown.contains("OpenBLAS kernel Haswell, convolution kernel im2col, 1 engine thread(s) per trial, CPU AMD EPYC"))
        #expect(Provenance(records: []).markdownLine.isEmpty)
    }

    @Test func theBaselineStaysWhenNoVariantBeatsItOnValidation() {
        // Seed 1: every variant below the baseline on validation; seed 2: a tie; seed 3: "wide" ahead.
        let records = [(1, 0.60, 0.55), (2, 0.60, 0.60), (3, 0.60, 0.62)].flatMap { seed, baseline, wide in
            [record(.baseline, "baseline", seed: Int64(seed), test: 0.70, validation: baseline),
             record(.modelCentric, "wide", seed: Int64(seed), test: 0.76, validation: wide),
             record(.modelCentric, "deep", seed: Int64(seed), test: 0.66, validation: 0.50)]
        }
        let analysis = ExperimentAnalysis(records: records)
        let modelCentric = analysis.arm(.modelCentric)!
        #expect(modelCentric.accuracy == [1: 0.70, 2: 0.70, 3: 0.76])
        #expect(analysis.variants.map(\.timesChosen) == [2, 0, 1])                 // baseline, deep, wide
        #expect(modelCentric.trainings == 6)                                       // the variants only: the baseline was paid for
        #expect(analysis.arms.first { $0.isUpperBound }!.accuracy == [1: 0.76, 2: 0.76, 3: 0.76])
    }

    /// Validation chose the baseline on every seed: the arm is the baseline, and the report says its
    /// "equivalent" measured nothing (no detectable effect printed for a spread of 0).
    @Test func anArmThatLeftTheBaselineAsItWasIsSaidToBeTheBaseline() {
        let records = (1...3).flatMap { (s: Int64) -> [TrialRecord] in
            [record(.baseline, "baseline", seed: s, test: 0.70 + 0.01 * Double(s), validation: 0.6),
             record(.modelCentric, "deep", seed: s, test: 0.80, validation: 0.5)]
        }
        let analysis = ExperimentAnalysis(records: records)
        let markdown = MarkdownReport.render(analysis, command: "x")
        #expect(markdown.contains("| model-centric | 72.0% | 69.5%–74.5% | +0.0 | +0.0…+0.0 | 1 | equivalent | — | — |"), "\(markdown)")
        #expect(markdown.contains("**The same as the baseline on every seed:** model-centric scored what the baseline scored on each seed"))
        #expect(!MarkdownReport.render(ExperimentAnalysis(records: self.records), command: "x").contains("The same as the baseline on every seed"))
    }

    /// Two seeds far apart put the t interval of an accuracy past 100%: the table clips it there.
    @Test func anAccuracyIntervalStopsAtAHundredPercent() {
        let records = [(1, 0.99), (2, 0.60)].map { record(.baseline, "baseline", seed: Int64($0.0), test: $0.1, validation: 0.5) }
        let analysis = ExperimentAnalysis(records: records)
        #expect(analysis.arms[0].summary.upper > 1)
        #expect(MarkdownReport.render(analysis, command: "x").contains("| baseline | 79.5% | 0.0%–100.0% |"))
        #expect(CSVReport.arms(analysis).contains(",0.0,1.0,"))
    }

    /// A test set where one class is most of the images: the report says what always answering it scores.
    @Test func aTestSetOneClassDominatesIsSaidToBeSo() {
        var dominated = records
        for index in dominated.indices { dominated[index].metrics!.confusion = [[16, 2], [1, 3]] }
        let markdown = MarkdownReport.render(ExperimentAnalysis(records: dominated), command: "x")
        #expect(markdown.contains("**One class dominates the test set:** a is 81.8% of its images: a model that always answers a scores 81.8%"))
        // The records' recalls: baseline 0.71–0.73 (mean 0.72) in both classes, wide 0.73–0.75 (0.74).
        #expect(markdown.contains("Balanced accuracy (the mean of the classes' recalls, each class alike; means over seeds): baseline 72.0%, "
                                  + "model-centric 74.0% (+2.0), model-centric (best on test, upper bound) 80.0% (+8.0)."), "\(markdown)")
        #expect(!MarkdownReport.render(ExperimentAnalysis(records: records), command: "x").contains("dominates"))
    }

    /// Ng's table notebook draws Ng's reported figures beside Flywheel's; the real-image table has
    /// none, so its notebook prints and draws no column of them (it printed one of NaN).
    @Test func aTableWithoutReportedFiguresShowsNoColumnOfThem() throws {
        let ng = try NotebookExport.renderNgTable(mergedPaths: ["steel-defects": "s.h5"], command: "flywheel reproduce")
        #expect(ng.contains("ax.scatter(x, part[\\\"ng\\\"]") && ng.contains("and Ng 2021 (black ticks)"))
        let real = try NotebookExport.renderNgTable(mergedPaths: ["neu-det": "n.h5"], command: "flywheel reproduce --suite real", suite: NgTable.real)
        #expect(real.contains("n.h5") && !real.contains("part[\\\"ng\\\"]") && !real.contains("\\\"arm\\\", \\\"ng\\\"") && !real.contains("Ng 2021"), "\(real)")
    }

    @Test func chartsAreWellFormedSVG() {
        let analysis = ExperimentAnalysis(records: records)
        for (svg, element, expected) in [(SVGChart.arms(analysis), "rect", 4), (SVGChart.curves(records), "polyline", 3)] {
            final class Counter: NSObject, XMLParserDelegate {
                let name: String
                var count = 0
                init(_ name: String) { self.name = name }
                func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                            attributes: [String: String] = [:]) {
                    if element == name { count += 1 }
                }
            }
            let parser = XMLParser(data: Data(svg.utf8))
            let counter = Counter(element)
            parser.delegate = counter
            #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
            #expect(counter.count == expected)   // arms: background + one bar per arm; curves: one line per series
        }
    }

    /// The curves chart draws validation accuracy when every trial scored it each epoch, else the
    /// training accuracy every trial records (a trial without `train.validation_curve` has NaN there).
    @Test func theCurvesChartDrawsValidationOnlyWhereEveryTrialScoredIt() {
        let scored = SVGChart.curves(records)
        #expect(scored.contains("validation accuracy (as delivered) by epoch") && scored.contains(",168.0\""))   // y of the baseline's 60% at its last epoch
        var unscored = records
        unscored[0].curves.validationAccuracy = [.nan, .nan]
        let training = SVGChart.curves(unscored)
        #expect(training.contains("training accuracy (labels as delivered, during the epoch) by epoch") && !training.contains("NaN"))
        #expect(training.contains(",136.0\"") && !training.contains(",168.0\""))   // the last epoch's 70% training accuracy
    }
}
