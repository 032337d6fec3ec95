import ArgumentParser
import Datasets
import Foundation

/// `flywheel data import SOURCE --out DATASET.h5`.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Bring real images into a dataset file.",
        discussion: """
            SOURCE is a class-per-folder tree (root/<class>/*.bmp|png|jpg|pgm|ppm|tif, the images in the \
            class folder or in subfolders of it; --exclude leaves out masks and other files), a tree with split \
            folders above the class folders (root/train/<class>/…, root/val/…, root/test/…, root/pool/…, \
            any subset; detected, or --layout splits), or a label file (path,label[,annotator] per \
            row, or a header or --columns naming path, label, annotator, split, confidence in any order; \
            separated by commas, tabs, semicolons or spaces; paths relative to the file or --images). Several rows per image, one per annotator, become one \
            image: every annotation is stored, the delivered label is settled by --consensus and each \
            image's agreement is stored. A confidence (or probability) column in [0, 1] is stored per \
            image and can weight training (train.sample_weights: confidence). Splits the source gives \
            (folders or a split column) are kept as given, and --hold-out draws the ones they lack from \
            the training split (test=0.2 for train/ and val/ folders); otherwise each class is split by \
            the --split fractions. --verified names the splits whose \
            labels a person checked: they become the file's gold, so results on them are scored, not \
            "as delivered". Images (BMP, PGM/PPM, PNG and TIFF at 8 or 16 bits, JPEG) are decoded on \
            every core, converted to gray (--grayscale) or RGB, made square (--fit) and resized (area \
            averaging when shrinking, bilinear when enlarging). The result is a dataset file that \
            experiments read directly.

            Examples:
              flywheel data import ../shared/data/neu-det --out neu.h5 --size 64 --grayscale \\
                --split train=0.6,val=0.2,test=0.2 --seed 1 --labels-are-gold
              flywheel data import my-set/ --out mine.h5 --size 32 --verified test
            """)

    @Argument(help: "Image folder or CSV label file.")
    var source: String

    @OptionGroup var output: DatasetOutput

    @Flag(help: "One grayscale channel (default: three RGB channels).")
    var grayscale = false

    @Option(help: "Split fractions, e.g. train=0.6,val=0.2,test=0.2 (pool allowed).")
    var split = "train=0.6,val=0.2,test=0.2"

    @Option(help: ArgumentHelp("Splits the source's split folders or column do not give, drawn from its training split: the share of "
                               + "each class's training images, e.g. test=0.2 (train/ and val/ folders with no test/).", valueName: "fractions"))
    var holdOut: String?

    @Option(help: "Seed of the split (and of --hold-out's draw).")
    var seed: UInt64 = 1

    @Option(help: "Folder the CSV's image paths are relative to (default: the CSV's folder).")
    var images: String?

    @Option(help: ArgumentHelp("The columns of a label file, in order: path, label, annotator, split, confidence, or - to leave one "
                               + "out (e.g. path,label,- for `images/cell0001.png  1.0  mono`); they replace a header row if there is one.",
                               valueName: "names"))
    var columns: CommaList<String>?

    @Flag(help: "Treat the imported labels as the truth (gold), so injected noise can be scored.")
    var labelsAreGold = false

    @Option(help: "Folder layout: auto (split folders when every folder at the root is one), classes, splits.")
    var layout: Dataset.FolderLayout = .auto

    @Option(help: "Splits whose labels a person checked, e.g. test or val,test: their labels become the file's gold.")
    var verified = CommaList<Split>([])

    @Option(help: "How images that are not square become square: resize (stretch), crop (centre square), pad (with the image's mean).")
    var fit: ImageFit = .resize

    @Option(help: "How several annotators' labels of one image are settled: majority or dawid-skene.")
    var consensus: ConsensusMethod = .majority

    @Option(help: "The fewest images a class may have; a smaller class stops the import (exit 2).")
    var minPerClass = 10

    @Flag(help: "Skip unreadable images and list them, instead of stopping at the first.")
    var skipBad = false

    @Option(help: ArgumentHelp("Leave out the files and folders of a folder import that match this glob (repeatable): "
                               + "matched against the path below the root, the file's name and its folders' names; e.g. '*.png' "
                               + "for masks beside JPEG images, 'masks' for mask folders.", valueName: "pattern"))
    var exclude: [String] = []

    func run() throws {
        if isLabelFile(source) && !exclude.isEmpty {
            throw DatasetError.invalid("--exclude applies to a folder of images; \(source) is a label file, which lists its images")
        }
        if !isLabelFile(source) && columns != nil {
            throw DatasetError.invalid("--columns names the columns of a label file; \(source) is not a file")
        }
        try requireNewOutputFile(output.out)
        var options = ImportOptions()
        options.imageSize = output.size
        options.channels = grayscale ? 1 : 3
        options.fractions = try parseFractions(split)
        options.heldOut = try holdOut.map(parseHeldOut) ?? [:]
        options.seed = seed
        options.labelsAreGold = labelsAreGold
        options.skipBad = skipBad
        options.minimumPerClass = minPerClass
        options.verified = Set(verified.values)
        options.fit = fit
        options.consensus = consensus
        options.exclude = exclude
        options.labelColumns = columns?.values
        let bar = ProgressBar(label: "importing")
        let result: ImportResult
        if isLabelFile(source) {
            result = try Dataset.importCSV(source, imageRoot: images, options: options, progress: bar.update)
        } else {
            result = try Dataset.importFolder(source, layout: layout, options: options, progress: bar.update)
        }
        bar.finish()
        try result.dataset.save(to: output.out)
        if result.dataset.provenance["splits"] != nil { print("splits kept as the source gives them (--split not used)") }
        if let heldOut = result.dataset.provenance["held_out"] { print("held out from the training split: \(heldOut)") }
        if let method = result.dataset.provenance["consensus"] {
            print("\(result.dataset.annotations.count) annotations; labels settled by \(method)")
        }
        for skipped in result.skipped { print("skipped: \(skipped)") }
        if !result.excluded.isEmpty {
            print("left out by --exclude: \(result.excluded.count) files and folders (first: \(result.excluded[0]))")
        }
        print("wrote \(output.out): \(result.dataset.count) images, \(result.dataset.classNames.count) classes"
              + (result.skipped.isEmpty ? "" : ", \(result.skipped.count) skipped"))
    }
}

/// A label file is any file (`labels.csv`, `labels.txt`, `train.tsv`); anything else is read as a folder of images.
private func isLabelFile(_ path: String) -> Bool {
    var isFolder: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue
}

extension Dataset.FolderLayout: ExpressibleByArgument {}
extension ImageFit: ExpressibleByArgument {}
extension ConsensusMethod: ExpressibleByArgument {}
