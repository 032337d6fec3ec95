import Foundation
import TestSupport
import Testing

/// README is the front door: every `flywheel` command it shows names a subcommand that exists and
/// only options that subcommand takes, and every command's `--help` runs.
@Suite struct ReadmeCommandTests {
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
}
