import GatewayCore
import Foundation

/// A value guarded by a lock, shared between threads.
///
/// Built on `NSLock` (a pthread mutex) rather than `Synchronization.Mutex`: on Linux, Mutex waits with
/// raw futex calls that ThreadSanitizer cannot see, so every Mutex-guarded access showed up as a data
/// race and drowned real findings. With a pthread mutex the sanitizer understands the ordering.
package final class LockedState<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    package init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value.
    @discardableResult
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
