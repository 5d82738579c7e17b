import Dispatch
import Foundation

/// Why the gateway is stopping.
public enum ShutdownReason: Sendable, Equatable {
    case endOfInput
    case signal(Int32)

    public var description: String {
        switch self {
        case .endOfInput: "the MCP host closed stdin"
        case .signal(let number): "signal \(String(cString: strsignal(number)))"
        }
    }
}

/// Turns SIGINT, SIGTERM and SIGHUP into an async event instead of process death, so shutdown can
/// notify editors first. SIGPIPE is ignored: a vanished peer must surface as a write error, not kill us.
// @unchecked: `sources` is set once in init and only kept alive; DispatchSource is not marked Sendable.
public final class ShutdownTrigger: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    private let stream: AsyncStream<ShutdownReason>
    private let continuation: AsyncStream<ShutdownReason>.Continuation

    public init(signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]) {
        signal(SIGPIPE, SIG_IGN)
        (stream, continuation) = AsyncStream<ShutdownReason>.makeStream()
        let continuation = continuation
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(.signal(number)) }
            source.resume()
            return source
        }
    }

    public func fire(_ reason: ShutdownReason) {
        continuation.yield(reason)
    }

    /// The first reason to stop.
    public func next() async -> ShutdownReason {
        for await reason in stream { return reason }
        return .endOfInput
    }
}
