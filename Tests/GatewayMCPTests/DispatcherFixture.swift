import Logging
@testable import GatewayCore
@testable import GatewayMCP
import GatewaySystem

/// The lines a test dispatcher wrote for its host, parsed.
final class DispatcherOutput {
    var lines: [JSONValue] = []
}

/// A dispatcher over a real core (no sockets), shared by the dispatcher's suites. No startup grace: a
/// call with no editor fails at once (waiting has its own tests in the core).
enum DispatcherFixture {
    static func core() -> GatewayCore {
        var settings = GatewaySettings()
        settings.startupGrace = 0
        return GatewayCore(
            settings: settings, security: SecuritySettings(), clock: SystemClock(),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), makeID: RandomUUID.make)
    }

    static func dispatcher(over core: GatewayCore, writingTo output: DispatcherOutput) -> MCPDispatcher {
        MCPDispatcher(
            core: core, maxLineSize: 1 << 20, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            audit: nil, hash: { _ in "" }, write: { line in output.lines.append((try? JSONParser.parse(bytes: line)) ?? "unparsable") })
    }
}
