import Foundation
import Testing
@testable import GatewayServer

@Suite struct TokenFileTests {
    @Test func generatedTokensAreLongAndDistinct() {
        let first = TokenFile.generate()
        #expect(first.count == 64)
        #expect(first != TokenFile.generate())
    }

    @Test func theTokenFileIsCreatedPrivateAndReused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("token-\(UUID().uuidString)").path
        let path = folder + "/nested/token"
        let (token, created) = try TokenFile.loadOrCreate(at: path)
        #expect(created)
        var status = stat()
        stat(path, &status)
        #expect(status.st_mode & 0o777 == 0o600)
        let again = try TokenFile.loadOrCreate(at: path)
        #expect(again.token == token && !again.created)
        chmod(path, 0o644)
        #expect(throws: TokenFile.LoadError.self) { try TokenFile.loadOrCreate(at: path) }
        try? FileManager.default.removeItem(atPath: folder)
    }
}
