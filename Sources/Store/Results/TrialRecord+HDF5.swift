import Foundation
/// The trial layout inside an HDF5 group (the root of a trial file, or /trials/<id> of a merged file).
extension TrialRecord {
    /// Writes the record into `group`. Weights are written when `includeWeights` is true.
    func write(to group: HDF5Group, includeWeights: Bool = true) throws {
        for (name, value) in [("trial_id", trialID), ("experiment", experiment), ("arm", arm.rawValue), ("variant", variant),
                              ("status", status.rawValue), ("error", error), ("config", config), ("git_commit", gitCommit),
                              ("started_at", startedAt), ("finished_at", finishedAt)] {
            try group.setAttribute(name, value)
        }
        try group.setAttribute("schema_version", schemaVersion)
        try group.setAttribute("seed", seed)
        try group.setAttribute("wall_seconds", wallSeconds)
        try group.setAttribute("train_flops", trainFLOPs)
        if let inferenceFLOPs { try group.setAttribute("inference_flops", inferenceFLOPs) }
        try group.setAttribute("test_labels", testLabelsAreGold ? "gold" : "delivered")
        for (name, value) in (costs?.storedValues ?? [:]).sorted(by: { $0.key < $1.key }) { try group.setAttribute("cost_" + name, value) }
        for (name, value) in (analysisPlan?.storedValues ?? [:]).sorted(by: { $0.key < $1.key }) { try group.setAttribute("analysis_" + name, value) }
        if let experimentSHA256 {
            try group.setAttribute("experiment_sha256", experimentSHA256)
            try group.setAttribute("experiment_overrides", experimentOverrides)
        }
        for (name, version) in versions.sorted(by: { $0.key < $1.key }) { try group.setAttribute("version_\(name)", version) }
        for (name, fact) in platform.sorted(by: { $0.key < $1.key }) { try group.setAttribute("platform_\(name)", fact) }
        try group.write("class_names", strings: classNames)
        if let metrics { try metrics.write(to: try group.createGroup("metrics")) }
        try curves.write(to: try group.createGroup("curves"))
        let curationGroup = try group.createGroup("curation")
        for (index, step) in curation.enumerated() { try step.write(to: try curationGroup.createGroup(String(format: "%02d_%@", index, step.name))) }
        if includeWeights {
            let weightsGroup = try group.createGroup("weights")
            for (layer, tensors) in Dictionary(grouping: weights, by: \.layer).sorted(by: { $0.key < $1.key }) {
                let layerGroup = try weightsGroup.createGroup(layer)
                try layerGroup.setAttribute("kind", tensors[0].kind)
                for tensor in tensors { try layerGroup.write(tensor.name, tensor.values, shape: tensor.shape) }
            }
        }
        if let predictions {
            let predictionsGroup = try group.createGroup("predictions")
            try predictionsGroup.write("probabilities", predictions, shape: [predictions.count / max(classNames.count, 1), classNames.count])
            if let testLabels { try predictionsGroup.write("labels", testLabels, shape: [testLabels.count]) }
        }
    }

