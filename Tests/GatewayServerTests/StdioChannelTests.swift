import Foundation
import Logging
import Testing
@testable import GatewayMCP
@testable import GatewayServer

/// stdio framing and backpressure over real pipes (adoption into a libwebsockets loop is exercised by
/// the integration tests through the binary).
@Suite struct StdioChannelTests {
    final class Lines {
        var handed: [String] = []
    }

    private func pipePair() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        return (fds[0], fds[1])
    }

    @Test func answersWaitWhileTheBacklogIsOverItsBoundAndLeaveInOrder() throws {
        let input = try pipePair()
        let output = try pipePair()
        defer { [input.read, input.write, output.read, output.write].forEach { close($0) } }
        let channel = StdioChannel(
            input: input.read, output: output.write, maxLineSize: 1000, backlogLimit: 50,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let lines = Lines()
        channel.onLine = { [unowned channel] line in
            guard case .message(let bytes) = line else { return }
            lines.handed.append(String(decoding: bytes, as: UTF8.self))
            channel.send(Array(repeating: UInt8(ascii: "a"), count: 39))
        }
        let requests = Array("one\ntwo\nthree\n".utf8)
        #expect(write(input.write, requests, requests.count) == requests.count)
        #expect(channel.readAvailable())
        // 40 bytes wait after "one"; 80 after "two" is over the bound of 50, so "three" is held back.
        #expect(lines.handed == ["one", "two"])
        #expect(channel.pendingOutput == 80)
        channel.flush()
        #expect(lines.handed == ["one", "two", "three"])
        channel.flush()
        #expect(channel.pendingOutput == 0)
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = read(output.read, &buffer, buffer.count)
        #expect(count == 120)
        #expect(buffer[39] == 0x0A && buffer[79] == 0x0A && buffer[119] == 0x0A)
    }

    @Test func aClosedStdoutIsReportedOnceAndNothingMoreIsQueued() throws {
        signal(SIGPIPE, SIG_IGN)
        let output = try pipePair()
        close(output.read)
        defer { close(output.write) }
        let channel = StdioChannel(
            input: -1, output: output.write, maxLineSize: 1000, backlogLimit: 1000,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        var reports = 0
        channel.onOutputGone = { reports += 1 }
        channel.send(Array("{}".utf8))
        channel.flush()
        channel.send(Array("{}".utf8))
        channel.flush()
        #expect(reports == 1)
        #expect(channel.pendingOutput == 0)
    }
}
