import Curation
import Datasets
import Engine
import Foundation
import Testing

/// The measured ambiguity score on two kinds of data: a built-in scenario, whose generator knows
/// each image's ambiguity, and the real NEU steel images (imbalanced, with near-identical copies).
@Suite struct OutOfSampleAmbiguityTests {
    /// The team's shared folder: $FLYWHEEL_SHARED, or `shared/` beside the repository (as CI lays it out).
    private let shared = ProcessInfo.processInfo.environment["FLYWHEEL_SHARED"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared").path

    private func measure(folds: Int, epochs: Int) throws -> OutOfSampleAmbiguity {
        var recipe = Recipe(architecture: .cnnSmall)
        recipe.training.epochs = epochs
        return OutOfSampleAmbiguity(crossValidation: try CrossValidation(folds: folds, seed: 3), recipe: recipe)
    }

    /// Spearman's rank correlation (average ranks for ties).
    private func spearman(_ x: [Float], _ y: [Float]) -> Double {
        func ranks(_ v: [Float]) -> [Double] {
            let order = v.indices.sorted { v[$0] < v[$1] }
            var rank = [Double](repeating: 0, count: v.count), i = 0
            while i < order.count {
                var j = i
                while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
                for k in i...j { rank[order[k]] = Double(i + j) / 2 }
                i = j + 1
            }
            return rank
        }
        let (a, b) = (ranks(x), ranks(y))
        let (ma, mb) = (a.reduce(0, +) / Double(a.count), b.reduce(0, +) / Double(b.count))
        let cov = zip(a, b).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mb) }
        return cov / (a.reduce(0) { $0 + ($1 - ma) * ($1 - ma) } * b.reduce(0) { $0 + ($1 - mb) * ($1 - mb) }).squareRoot()
    }

    /// On the steel scenario, faint defects of look-alike classes are the ambiguous ones by
    /// construction; the measured score, which never reads that, ranks images the same way.
    @Test func onAScenarioTheScoreRanksImagesAsTheGeneratorsAmbiguityDoes() throws {
        let data = try Scenarios.named("steel-defects").generate(imageSize: 16, perClass: SplitCounts(train: 40, validation: 10, test: 10), seed: 3)
        let (scores, effort) = try measure(folds: 3, epochs: 8).scores(for: data)
        #expect(effort.trainings == 3)
        #expect(scores.allSatisfy { $0 >= 0 && $0 <= 1 })
        let rho = spearman(scores, data.ambiguity)
        #expect(rho > 0.15, "Spearman \(rho) between the measured score and the generator's ambiguity")
    }

    /// On NEU (imbalanced: 15 scratches and 15 crazing against 80 of the others), the score is a
    /// property of the images, not of a seed: other folds and other initial weights rank the images
    /// alike; the small classes are scored like the others.
    @Test func onNEUTheScoreIsTheImagesNotTheSeedsAndSmallClassesAreScored() throws {
        let data = try neu(perClass: 80, except: ["scratches": 15, "crazing": 15])
        var recipe = Recipe(architecture: .cnnSmall)
        recipe.training.epochs = 15
        let (first, second) = (try OutOfSampleAmbiguity(crossValidation: try CrossValidation(folds: 3, seed: 3), recipe: recipe).scores(for: data).ambiguity,
                               try OutOfSampleAmbiguity(crossValidation: try CrossValidation(folds: 3, seed: 4), recipe: recipe).scores(for: data).ambiguity)
        let rho = spearman(first, second)
        #expect(rho > 0.3, "Spearman \(rho) between two seeds' scores")
        let small = data.gold.indices.filter { ["scratches", "crazing"].contains(data.classNames[Int(data.gold[$0])]) }
        #expect(small.allSatisfy { first[$0] >= 0 && first[$0] <= 1 })
        #expect(Set(first).count > first.count / 2, "scores vary from image to image")
    }

    /// A near-identical copy in another fold teaches the model its twin: both score clearer than
    /// the original did alone — the score's known blind spot, which docs/your-data.md states
    /// (deduplicate first: `flywheel audit` finds such copies).
    @Test func aNearIdenticalTwinMakesAnImageScoreClearer() throws {
        var data = try neu(perClass: 30)
        let alone = try measure(folds: 3, epochs: 10).scores(for: data).ambiguity
        // The ten most ambiguous images, each copied with every pixel off by at most one level.
        let hardest = alone.indices.sorted { alone[$0] > alone[$1] }.prefix(10)
        var twins = data
        for (n, i) in hardest.enumerated() {
            var copy = Array(data.pixels[(i * data.imageSize)..<((i + 1) * data.imageSize)])
            for p in copy.indices where (p + n) % 3 == 0 { copy[p] = copy[p] < 255 ? copy[p] + 1 : 254 }
            twins.pixels += copy
            twins.gold.append(data.gold[i]); twins.delivered.append(data.delivered[i]); twins.annotators.append(-1)
            twins.ambiguity.append(.nan); twins.splits.append(data.splits[i])
        }
        data = twins
        let together = try measure(folds: 3, epochs: 10).scores(for: data).ambiguity
        let before = hardest.map { alone[$0] }.reduce(0, +), after = hardest.map { together[$0] }.reduce(0, +)
        #expect(after < before, "the ten hardest images: \(before / 10) alone, \(after / 10) with a twin")
    }

    @Test func imagesWithoutTruthOrAClassSmallerThanTheFoldsAreRefused() throws {
        var data = try Scenarios.named("steel-defects").generate(imageSize: 16, perClass: SplitCounts(train: 4, validation: 0, test: 0), seed: 1)
        #expect(throws: CurationError.self) { try measure(folds: 5, epochs: 1).scores(for: data) }
        data.gold[0] = -1
        do {
            _ = try measure(folds: 2, epochs: 1).scores(for: data)
            Issue.record("an image without a true label was scored")
        } catch let error as CurationError {
            #expect("\(error)".contains("1 of the 24 images have no true label"), "\(error)")
        }
    }

    /// NEU at 32 px: `perClass` images of each class (the first by file name), or as many as `except` says.
    private func neu(perClass: Int, except: [String: Int] = [:]) throws -> Dataset {
        var options = ImportOptions()
        options.imageSize = 32
        options.channels = 1
        options.labelsAreGold = true
        let all = try Dataset.importFolder(shared + "/data/neu-det", options: options).dataset
        var seen: [Int32: Int] = [:]
        let drop = Set(all.gold.indices.filter { i in
            let k = all.gold[i]
            seen[k, default: 0] += 1
            return seen[k]! > except[all.classNames[Int(k)], default: perClass]
        })
        return all.removing(drop, reason: "test subset")
    }
}
