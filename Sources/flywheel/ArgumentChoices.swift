import ArgumentParser
import Curation
import Engine

// Choices the library names as enums are typed options on the command line: the parser checks
// them and `--help` lists the allowed values from the code, not from text typed by hand.
extension Architecture: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension LabelIssueFilter: ExpressibleByArgument {}
extension LabelQualityScore: ExpressibleByArgument {}
