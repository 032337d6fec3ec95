import Datasets
import Engine
import Foundation
import Store

extension PretrainedWeights {
    /// The weights of the trial file at `path` (`flywheel train --out`, or any experiment's trial),
    /// for `init: PATH` under `baseline:` or in a variant.
    /// - Throws: `ConfigError` at `key` when the file cannot be read as a trial file or holds no weights.
    static func read(trialFile path: String, key: ConfigReader) throws -> PretrainedWeights {
        let record: TrialRecord
        do { record = try TrialFile.read(path, includeWeights: true) } catch {
            throw ConfigError("\(key.path): \(path) is not a trial file with weights: \(error) (\(key.tree.origin))")
        }
        guard !record.weights.isEmpty else {
            throw ConfigError("\(key.path): \(path) holds no weights; expected a trial file written with its model's weights (\(key.tree.origin))")
        }
        var bytes: [UInt8] = []
        for tensor in record.weights {
            bytes += Array("\(tensor.layer)/\(tensor.name) \(tensor.shape)\n".utf8)
            tensor.values.withUnsafeBytes { bytes += $0 }
        }
        // Layers in model order: by the index their stored names start with ("03_conv2d").
        let byLayer = Dictionary(grouping: record.weights, by: \.layer)
        let order = byLayer.keys.sorted { (Int($0.prefix { $0.isNumber }) ?? 0, $0) < (Int($1.prefix { $0.isNumber }) ?? 0, $1) }
        let layers = order.map { name in
            SavedLayer(name: name, kind: byLayer[name]![0].kind,
                       tensors: Dictionary(uniqueKeysWithValues: byLayer[name]!.map { ($0.name, Saved(shape: $0.shape, values: $0.values)) }))
        }
        return PretrainedWeights(source: path, sha256: sha256Hex(bytes), layers: layers)
    }
}

/// Where a pretraining trial's images came from: a dataset file or a built-in scenario, read from
/// the trial's stored configuration (an experiment trial's JSON, or `dataset: …` of `flywheel train`).
enum PretrainingData: Equatable {
    case file(String)
    case scenario(String)

    init?(trialFile path: String) {
        guard let record = try? TrialFile.read(path, includeWeights: false) else { return nil }
        if let json = try? JSONSerialization.jsonObject(with: Data(record.config.utf8)) as? [String: Any],
           let dataset = json["dataset"] as? [String: Any] {
            if let file = dataset["path"] as? String { self = .file(file); return }
            if let scenario = dataset["scenario"] as? String { self = .scenario(scenario); return }
        }
        guard let line = record.config.split(separator: "\n").first(where: { $0.hasPrefix("dataset: ") }) else { return nil }
        self = .file(String(line.dropFirst("dataset: ".count)))
    }
}

extension ExperimentConfig {
    /// Checks every recipe that starts from pretrained weights or pools its input before anything
    /// runs: the model builds on this experiment's images (the input size divides them, the weights
    /// fit), and pretraining never saw an image of the
    /// evaluated set — the pretraining trial's images compared with this experiment's by SHA-256 of
    /// their pixels (for built-in scenarios, by name).
    /// - Throws: `ConfigError` naming the weights file and the tensor that does not fit, or its data
    ///   and how many images they share, or why the check cannot be made.
    func checkPretrainedWeights() throws {
        for variant in [baseline] + modelCentric where variant.recipe.pretrained != nil || variant.recipe.inputSize != nil {
            do { _ = try inferenceMFLOPs(of: variant.recipe) } catch let error as EngineError {
                throw ConfigError("\(variant.name == "baseline" ? "baseline" : "arms.model-centric variant \(variant.name)"): \(error)")
            }
        }
        let sources = Set(([baseline] + modelCentric).compactMap { $0.recipe.pretrained?.source })
        for source in sources.sorted() {
            guard let pretraining = PretrainingData(trialFile: source) else {
                throw ConfigError("init: \(source) does not say which data it was trained on, so its overlap with the evaluated set cannot be checked")
            }
            switch (pretraining, data.scenario, data.path) {
            case (.scenario(let name), let evaluated?, _) where name == evaluated:
                throw ConfigError("init: \(source) was pretrained on the \(name) scenario, the data this experiment evaluates; pretrain on other data")
            case (.file(let file), _, let evaluated?):
                let shared = try sharedImages(file, evaluated, source: source)
                guard shared == 0 else {
                    throw ConfigError("init: \(source) was pretrained on \(file), which holds \(shared) of the images of \(evaluated) "
                                      + "(same pixels, by SHA-256); pretraining must never see the evaluated set")
                }
            default: continue
            }
        }
    }

    /// How many images of `evaluated` also occur in `pretraining`, by SHA-256 of their pixels.
    private func sharedImages(_ pretraining: String, _ evaluated: String, source: String) throws -> Int {
        guard FileManager.default.fileExists(atPath: pretraining) else {
            throw ConfigError("init: \(source) was pretrained on \(pretraining), which is not there to check against the evaluated set")
        }
        let (seen, checked) = (try Dataset.load(from: pretraining), try Dataset.load(from: evaluated))
        guard seen.height == checked.height, seen.channels == checked.channels else {
            throw ConfigError("init: \(source) was pretrained on \(pretraining) at \(seen.height) px × \(seen.channels) channel(s), the evaluated "
                              + "\(evaluated) is \(checked.height) px × \(checked.channels); import both alike so overlap can be checked")
        }
        let fingerprints = Set(seen.imageFingerprints)
        return checked.imageFingerprints.filter(fingerprints.contains).count
    }
}

extension Dataset {
    /// Each image's SHA-256 over its pixels, in sample order.
    var imageFingerprints: [String] {
        let per = height * width * channels
        return (0..<count).map { i in sha256Hex(pixels[(i * per)..<((i + 1) * per)]) }
    }
}
