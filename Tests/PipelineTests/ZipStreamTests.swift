import Foundation
@testable import Pipeline
import Testing
import TestSupport

/// The export's ZIP writer, read back by Python's zipfile (CRC-32 checked by testzip): plain records, and the
/// ZIP64 ones that archives past 4 GiB need (forced here with a limit of 0, so that every entry uses them).
@Suite struct ZipStreamTests {
    @Test(arguments: [UInt64(0xFFFF_FFFF), 0])
    func pythonReadsEveryEntryBack(_ zip64Limit: UInt64) async throws {
        var zip = ZipStream(zip64Limit: zip64Limit)
        var archive: [UInt8] = []
        let entries: [(String, [UInt8])] = [("names.npy", NPYArray.unicode(["A/b", "Ünïcode/ME"])), ("0/data.npy", NPYArray.float64([1.5, -0.0, .infinity])),
                                            ("empty", []), ("0/run_number.npy", NPYArray.int64([380001, 380008]))]
        for (name, bytes) in entries {
            zip.begin(name, expectedSize: UInt64(bytes.count))
            // In two parts, as the export streams data.
            zip.append(Array(bytes.prefix(7)))
            zip.append(Array(bytes.dropFirst(7)))
            zip.end()
            archive += zip.pending
            zip.clearPending()
        }
        zip.finish()
        archive += zip.pending
        let path = try TemporaryFolder().url.appendingPathComponent("a.zip")
        try Data(archive).write(to: path)
        let script = """
            import sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None
            for info in z.infolist():
                print(info.filename, info.file_size, z.read(info).hex())
            """
        let outcome = try await Binary.offPool { () throws -> (Int32, String) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script, path.path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        #expect(outcome.0 == 0)
        let expected = entries.map { name, bytes in "\(name) \(bytes.count) \(bytes.map { String(format: "%02x", $0) }.joined())" }.joined(separator: "\n") + "\n"
        #expect(outcome.1 == expected)
    }
}
