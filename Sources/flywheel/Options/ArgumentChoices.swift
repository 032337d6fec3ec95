import ArgumentParser
import Audit
import Curation
import Datasets
import Engine
import Harness
import Reports

// Choices the library names as enums are typed options on the command line: the parser checks
// them and `--help` lists the allowed values from the code, not from text typed by hand.
extension Architecture: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension SampleWeights: ExpressibleByArgument {}
extension LabelIssueFilter: ExpressibleByArgument {}
extension LabelQualityScore: ExpressibleByArgument {}
extension TrainingChange: ExpressibleByArgument {}

extension Split: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.description) }
    public var defaultValueDescription: String { description }
}
extension LauncherKind: ExpressibleByArgument {}
extension ReportFormat: ExpressibleByArgument {}
extension ReferenceVariant: ExpressibleByArgument {}
