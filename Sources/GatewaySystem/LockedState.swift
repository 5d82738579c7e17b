import FoundationEssentials
import Glibc

/// A value guarded by a lock, shared between threads.
///
/// Built on a pthread mutex rather than `Synchronization.Mutex`: on Linux, Mutex waits with
/// raw futex calls that ThreadSanitizer cannot see, so every Mutex-guarded access showed up as a data
/// race and drowned real findings. With a pthread mutex the sanitizer understands the ordering.
package final class LockedState<Value: Sendable>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    package init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let created = pthread_mutex_init(mutex, nil)
        precondition(created == 0, "cannot create a mutex: \(created)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    @discardableResult
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        let locked = pthread_mutex_lock(mutex)
        precondition(locked == 0, "cannot lock a mutex: \(locked)")
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
