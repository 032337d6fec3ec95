import ArgumentParser

/// The dataset file `data generate` and `data import` write, and its image size.
struct DatasetOutput: ParsableArguments {
    @Option(help: "Output HDF5 file (must not exist).")
    var out: String

    @Option(help: "Image size in pixels (square).")
    var size = 64
}
