import Foundation
import TestSupport
import Testing

/// `scripts/fetch-real.sh` fails clearly when a set's source cannot be had: exit 2 naming the
/// repository and the pinned commit, and nothing prepared; `scripts/real/pretrain.sh` when it is
/// asked for a set it has no pretraining experiment for.
@Suite struct FetchRealTests {
    @Test func anUnreachableSourceExitsWithTwoAndNamesTheRepositoryAndCommit() throws {
        let folder = NSTemporaryDirectory() + "flywheel-fetch-\(UUID().uuidString.prefix(8))"
        // A mirror of the first set's repository that lacks the pinned commit (an empty repository).
        let mirror = folder + "/sources/Fighter20092392+X-SDD-A-New-benchmark/repo"
        try FileManager.default.createDirectory(atPath: mirror, withIntermediateDirectories: true)
        let initialised = try runProcess("/usr/bin/git", ["init", "-q", "--bare", mirror])
        #expect(initialised.status == 0, "\(initialised.output)")
        let result = try runProcess(packageRoot + "/scripts/fetch-real.sh", [],
                                    environment: ["FLYWHEEL_OFFLINE": "1", "FLYWHEEL_SOURCES": folder + "/sources", "FLYWHEEL_REAL_OUT": folder + "/out"])
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("fetch-real: Fighter20092392/X-SDD-A-New-benchmark: no mirror at \(mirror) holds commit adf880814dbd365c73fc3643019272b5637fecc2"),
                "\(result.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/out").isEmpty)
    }

    @Test func pretrainingAnUnknownSetExitsWithTwoAndNamesTheSetsItKnows() throws {
        let result = try runProcess(packageRoot + "/scripts/real/pretrain.sh", ["nope"], environment: ["FLYWHEEL": "/bin/false"])
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("pretrain: nope: unknown set; expected one of neu-det xsdd deeppcb bccd"), "\(result.output)")
        let none = try runProcess(packageRoot + "/scripts/real/pretrain.sh", [])
        #expect(none.status == 2 && none.output.contains("name the evaluated sets"), "\(none.output)")
    }
}
