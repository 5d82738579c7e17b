import GatewayCore
import GatewaySystem


/// Work other threads hand to the service thread. Only `lws_cancel_service` may be called from another
/// thread, so posting appends under a lock and wakes the loop; the loop drains the inbox on its own thread.
final class ServiceInbox: Sendable {
    typealias Work = @Sendable (ServiceLoop) -> Void

    private struct State {
        var work: [Work] = []
        var accepting = true
        var wake: (@Sendable () -> Void)?
    }

    private let state = LockedState(State())

    /// Installs the wake-up call once the service context exists.
    func setWake(_ wake: @escaping @Sendable () -> Void) {
        state.withLock { $0.wake = wake }
    }

    /// Queues `work` and wakes the loop. Returns false once the loop has stopped, in which case
    /// the caller must answer its own request. The wake runs under the lock so it can never
    /// reach a context that `close()` has already let go of.
    @discardableResult
    func post(_ work: @escaping Work) -> Bool {
        state.withLock { state in
            guard state.accepting else { return false }
            state.work.append(work)
            state.wake?()
            return true
        }
    }

    func drain() -> [Work] {
        state.withLock { state in
            defer { state.work.removeAll() }
            return state.work
        }
    }

    /// Refuses further work and returns what was still queued, so it can be answered before exit.
    func close() -> [Work] {
        state.withLock { state in
            state.accepting = false
            state.wake = nil
            defer { state.work.removeAll() }
            return state.work
        }
    }
}
