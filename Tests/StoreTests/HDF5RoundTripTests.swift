import Foundation
import Testing
@testable import Store

/// The Swift API over HDF5: every type and shape, attributes, compression, errors, no leaks.
extension StoreSuite {
@Suite struct HDF5RoundTripTests {
    @Test func numericDatasetsRoundTripInEveryTypeAndShape() throws {
        let path = temporaryFolder() + "/types.h5"
        do {
            let file = try HDF5File.create(path)
            let root = try file.root
            try root.write("float", [Float(1.5), -2, 3e-8], shape: [3])
            try root.write("double", [Double.pi], shape: [])
            try root.write("int32", (0..<24).map { Int32($0 - 12) }, shape: [2, 3, 4])
            try root.write("int64", [Int64.max, Int64.min], shape: [2, 1])
            try root.write("uint8", (0..<6).map { UInt8($0 * 50) }, shape: [1, 2, 3, 1])
            try root.write("empty", [Float](), shape: [0, 5])
            try root.write("strings", strings: ["crazing", "", "rolled-in scale ✓"])
            try file.close()
        }
        let root = try HDF5File.open(path).root
        #expect(try root.read("float", as: Float.self) == ([1.5, -2, 3e-8], [3]))
        #expect(try root.read("double", as: Double.self) == ([Double.pi], []))
        #expect(try root.read("int32", as: Int32.self) == ((0..<24).map { Int32($0 - 12) }, [2, 3, 4]))
        #expect(try root.read("int64", as: Int64.self) == ([Int64.max, Int64.min], [2, 1]))
        #expect(try root.read("uint8", as: UInt8.self) == ((0..<6).map { UInt8($0 * 50) }, [1, 2, 3, 1]))
        #expect(try root.read("empty", as: Float.self) == ([], [0, 5]))
        #expect(try root.readStrings("strings") == ["crazing", "", "rolled-in scale ✓"])
        #expect(try root.childNames() == ["double", "empty", "float", "int32", "int64", "strings", "uint8"])
        #expect(try root.shape(of: "int32") == [2, 3, 4])
        #expect(try root.isGroup("int32") == false)
    }

    @Test func attributesRoundTrip() throws {
        let path = temporaryFolder() + "/attributes.h5"
        do {
            let file = try HDF5File.create(path)
            let group = try file.root.createGroup("g")
            try group.setAttribute("f", Float(0.25))
            try group.setAttribute("d", 1e-300)
            try group.setAttribute("i32", Int32(-7))
            try group.setAttribute("i64", Int64(1) << 40)
            try group.setAttribute("u8", UInt8(255))
            try group.setAttribute("vector", [1.0, 2.0, 3.0])
            try group.setAttribute("text", "line one\nline two — ünïcode")
            try group.setAttribute("text", "replaced")
            try file.close()
        }
        let root = try HDF5File.open(path).root
        #expect(try root.isGroup("g"))
        let group = try root.group("g")
        #expect(try group.attribute("f", as: Float.self) == 0.25)
        #expect(try group.attribute("d", as: Double.self) == 1e-300)
        #expect(try group.attribute("i32", as: Int32.self) == -7)
        #expect(try group.attribute("i64", as: Int64.self) == 1 << 40)
        #expect(try group.attribute("u8", as: UInt8.self) == 255)
        #expect(try group.attributeValues("vector", as: Double.self) == [1, 2, 3])
        #expect(try group.stringAttribute("text") == "replaced")
        #expect(try group.attributeNames() == ["d", "f", "i32", "i64", "text", "u8", "vector"])
    }

    @Test func largeArraysAreChunkedAndCompressedSmallOnesAreNot() throws {
        let path = temporaryFolder() + "/compressed.h5"
        let file = try HDF5File.create(path)
        let root = try file.root
        try root.write("large", [Float](repeating: 1, count: 100_000), shape: [100, 1000])
        try root.write("small", [Float](repeating: 1, count: 10), shape: [10])
        #expect(try root.filters(of: "large") == [2, 1])   // H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE
        #expect(try root.filters(of: "small") == [])
        try file.close()
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(size < 100_000)   // 400 kB of ones compress to a few kB
    }

    @Test func errorsNameTheFileAndObjectAndCarryHDF5sMessage() throws {
        let path = temporaryFolder() + "/errors.h5"
        let file = try HDF5File.create(path)
        let root = try file.root
        try root.write("x", [Int32(1)], shape: [1])
        #expect(throws: HDF5Error(file: path, object: "/missing", operation: "no such dataset")) { try root.read("missing", as: Float.self) }
        #expect(throws: HDF5Error(file: path, object: "/x", operation: "expected Float, found HDF5 type class 0")) { try root.read("x", as: Float.self) }
        let duplicate = #expect(throws: HDF5Error.self) { try root.write("x", [Int32(2)], shape: [1]) }
        #expect(duplicate?.operation == "create dataset")
        #expect(duplicate?.library.isEmpty == false)
        #expect(throws: HDF5Error.self) { _ = try HDF5File.create(path) }   // exists, not overwritten
        try file.close()
    }

    @Test func noIdentifierIsLeftOpen() throws {
        let before = HDF5Library.openObjectCount
        let folder = temporaryFolder()
        do {
            let path = try TrialFile.write(sampleRecord(), to: folder)
            _ = try TrialFile.read(path)
            _ = try? TrialFile.read(folder + "/missing.h5")
            try MergedResults.write([sampleRecord()], to: folder + "/merged.h5")
        }
        #expect(HDF5Library.openObjectCount == before)
    }
}
}

extension StoreSuite {
/// HDF5 prints nothing to stderr, on any thread: every failure is an `HDF5Error`.
@Suite struct SilentErrorTests {
    @Test func failuresOnAFreshThreadPrintNothing() throws {
        let path = temporaryFolder() + "/silent.h5"
        let log = temporaryFolder() + "/stderr.txt"
        let captured = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let saved = dup(STDERR_FILENO)
        final class Count: @unchecked Sendable { var value = 0 }   // written by the thread, read after it ends
        let thrown = Count()
        let thread = Thread {
            dup2(captured, STDERR_FILENO)
            if let file = try? HDF5File.create(path), let root = try? file.root {
                try? root.write("x", [Int32(1)], shape: [1])
                do { try root.write("x", [Int32(1)], shape: [1]) } catch { thrown.value += 1 }
                do { _ = try HDF5File.create(path) } catch { thrown.value += 1 }
                try? file.close()
            }
            dup2(saved, STDERR_FILENO)
        }
        thread.start()
        while !thread.isFinished { usleep(1000) }
        close(captured); close(saved)
        #expect(thrown.value == 2)
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "")
    }
}
}
