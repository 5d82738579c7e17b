import FoundationEssentials
import XCTest
@testable import GatewaySetup

/// `configure` with real files in a temporary folder.
final class HostConfiguratorTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.path + "/setup-tests-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    func testAMissingFileIsCreatedWithItsFolder() throws {
        for host in MCPHost.allCases {
            let path = "\(folder)/\(host.rawValue)/deeper/config"
            let outcome = try HostConfigurator.add(HostFixtures.entry(), for: host, at: path, dryRun: false)
            XCTAssertEqual(outcome.change, .added)
            XCTAssertNil(outcome.backupPath, "nothing to back up")
            XCTAssertEqual(try ConfigEditor.configuredEntry("godot", for: host, in: contents(path))?.command, HostFixtures.command)
        }
    }

    func testOneBackupAndTheSecondRunWritesNothing() throws {
        for host in MCPHost.allCases {
            let path = "\(folder)/\(host.rawValue).conf"
            let original = HostFixtures.existing(for: host)
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(original.utf8), attributes: [.posixPermissions: 0o640]))
            let first = try HostConfigurator.add(HostFixtures.entry(), for: host, at: path, dryRun: false)
            XCTAssertEqual(first.change, .added)
            XCTAssertEqual(first.backupPath, path + ".bak")
            XCTAssertEqual(contents(path + ".bak"), original)
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            XCTAssertEqual(mode, 0o640, "the file keeps its permissions")
            let written = contents(path)
            let second = try HostConfigurator.add(HostFixtures.entry(), for: host, at: path, dryRun: false)
            XCTAssertEqual(second.change, .unchanged)
            XCTAssertFalse(second.wrote)
            XCTAssertEqual(contents(path), written)
            XCTAssertEqual(contents(path + ".bak"), original, "the backup still holds the file before the change")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains("tmp") }
            XCTAssertEqual(leftovers, [])
        }
    }

    func testADryRunWritesNothing() throws {
        for host in MCPHost.allCases {
            let path = "\(folder)/\(host.rawValue).conf"
            let original = HostFixtures.existing(for: host)
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(original.utf8)))
            let outcome = try HostConfigurator.add(HostFixtures.entry(), for: host, at: path, dryRun: true)
            XCTAssertEqual(outcome.change, .added)
            XCTAssertFalse(outcome.wrote)
            XCTAssertTrue(outcome.newText?.contains(HostFixtures.command.replacingOccurrences(of: "\\", with: "\\\\")) ?? false)
            XCTAssertEqual(contents(path), original)
            XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".bak"))
            let missing = "\(folder)/none/\(host.rawValue)"
            XCTAssertEqual(try HostConfigurator.add(HostFixtures.entry(), for: host, at: missing, dryRun: true).change, .added)
            XCTAssertFalse(FileManager.default.fileExists(atPath: "\(folder)/none"))
        }
    }

    func testAnInvalidFileIsLeftUntouched() throws {
        for host in MCPHost.allCases {
            let path = "\(folder)/\(host.rawValue).conf"
            let invalid = HostFixtures.invalid(for: host)
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(invalid.utf8)))
            XCTAssertThrowsError(try HostConfigurator.add(HostFixtures.entry(), for: host, at: path, dryRun: false)) { error in
                XCTAssertTrue("\(error)".contains("left unchanged"), "\(error)")
                XCTAssertTrue("\(error)".contains(path), "\(error)")
            }
            XCTAssertThrowsError(try HostConfigurator.remove("godot", for: host, at: path, dryRun: false))
            XCTAssertEqual(contents(path), invalid)
            XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".bak"))
        }
    }

    func testRemoveAndRemoveAgain() throws {
        for host in MCPHost.allCases {
            let path = "\(folder)/\(host.rawValue).conf"
            let original = HostFixtures.existing(for: host)
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(original.utf8)))
            _ = try HostConfigurator.add(HostFixtures.entry(), for: host, at: path, dryRun: false)
            XCTAssertEqual(try HostConfigurator.remove("godot", for: host, at: path, dryRun: true).change, .removed)
            XCTAssertNotEqual(contents(path), original, "a dry run removes nothing")
            XCTAssertEqual(try HostConfigurator.remove("godot", for: host, at: path, dryRun: false).change, .removed)
            XCTAssertEqual(contents(path), original)
            XCTAssertEqual(try HostConfigurator.remove("godot", for: host, at: path, dryRun: false).change, .absent)
            XCTAssertEqual(try HostConfigurator.remove("godot", for: host, at: "\(folder)/missing", dryRun: false).change, .absent)
        }
    }

    func testAReadOnlyFileIsLeftAlone() throws {
        let path = "\(folder)/mcp.json"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("{}".utf8), attributes: [.posixPermissions: 0o444]))
        XCTAssertThrowsError(try HostConfigurator.add(HostFixtures.entry(), for: .cursor, at: path, dryRun: false)) { error in
            XCTAssertTrue("\(error)".contains("read-only"), "\(error)")
        }
        XCTAssertEqual(contents(path), "{}")
    }

    func testASymbolicLinkIsWrittenThrough() throws {
        let real = "\(folder)/dotfiles-mcp.json"
        let link = "\(folder)/mcp.json"
        XCTAssertTrue(FileManager.default.createFile(atPath: real, contents: Data("{}".utf8)))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        _ = try HostConfigurator.add(HostFixtures.entry(), for: .cursor, at: link, dryRun: false)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), real)
        XCTAssertTrue(contents(real)?.contains("godot") ?? false)
    }
}
