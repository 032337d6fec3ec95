import Foundation
import TestSupport
import Testing

/// README is the front door: every `flywheel` command it shows names a subcommand that exists and
/// only options that subcommand takes, every command's `--help` runs, and the quick ones run as
/// written (those that train for minutes — reproduce, claims, a cluster run — are checked by their
/// own tests).
@Suite struct ReadmeCommandTests {
    private static let shared = ProcessInfo.processInfo.environment["FLYWHEEL_SHARED"]
        ?? URL(fileURLWithPath: packageRoot).deletingLastPathComponent().appendingPathComponent("shared").path
    /// The `flywheel …` lines of README's indented command blocks (comments cut), and of the `make` targets' recipes they name.
    static func readmeCommands() throws -> [[String]] {
        let readme = try String(contentsOfFile: packageRoot + "/README.md", encoding: .utf8)
        return readme.split(separator: "\n").compactMap { line -> [String]? in
            guard line.hasPrefix("    flywheel ") else { return nil }
            let command = line.dropFirst(4).split(separator: "#", maxSplits: 1)[0]
            return command.split(separator: " ").map(String.init)
        }
    }

    @Test func everyReadmeCommandUsesASubcommandAndOptionsThatExist() throws {
        let flywheel = builtExecutable("flywheel")
        let commands = try Self.readmeCommands()
        #expect(commands.count >= 8, "README shows \(commands.count) flywheel commands")
        var helps: [String: String] = [:]
        for words in commands {
            // The subcommand path: the words before the first argument that is not a subcommand (`data import`).
            var path = [words[1]]
            if words.count > 2, words[1] == "data", !words[2].hasPrefix("-") { path.append(words[2]) }
            let key = path.joined(separator: " ")
            if helps[key] == nil {
                let help = try runProcess(flywheel, path + ["--help"])
                #expect(help.status == 0, "flywheel \(key) --help: \(help.output)")
                helps[key] = help.output
            }
            for option in words.filter({ $0.hasPrefix("--") }) {
                let name = String(option.split(separator: "=")[0])
                #expect(helps[key]!.contains(name + " ") || helps[key]!.contains(name + "\n") || helps[key]!.contains(name + ","),
                        "README's `\(words.joined(separator: " "))`: flywheel \(key) has no \(name)")
            }
        }
    }

    @Test func everySubcommandsHelpRuns() throws {
        let flywheel = builtExecutable("flywheel")
        let root = try runProcess(flywheel, ["--help"])
        #expect(root.status == 0 && root.output.contains("SUBCOMMANDS"), "\(root.output)")
        let names = root.output.split(separator: "\n").drop { !$0.contains("SUBCOMMANDS") }.dropFirst()
            .compactMap { $0.split(separator: " ").first.map(String.init) }.filter { $0.allSatisfy { $0.isLetter || $0 == "-" } && !$0.isEmpty }
        #expect(names.contains("reproduce") && names.contains("claims") && names.contains("run"), "\(names)")
        for name in names {
            let help = try runProcess(flywheel, [name, "--help"])
            #expect(help.status == 0 && help.output.contains("USAGE"), "flywheel \(name) --help: \(help.output)")
        }
    }

    /// README's own-images path word for word, in a folder holding `my-line/` with `train/` and
    /// `test/` class folders of NEU images (eight and four a class: an import asks for ten a class), and `flywheel show` on the trial
    /// files of a tiny run named like README's.
    @Test func theQuickCommandsRunAsWritten() throws {
        let flywheel = builtExecutable("flywheel")
        let folder = NSTemporaryDirectory() + "flywheel-readme-\(UUID().uuidString.prefix(8))"
        let classes = ["crazing", "inclusion", "patches", "pitted_surface", "rolled-in_scale", "scratches"]
        for name in classes {
            for (split, numbers) in [("train", 1...8), ("test", 9...12)] {
                try FileManager.default.createDirectory(atPath: "\(folder)/my-line/\(split)/\(name)", withIntermediateDirectories: true)
                for number in numbers {
                    try FileManager.default.copyItem(atPath: "\(Self.shared)/data/neu-det/\(name)/\(name)_\(number).jpg",
                                                     toPath: "\(folder)/my-line/\(split)/\(name)/\(name)_\(number).jpg")
                }
            }
        }
        let commands = try Self.readmeCommands()
        let ownImages = commands.filter { ["data", "audit", "label-issues"].contains($0[1]) }
        #expect(ownImages.count == 4, "\(ownImages)")
        for words in ownImages {
            let result = try runProcess(flywheel, Array(words.dropFirst()), in: folder)
            #expect(result.status == 0, "README's `\(words.joined(separator: " "))`: \(result.output)")
        }
        for file in ["mine.h5", "mine-audit/audit.md", "review.csv", "mine-reviewed.h5"] {
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(file)"), "\(file) missing")
        }
        // `flywheel show` reads trial files, which a fresh clone does not have (results/ keeps the reports): a tiny
        // run of an experiment of the same name puts some where README's command looks.
        let tiny = """
            name: steel-defects
            seeds: [1, 2]
            dataset: {scenario: steel-defects, image_size: 16, per_class: {train: 8, val: 4, test: 4}}
            baseline:
              train: {epochs: 1, batch: 16}
            arms:
              model-centric:
                variants: [{train.lr: 0.05}]
              data-centric:
                steps: [{augment: {flips: true}}]
            """
        try tiny.write(toFile: folder + "/steel-defects.yaml", atomically: true, encoding: .utf8)
        let run = try runProcess(flywheel, ["run", "steel-defects.yaml", "--results", "results", "--notebooks", "nb", "--quiet"], in: folder)
        #expect(run.status == 0, "\(run.output)")
        for words in commands where words[1] == "show" {
            let result = try runProcess(flywheel, Array(words.dropFirst()), in: folder)
            #expect(result.status == 0 && result.output.contains("data − model"), "README's `\(words.joined(separator: " "))`: \(result.output)")
        }
    }
}
