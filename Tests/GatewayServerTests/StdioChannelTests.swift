import Foundation
import Logging
import Testing
@testable import GatewayMCP
@testable import GatewayServer

/// stdio framing and backpressure over real pipes (adoption into a libwebsockets loop is exercised by
/// the integration tests through the binary).
@Suite struct StdioChannelTests {
    private func pipePair() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        return (fds[0], fds[1])
    }

    @Test func readsGoOnAsBytesAndWritesReportWhatIsLeft() throws {
        let input = try pipePair()
        let output = try pipePair()
        defer { [input.read, input.write, output.read, output.write].forEach { close($0) } }
        let channel = StdioChannel(input: input.read, output: output.write, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        var read: [UInt8] = []
        var reports: [Int] = []
        channel.onBytes = { read += $0 }
        channel.onFlushed = { reports.append($0) }
        let requests = Array("one\ntwo\nthr".utf8)
        #expect(write(input.write, requests, requests.count) == requests.count)
        #expect(channel.readAvailable())
        #expect(read == requests)  // cut into lines by the engine, not here
        channel.send(Array(repeating: UInt8(ascii: "a"), count: 39))
        channel.send(Array(repeating: UInt8(ascii: "b"), count: 39))
        #expect(channel.pendingOutput == 80)
        channel.flush()
        #expect(channel.pendingOutput == 0)
        #expect(reports == [0])
        channel.flush()  // nothing to write: nothing to report
        #expect(reports == [0])
        var buffer = [UInt8](repeating: 0, count: 1024)
        #expect(Glibc.read(output.read, &buffer, buffer.count) == 80)
        #expect(buffer[39] == 0x0A && buffer[79] == 0x0A)
    }

    @Test func aClosedStdoutIsReportedOnceAndNothingMoreIsQueued() throws {
        signal(SIGPIPE, SIG_IGN)
        let output = try pipePair()
        close(output.read)
        defer { close(output.write) }
        let channel = StdioChannel(input: -1, output: output.write, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
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