    /// Reads a record from `group`, checking the schema version and status first.
    /// - Throws: `HDF5Error` naming the file and object for a newer schema, an unknown status or
    ///   a missing part.
    static func read(from group: HDF5Group, includeWeights: Bool = true) throws -> TrialRecord {
        let path = group.file.path
        guard group.hasAttribute("schema_version") else {
            throw HDF5Error(file: path, object: group.path, operation: "not a Flywheel trial: no schema_version attribute")
        }
        let version: Int64 = try group.attribute("schema_version")
        guard version <= currentSchemaVersion else {
            throw HDF5Error(file: path, object: group.path,
                            operation: "schema version \(version) is newer than this Flywheel reads (\(currentSchemaVersion)); update Flywheel")
        }
        let statusText = try group.stringAttribute("status")
        guard let status = TrialStatus(rawValue: statusText) else {
            throw HDF5Error(file: path, object: group.path, operation: "unknown status '\(statusText)'; expected completed, diverged or failed")
        }
        let armText = try group.stringAttribute("arm")
        guard let arm = Arm(rawValue: armText) else {
            throw HDF5Error(file: path, object: group.path,
                            operation: "unknown arm '\(armText)'; expected \(Arm.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let versions = try group.stringAttributes(prefixed: "version_"), platform = try group.stringAttributes(prefixed: "platform_")
        var record = TrialRecord(
            trialID: try group.stringAttribute("trial_id"), experiment: try group.stringAttribute("experiment"),
            arm: arm, variant: try group.stringAttribute("variant"),
            seed: try group.attribute("seed"), status: status, config: try group.stringAttribute("config"),
            gitCommit: try group.stringAttribute("git_commit"), versions: versions,
            startedAt: try group.stringAttribute("started_at"), finishedAt: try group.stringAttribute("finished_at"),
            wallSeconds: try group.attribute("wall_seconds"), trainFLOPs: try group.attribute("train_flops"),
            classNames: try group.readStrings("class_names"))
        record.schemaVersion = version
        record.platform = platform
        record.error = try group.stringAttribute("error")
        let attributes = try group.attributeNames()
        if attributes.contains("inference_flops") { record.inferenceFLOPs = try group.attribute("inference_flops") }
        if attributes.contains("test_labels") { record.testLabelsAreGold = try group.stringAttribute("test_labels") != "delivered" }
        var costValues: [String: Double] = [:]
        for name in attributes where name.hasPrefix("cost_") { costValues[String(name.dropFirst(5))] = try group.attribute(name) }
        record.costs = CostSchedule(stored: costValues)
        var planValues: [String: Double] = [:]
        for name in attributes where name.hasPrefix("analysis_") { planValues[String(name.dropFirst(9))] = try group.attribute(name) }
        record.analysisPlan = AnalysisPlan(stored: planValues)
        if attributes.contains("experiment_sha256") {
            record.experimentSHA256 = try group.stringAttribute("experiment_sha256")
            record.experimentOverrides = try group.stringAttribute("experiment_overrides")
        }
        if group.contains("metrics") { record.metrics = try TrialMetrics.read(from: try group.group("metrics")) }
        record.curves = try TrialCurves.read(from: try group.group("curves"))
        let curationGroup = try group.group("curation")
        record.curation = try curationGroup.childNames().map { try StepRecord.read(from: try curationGroup.group($0)) }
        if includeWeights && group.contains("weights") {
            let weightsGroup = try group.group("weights")
            for layer in try weightsGroup.childNames() {
                let layerGroup = try weightsGroup.group(layer)
                let kind = try layerGroup.stringAttribute("kind")
                for name in try layerGroup.childNames() {
                    let (values, shape) = try layerGroup.read(name, as: Float.self)
                    record.weights.append(WeightTensor(layer: layer, kind: kind, name: name, shape: shape, values: values))
                }
            }
        }
        if group.contains("predictions") {
            let predictionsGroup = try group.group("predictions")
            record.predictions = try predictionsGroup.read("probabilities", as: Float.self).values
            if predictionsGroup.contains("labels") { record.testLabels = try predictionsGroup.read("labels", as: Int32.self).values }
        }
        return record
    }
}

extension TrialMetrics {
    func write(to group: HDF5Group) throws {
        let k = recall.count
        try group.write("accuracy", [accuracy], shape: [])
        try group.write("macro_f1", [macroF1], shape: [])
        try group.write("recall", recall, shape: [k])
        try group.write("precision", precision, shape: [k])
        try group.write("confusion", confusion.flatMap { $0.map(Int64.init) }, shape: [k, k])
        try group.write("validation_accuracy", [validationAccuracy ?? .nan], shape: [])
        if let verifiedValidationAccuracy { try group.write("verified_validation_accuracy", [verifiedValidationAccuracy], shape: []) }
        if let validationBalancedAccuracy { try group.write("validation_balanced_accuracy", [validationBalancedAccuracy], shape: []) }
        if let verifiedValidationBalancedAccuracy {
            try group.write("verified_validation_balanced_accuracy", [verifiedValidationBalancedAccuracy], shape: [])
        }
    }

    static func read(from group: HDF5Group) throws -> TrialMetrics {
        let (confusion, shape) = try group.read("confusion", as: Int64.self)
        let k = shape.first ?? 0
        let validation = try group.read("validation_accuracy", as: Double.self).values[0]
        let optional = { (name: String) throws -> Double? in group.contains(name) ? try group.read(name, as: Double.self).values[0] : nil }
        return TrialMetrics(
            accuracy: try group.read("accuracy", as: Double.self).values[0],
            macroF1: try group.read("macro_f1", as: Double.self).values[0],
            recall: try group.read("recall", as: Double.self).values, precision: try group.read("precision", as: Double.self).values,
            confusion: (0..<k).map { row in confusion[(row * k)..<(row * k + k)].map { Int($0) } },
            validationAccuracy: validation.isNaN ? nil : validation, verifiedValidationAccuracy: try optional("verified_validation_accuracy"),
            validationBalancedAccuracy: try optional("validation_balanced_accuracy"),
            verifiedValidationBalancedAccuracy: try optional("verified_validation_balanced_accuracy"))
    }
}

extension TrialCurves {
    func write(to group: HDF5Group) throws {
        try group.write("epoch", (0..<trainLoss.count).map { Int32($0 + 1) }, shape: [trainLoss.count])
        for (name, values) in [("train_loss", trainLoss), ("train_accuracy", trainAccuracy),
                               ("validation_accuracy", validationAccuracy), ("learning_rate", learningRate)] {
            try group.write(name, values, shape: [values.count])
        }
    }

    static func read(from group: HDF5Group) throws -> TrialCurves {
        TrialCurves(trainLoss: try group.read("train_loss", as: Double.self).values,
                    trainAccuracy: try group.read("train_accuracy", as: Double.self).values,
                    validationAccuracy: try group.read("validation_accuracy", as: Double.self).values,
                    learningRate: try group.read("learning_rate", as: Double.self).values)
    }
}

extension StepRecord {
    /// The step's name as attribute `step`, its effort and outcomes as numeric attributes (effort
    /// under `Effort`'s stored names), indices as datasets, series in a `series` group.
    func write(to group: HDF5Group) throws {
        try group.setAttribute("step", name)
        for (key, value) in storedValues.sorted(by: { $0.key < $1.key }) { try group.setAttribute(key, value) }
        for (key, values) in stored.indices.sorted(by: { $0.key < $1.key }) { try group.write(key, values, shape: [values.count]) }
        guard !stored.series.isEmpty else { return }
        let seriesGroup = try group.createGroup("series")
        for (key, values) in stored.series.sorted(by: { $0.key < $1.key }) { try seriesGroup.write(key, values, shape: [values.count]) }
    }

    static func read(from group: HDF5Group) throws -> StepRecord {
        var step = StepRecord(name: try group.stringAttribute("step"))
        var spent: [String: Double] = [:]
        for key in try group.attributeNames() where key != "step" {
            let value = try group.attribute(key, as: Double.self)
            if Effort.storedNames.contains(key) { spent[key] = value } else { step.stored.values[key] = value }
        }
        if !spent.isEmpty { step.effort = Effort(stored: spent) }
        for key in try group.childNames() where key != "series" { step.stored.indices[key] = try group.read(key, as: Int64.self).values }
        if group.contains("series") {
            let seriesGroup = try group.group("series")
            for key in try seriesGroup.childNames() { step.stored.series[key] = try seriesGroup.read(key, as: Double.self).values }
        }
        return step
    }
}

extension HDF5Group {
    /// The string attributes whose names start with `prefix`, keyed by the rest of the name.
    fileprivate func stringAttributes(prefixed prefix: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for name in try attributeNames() where name.hasPrefix(prefix) {
            result[String(name.dropFirst(prefix.count))] = try stringAttribute(name)
        }
        return result
    }
}
