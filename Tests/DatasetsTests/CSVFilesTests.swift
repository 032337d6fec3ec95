import Foundation
import Testing
@testable import Datasets

/// The one CSV reader behind every CSV Flywheel reads, and the NumPy array reader: what
/// spreadsheets, Python's csv module and np.save write comes back as written.
@Suite struct CSVFilesTests {
    private func file(_ bytes: [UInt8], _ name: String = "t.csv") throws -> String {
        let folder = NSTemporaryDirectory() + "flywheel-csv-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + name))
        return folder + "/" + name
    }

    private func file(_ text: String) throws -> String { try file(Array(text.utf8)) }

    @Test func crlfAByteOrderMarkQuotesAndATrailingBlankLineReadAsWritten() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let path = try file(bom + Array("id,note\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\r\nlines\"\r\n\r\n".utf8))
        let table = try CSVTable(contentsOf: path)
        #expect(table.header == ["id", "note"])
        #expect(table.rows.map(\.fields) == [["1", "a, b"], ["2", "say \"hi\""], ["3", "two\r\nlines"]])
        #expect(table.rows.map(\.line) == [2, 3, 4])
        #expect(try CSVTable(contentsOf: try file("id,note\n1,x\n")).rows.map(\.fields) == [["1", "x"]])
    }

    @Test func recordsAcrossTheReadWindowComeBackWhole() throws {
        // About 3 MB: records, quoted line breaks and CRLFs fall on every side of the 1 MB window's edges.
        let rows = (0..<60_000).map { i in (String(i), "note \(i), \"quoted\"\r\nline \(i % 7)") }
        var text = "id,note\r\n"
        for (id, note) in rows { text += id + ",\"" + note.replacingOccurrences(of: "\"", with: "\"\"") + "\"\r\n" }
        let table = try CSVTable(contentsOf: try file(text))
        #expect(table.rows.count == rows.count)
        #expect(table.rows.map(\.fields) == rows.map { [$0.0, $0.1] })
        #expect(table.rows.last?.line == 2 + 2 * (rows.count - 1))
        let numbers = (0..<200_000).map { Double($0) / 7 }
        let parsed = try CSVNumbers(contentsOf: try file(numbers.map { "\($0),\(1 - $0)" }.joined(separator: "\n")))
        #expect(parsed.columns == 2 && parsed.values == numbers.flatMap { [$0, 1 - $0] })
    }

    @Test func badCSVNamesTheFileLineAndShowsInvisibleCharacters() throws {
        let open = try file("a,b\n1,\"never closed\n")
        #expect(throws: DatasetError.invalid("\(open) line 2: a quoted field is not closed")) { try CSVTable(contentsOf: open) }
        let width = try file("a,b\n1,2,3\n")
        #expect(throws: DatasetError.invalid("\(width) line 2: expected 2 fields (a,b), got 3")) { try CSVTable(contentsOf: width) }
        let numbers = try file("0.5,0.5\n0.5,0.5\u{00A0}\n")
        #expect(throws: DatasetError.invalid("\(numbers) line 2: expected a number, got '0.5\\u{00A0}'")) { try CSVNumbers(contentsOf: numbers) }
        #expect(visible("a\r\u{FEFF}b\t") == "'a\\r\\u{FEFF}b\\t'")
    }

    @Test func numbersReadExactlyAsStrtodReadsThem() throws {
        let texts = ["0.1", "0.123456", "-0.0", "1e-7", "2.5E+3", "0.30000000000000004", "123456789012345678", "1e-30",
                     "9007199254740993", ".5", "5.", "4.9e-324", "nan", "inf"]
        let table = try CSVNumbers(contentsOf: try file("x\n" + texts.joined(separator: "\n") + "\n"))
        #expect(table.columns == 1 && table.lines == Array(2...(texts.count + 1)))
        for (text, value) in zip(texts, table.values) {
            let expected = strtod(text, nil)
            #expect(value.bitPattern == expected.bitPattern || (value.isNaN && expected.isNaN), "\(text): \(value) vs \(expected)")
        }
        let width = try file("1,2\n3\n")
        #expect(throws: DatasetError.invalid("\(width) line 2: expected 2 numbers like the rows before, got 1 fields")) { try CSVNumbers(contentsOf: width) }
    }

    @Test func npyFilesOfEveryVersionAndCommonTypeRead() throws {
        func npy(version: UInt8, descr: String, shape: String, fortran: Bool = false, data: [UInt8]) -> [UInt8] {
            var header = Array("{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }".utf8)
            let lengthBytes = version == 1 ? 2 : 4
            while (10 + lengthBytes - 2 + header.count + 1) % 64 != 0 { header.append(0x20) }
            header.append(0x0A)
            let length = (0..<lengthBytes).map { UInt8((header.count >> (8 * $0)) & 0xFF) }
            return [0x93] + Array("NUMPY".utf8) + [version, 0] + length + header + data
        }
        let floats = [Float(0.25), 0.75, 1, 0].flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        let v1 = try NumpyFile(contentsOf: try file(npy(version: 1, descr: "<f4", shape: "(2, 2)", data: floats), "a.npy"))
        #expect(v1.shape == [2, 2] && v1.values == [0.25, 0.75, 1, 0] && v1.descr == "<f4")
        let ints = [Int64(3), -1].flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
        let v3 = try NumpyFile(contentsOf: try file(npy(version: 3, descr: "<i8", shape: "(2,)", data: ints), "b.npy"))
        #expect(v3.shape == [2] && v3.values == [3, -1] && v3.descr == "<i8")
        let fortran = try file(npy(version: 2, descr: "<f4", shape: "(2, 2)", fortran: true, data: floats), "c.npy")
        #expect(throws: DatasetError.invalid("\(fortran): the array is in Fortran order; save it in C order (np.ascontiguousarray)")) {
            try NumpyFile(contentsOf: fortran)
        }
        let big = try file(npy(version: 1, descr: ">f8", shape: "(1,)", data: [0, 0, 0, 0, 0, 0, 0, 0]), "d.npy")
        #expect(throws: (any Error).self) { try NumpyFile(contentsOf: big) }
        let short = try file(npy(version: 1, descr: "<f8", shape: "(3,)", data: [0, 0, 0, 0, 0, 0, 0, 0]), "e.npy")
        #expect(throws: DatasetError.invalid("\(short): holds 8 bytes of data, but shape [3] of '<f8' needs 24")) { try NumpyFile(contentsOf: short) }
        let text = try file(Array("not numpy at all".utf8), "f.npy")
        #expect(throws: DatasetError.invalid("\(text): not a NumPy .npy file (no \\x93NUMPY magic)")) { try NumpyFile(contentsOf: text) }
    }
}
