// Writes trial files into a folder, one after another, printing "done <id>" after each: the
// victim of the store's SIGKILL test. Usage: StoreCrashWriter FOLDER COUNT
import Foundation
import Store

let arguments = CommandLine.arguments
guard arguments.count == 3, let count = Int(arguments[2]) else {
    FileHandle.standardError.write("usage: StoreCrashWriter FOLDER COUNT\n".data(using: .utf8)!)
    exit(2)
}
let weights = (0..<8).map { layer in
    WeightTensor(layer: "layer\(layer)", kind: "dense", name: "kernel", shape: [256, 256],
                 values: (0..<65_536).map { Float(($0 * 31 + layer) % 977) / 977 })
}
for index in 0..<count {
    var record = TrialRecord(trialID: String(format: "trial-%04d", index), experiment: "crash", arm: .baseline, variant: "none",
                             seed: Int64(index), status: .completed, config: "seed: \(index)\n", gitCommit: "none",
                             versions: [:], startedAt: "", finishedAt: "", wallSeconds: 0, trainFLOPs: 0, classNames: ["a", "b"])
    record.weights = weights
    try TrialFile.write(record, to: arguments[1])
    FileHandle.standardOutput.write("done \(record.trialID)\n".data(using: .utf8)!)
}
