import ArgumentParser

/// What `flywheel run` and `flywheel reproduce` share: starting over, where notebooks go, and how
/// much to print.
struct RunOutputOptions: ParsableArguments {
    @Flag(help: "Move earlier results aside and start over.")
    var fresh = false

    @Option(help: "Where the exported notebooks go.")
    var notebooks = "notebooks-export"

    @Flag(help: "Print only errors and the tables.")
    var quiet = false

    @Flag(help: "Also log every epoch of every trial.")
    var verbose = false
}
