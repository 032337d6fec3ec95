import ArgumentParser
import Audit
import Datasets
import Engine
import Foundation
import Harness
import Reports

/// `flywheel audit-check`: the audit's estimates against the levers applied, on built-in scenarios.
struct AuditCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit-check",
        abstract: "Check the audit's estimates on built-in scenarios: predict each lever's gain, then apply it and measure.",
        discussion: """
            For each scenario (and each --datasets file, which needs gold labels and a pool): draw the images, deliver the training, validation and pool labels with uniform noise at \
            --noise, audit the training split, then add the pool (as many images again, labelled the same noisy way; \
            all of it, and only the classes the audit named) and review the flagged labels with an oracle that reads \
            the gold labels. Writes the estimated and measured gains side by side to --out.

            Example:
              flywheel audit-check --out results/audit-check.md
            """)

    @Option(help: "Scenarios, comma-separated ('none' for none).")
    var scenarios = CommaList(Scenarios.all.map(\.name))

    @Option(help: "Dataset files with gold labels on every image and a pool split, comma-separated.")
    var datasets = CommaList<String>([])

    @Option(help: "Images per class and split; the pool is what collection adds.")
    var perClass = "train=40,val=20,test=100,pool=40"

    @Option(help: "Share of delivered labels flipped to a random other class.")
    var noise = 0.2

    @Option(help: "Seeds of every training, comma-separated.")
    var seeds = CommaList([1, 2, 3])

    @OptionGroup var recipe: RecipeOptions

    @OptionGroup var training: TrainingJobs

    @Option(help: "Markdown file to write (must not exist).")
    var out = "audit-check.md"

    func validate() throws {
        guard noise >= 0 && noise < 1 else { throw ValidationError("--noise must be in [0, 1), got \(noise).") }
        _ = try seeds.seeds()
    }

    func run() throws {
        try requireNewOutputFile(out)
        let counts = try parseSplitCounts(perClass)
        let seedList = try seeds.seeds()
        Parallelism.set(threads: training.threadsPerJob)
        var sections: [AuditCheckMarkdown.Section] = []
        var cases: [(name: String, source: String, data: Dataset)] = try scenarios.values.map { name in
            (name, "scenario \(name)", try Scenarios.named(name).generate(imageSize: 32, perClass: counts, seed: 1))
        }
        for path in datasets.values {
            cases.append(((path as NSString).lastPathComponent, path, try Dataset.load(from: path)))
        }
        for (name, source, data) in cases {
            var audit = Audit(recipe: recipe.recipe)
            audit.seeds = seedList
            audit.jobs = training.jobs
            audit.threads = training.threadsPerJob
            audit.variants = []
            audit.trainingChanges = []
            let check: AuditCheck
            do { check = try AuditCheck(data: data, noise: .uniform(rate: noise), audit: audit) } catch AuditError.unusable(let reason) {
                throw AuditError.unusable("\(source): \(reason)")
            }
            let bar = ProgressBar(label: name)
            let (result, rows, withPool) = try check.run { done, total, _ in bar.update(done, total) }
            bar.finish()
            sections.append(AuditCheckMarkdown.Section(scenario: name, audit: result, rows: rows, withPool: withPool))
            print("\(name): checked \(rows.count) levers")
        }
        let description = "Built-in scenarios at 32 px with \(perClass) images per class\(datasets.values.isEmpty ? "" : ", and " + datasets.values.joined(separator: ", ")); \(Int(100 * noise))% of the "
            + "training, validation and pool labels flipped at random; recipe \(recipe.model.rawValue), \(recipe.epochs) epochs; seeds \(seeds.defaultValueDescription). "
            + "Measured: the pool added with its noisy labels, and the flagged labels reviewed by an oracle that reads the gold labels."
        try AuditCheckMarkdown.render(sections, description: description).write(toFile: out, atomically: true, encoding: .utf8)
        print("wrote \(out)")
    }
}
