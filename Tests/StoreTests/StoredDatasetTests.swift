import Foundation
import Testing
import Engine
@testable import Store

extension StoreSuite {
/// The dataset layout: round trip and validation.
@Suite struct StoredDatasetTests {
    private func sample() -> StoredDataset {
        StoredDataset(images: (0..<(4 * 5 * 6)).map { UInt8($0 % 256) }, imageShape: [4, 5, 6, 1],
                      classNames: ["crazing", "scratches"], goldLabels: [0, 1, -1, 1], deliveredLabels: [0, 0, 1, 1],
                      annotators: [0, 1, 2, -1], ambiguity: [0.1, 0.9, 0.5, 0], split: [0, 1, 2, 3],
                      provenance: ["source": "steel-defects", "seed": "7"])
    }

    @Test func aDatasetRoundTrips() throws {
        let path = temporaryFolder() + "/data.h5"
        try sample().write(to: path)
        #expect(try StoredDataset.read(from: path) == sample())
        let root = try HDF5File.open(path).root
        #expect(try root.stringAttribute("split_names") == "train,val,test,pool")
    }

    @Test func inconsistentDatasetsAreRefusedNamingFileAndPart() throws {
        let path = temporaryFolder() + "/bad.h5"
        var short = sample()
        short.annotators = [0]
        #expect(throws: HDF5Error(file: path, object: "/labels/annotator", operation: "expected 4 entries (one per image), got 1")) {
            try short.write(to: path)
        }
        var outOfRange = sample()
        outOfRange.deliveredLabels[2] = 5
        #expect(throws: HDF5Error(file: path, object: "/labels/delivered", operation: "entry 2 is 5; expected a class in 0..<2")) {
            try outOfRange.write(to: path)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        let trial = try TrialFile.write(sampleRecord(), to: temporaryFolder())
        #expect(throws: HDF5Error(file: trial, object: "/", operation: "not a Flywheel dataset: expected /images and a schema_version attribute")) {
            try StoredDataset.read(from: trial)
        }
    }
}
}

extension StoreSuite {
@Suite struct RuntimeVersionTests {
    @Test func versionsNameTheLinkedLibraries() {
        let versions = RuntimeVersions.all
        #expect(versions["hdf5"]?.hasPrefix("1.") == true)
        #expect(versions["openblas"]?.hasPrefix("OpenBLAS") == true)
        #expect(versions["flywheel"] == RuntimeVersions.flywheel)
    }

    @Test func theCommitIsFlywheelsOwnFixedAtBuildTime() throws {
        // Built from this checkout: the recorded commit is its HEAD (plus "+dirty" while edits are uncommitted),
        // whatever the current folder is.
        let commit = RuntimeVersions.flywheelCommit
        #expect(commit.prefix(40).allSatisfy(\.isHexDigit) && commit.count >= 40, "got '\(commit)'")
        let platform = RuntimePlatform.current(threads: 3)
        #expect(platform["threads"] == "3")
        #expect(platform["openblas_core"] == BLASThreads.coreName)
    }
}
}
