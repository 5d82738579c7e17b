import Foundation
import Testing
@testable import GatewayCore
@testable import GatewayServer

@Suite struct AuditLogTests {
    @Test func linesAreJSONAndTheFileIsCappedWithOneRotation() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("audit.jsonl").path
        let log = try AuditLog(path: path, maxBytes: 1000)
        for index in 0..<40 {
            log.record(["event": "tool_call", "index": .int(Int64(index))])
        }
        let current = try String(contentsOfFile: path, encoding: .utf8)
        let rotated = try String(contentsOfFile: path + ".1", encoding: .utf8)
        #expect(current.utf8.count <= 1000)
        #expect(rotated.utf8.count <= 1000)
        let entries = try current.split(separator: "\n").map { try JSONValue.parse(Data($0.utf8)) }
        #expect(entries.last?["index"] == 39)
        #expect(entries.allSatisfy { $0["time"]?.stringValue?.hasSuffix("Z") == true })
        var status = stat()
        stat(path, &status)
        #expect(status.st_mode & 0o777 == 0o600)
    }
}
