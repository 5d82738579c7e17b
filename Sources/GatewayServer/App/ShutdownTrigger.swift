import GatewayCore
import Dispatch
import FoundationEssentials
import Glibc

/// Turns SIGINT, SIGTERM and SIGHUP into an orderly shutdown posted to the service loop, instead of
/// process death, so editors are told first. SIGPIPE is ignored: a vanished peer must surface as a
/// write error, not kill the gateway.
// @unchecked: `sources` is set once in init and only kept alive; DispatchSource is not marked Sendable.
final class ShutdownTrigger: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(signals: [Int32] = [SIGINT, SIGTERM, SIGHUP], onSignal: @escaping @Sendable (Int32) -> Void) {
        signal(SIGPIPE, SIG_IGN)
        // A source is armed some time after `resume()`, on a dispatch queue; until then a signal meets
        // SIG_IGN and is lost. `init` returns only once every source is registered, so a reload or stop
        // sent the moment the gateway says it is ready is never dropped.
        let registered = DispatchSemaphore(value: 0)
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { onSignal(number) }
            source.setRegistrationHandler { registered.signal() }
            source.resume()
            return source
        }
        for _ in signals { registered.wait() }
    }

    func cancel() {
        sources.forEach { $0.cancel() }
    }
}
