import Foundation
import TestSupport
import Testing

/// The `flywheel data` and `flywheel train` commands end to end, through the built executable.
@Suite struct DataCommandTests {
    private func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try runProcess(builtExecutable("flywheel"), arguments)
    }

    @Test func generateInspectAndTrainEndToEnd() throws {
        let folder = NSTemporaryDirectory() + "flywheel-cli-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let data = folder + "/solar.h5"
        let generated = try run(["data", "generate", "solar-cells", "--out", data, "--size", "32", "--per-class", "train=40,val=10,test=20"])
        #expect(generated.status == 0, "\(generated.output)")
        #expect(generated.output.contains("wrote \(data): 280 images of 32×32, 4 classes"))
        let again = try run(["data", "generate", "solar-cells", "--out", data])
        #expect(again.status != 0)
        #expect(again.output.contains("\(data) already exists"))

        let inspected = try run(["data", "inspect", data])
        #expect(inspected.status == 0)
        #expect(inspected.output.contains("crack                   40     10     20      0"), "\(inspected.output)")

        let trial = folder + "/trial.h5"
        let trained = try run(["train", data, "--epochs", "3", "--seed", "2", "--quiet", "--out", trial])
        #expect(trained.status == 0, "\(trained.output)")
        #expect(trained.output.contains("test accuracy"))
        #expect(FileManager.default.fileExists(atPath: trial))
        let unknown = try run(["train", data, "--model", "vgg-16"])
        #expect(unknown.status == 2, "\(unknown.output)")
        #expect(unknown.output.contains("Please provide one of 'cnn-small', 'cnn-wide', 'cnn-deep', 'resnet-8' or 'resnet-18'"), "\(unknown.output)")
    }

    /// `--schedule` reaches the trainer (the rate each epoch ended at, read back with h5dump) and the
    /// trial's recorded config, as `--flips` does (the training's losses differ); a schedule the command line does not offer exits with 2.
    @Test func theScheduleOptionSetsTheRateEachEpochAndIsRecorded() throws {
        let folder = NSTemporaryDirectory() + "flywheel-schedule-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let data = folder + "/solar.h5"
        #expect(try run(["data", "generate", "solar-cells", "--out", data, "--size", "16", "--per-class", "train=10,val=4,test=4"]).status == 0)
        for (schedule, rates) in [("constant", "0.02, 0.02, 0.02, 0.02"), ("cosine", "0.0170711, 0.01, 0.00292893, 0")] {
            let trial = folder + "/\(schedule).h5"
            let trained = try run(["train", data, "--epochs", "4", "--schedule", schedule, "--threads", "1", "--quiet", "--out", trial])
            #expect(trained.status == 0, "\(trained.output)")
            let curve = try runProcess("/usr/bin/h5dump", ["-d", "/curves/learning_rate", trial]).output
            #expect(curve.contains("(0): \(rates)"), "\(curve)")
            let config = try runProcess("/usr/bin/h5dump", ["-a", "/config", trial]).output
            #expect(config.contains("schedule: \(schedule)"), "\(config)")
        }
        var losses: [String] = []
        for flips in [false, true] {
            let trial = folder + "/flips-\(flips).h5"
            #expect(try run(["train", data, "--epochs", "2", "--threads", "1", "--quiet", "--out", trial] + (flips ? ["--flips"] : [])).status == 0)
            let config = try runProcess("/usr/bin/h5dump", ["-a", "/config", trial]).output
            #expect(config.contains("flips: true") == flips, "\(config)")
            losses.append(try runProcess("/usr/bin/h5dump", ["-d", "/curves/train_loss", trial]).output.replacingOccurrences(of: trial, with: ""))
        }
        #expect(losses[0] != losses[1], "the flips did not change the training: \(losses[0])")
        let unknown = try run(["train", data, "--schedule", "linear"])
        #expect(unknown.status == 2 && unknown.output.contains("Please provide one of 'constant' and 'cosine'"), "\(unknown.output)")
    }

    /// Imported images have no ambiguity score until `data ambiguity` measures one; the input stays as it was.
    @Test func ambiguityScoresAnImportedSetIntoANewFile() throws {
        let folder = NSTemporaryDirectory() + "flywheel-cli-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // An imported set: two classes of 12 patterned images, labels taken as gold, no scores.
        let images = folder + "/images"
        for (index, name) in ["a", "b"].enumerated() {
            try FileManager.default.createDirectory(atPath: "\(images)/\(name)", withIntermediateDirectories: true)
            for i in 0..<12 {
                let pixels = (0..<64).map { UInt8(($0 * (index + 1) * 7 + i * 13) % 256) }
                try Data("P5\n8 8\n255\n".utf8 + pixels).write(to: URL(fileURLWithPath: "\(images)/\(name)/\(i).pgm"))
            }
        }
        let imported = try run(["data", "import", images, "--out", folder + "/set.h5", "--size", "8", "--labels-are-gold"])
        #expect(imported.status == 0, "\(imported.output)")
        let before = try run(["data", "inspect", folder + "/set.h5"])
        #expect(before.output.contains("ambiguity: no image has a score"), "\(before.output)")
        let original = try Data(contentsOf: URL(fileURLWithPath: folder + "/set.h5"))
        let scored = try run(["data", "ambiguity", folder + "/set.h5", "--out", folder + "/scored.h5", "--folds", "2", "--epochs", "2", "--threads", "1"])
        #expect(scored.status == 0, "\(scored.output)")
        #expect(scored.output.contains("24 images scored (2 trainings"), "\(scored.output)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/set.h5")) == original, "the input file changed")
        let after = try run(["data", "inspect", folder + "/scored.h5"])
        #expect(after.output.contains("ambiguity: scored on 24 of 24 images"), "\(after.output)")
        #expect(after.output.contains("provenance ambiguity: 1 - out-of-sample margin: 2-fold cnn-small, 2 epochs, seed 1, trained on the gold labels"),
                "\(after.output)")
    }

    @Test func aBadImportNamesTheFileAndWritesNothing() throws {
        let folder = NSTemporaryDirectory() + "flywheel-cli-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder + "/images/a", withIntermediateDirectories: true)
        try Data("P5\n4 4\n255\n".utf8 + [UInt8](repeating: 7, count: 5)).write(to: URL(fileURLWithPath: folder + "/images/a/short.pgm"))
        let out = folder + "/out.h5"
        let result = try run(["data", "import", folder + "/images", "--out", out])
        #expect(result.status != 0)
        #expect(result.output.contains("\(folder)/images/a/short.pgm: PGM/PPM is truncated: 5 of 16 pixel bytes"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// A team's CSV: three annotators per image with graded labels, settled by Dawid–Skene,
    /// inspected, and trained with the confidences as loss weights; a duplicated row writes nothing.
    @Test func severalAnnotatorsAndGradedLabelsEndToEnd() throws {
        let folder = NSTemporaryDirectory() + "flywheel-cli-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder + "/images", withIntermediateDirectories: true)
        var rows = ["path,annotator,label,confidence,split"]
        for i in 0..<24 {
            let shade = UInt8(i < 12 ? 40 + i : 200 - i), name = "img\(i).pgm"
            try Data("P5\n8 8\n255\n".utf8 + [UInt8](repeating: shade, count: 64)).write(to: URL(fileURLWithPath: folder + "/images/" + name))
            let truth = i < 12 ? "dark" : "light", other = i < 12 ? "light" : "dark"
            let split = i % 4 == 0 ? "test" : (i % 4 == 1 ? "val" : "train")
            rows += ["images/\(name),ann,\(truth),1,\(split)", "images/\(name),bob,\(i % 3 == 0 ? other : truth),0.5,\(split)",
                     "images/\(name),cyd,\(truth),,\(split)"]
        }
        let csv = folder + "/labels.csv", out = folder + "/team.h5"
        try (rows.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let imported = try run(["data", "import", csv, "--out", out, "--size", "8", "--grayscale", "--consensus", "dawid-skene"])
        #expect(imported.status == 0, "\(imported.output)")
        #expect(imported.output.contains("72 annotations; labels settled by dawid-skene"), "\(imported.output)")
        let inspected = try run(["data", "inspect", out])
        #expect(inspected.output.contains("annotations: 72 on 24 images; 24 images with several, 16 of them unanimous"), "\(inspected.output)")
        #expect(inspected.output.contains("graded labels: confidence given for 24 of 24 images"), "\(inspected.output)")
        let trained = try run(["train", out, "--epochs", "2", "--batch", "4", "--sample-weights", "confidence", "--quiet"])
        #expect(trained.status == 0, "\(trained.output)")
        #expect(trained.output.contains("(labels as delivered)"), "\(trained.output)")

        try (rows.joined(separator: "\n") + "\nimages/img0.pgm,ann,light,1,test\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let again = folder + "/again.h5"
        let duplicated = try run(["data", "import", csv, "--out", again, "--size", "8"])
        #expect(duplicated.status == 2)
        #expect(duplicated.output.contains("\(csv) line 74: annotator ann labels \(folder)/images/img0.pgm again (first on line 2)"), "\(duplicated.output)")
        #expect(!FileManager.default.fileExists(atPath: again))
    }
}
