import CNATS

/// A JetStream key-value bucket: values with a time to live, and a watch over every key.
package final class NATSKeyValue: @unchecked Sendable {
    package enum Change: Sendable {
        case put(key: String, value: [UInt8])
        case deleted(key: String)
    }

    private let jetStream: OpaquePointer
    private let store: OpaquePointer

    /// Creates the bucket, or binds to it when it exists (the first node of a cluster creates it).
    /// Blocks for a request to the server: call it off the service thread.
    package init(on connection: NATSConnection, bucket: String, ttlSeconds: Double, replicas: Int) throws(NATSError) {
        var context: OpaquePointer?
        try check(natsConnection_JetStream(&context, connection.connection, nil), "natsConnection_JetStream")
        guard let context else { throw NATSError("natsConnection_JetStream", NATS_NO_MEMORY) }
        var config = kvConfig()
        do throws(NATSError) {
            try check(kvConfig_Init(&config), "kvConfig_Init")
        } catch {
            jsCtx_Destroy(context)
            throw error
        }
        var created: OpaquePointer?
        let status = bucket.withCString { name in
            config.Bucket = name
            config.History = 1
            config.TTL = Int64(ttlSeconds * 1_000_000_000)
            config.Replicas = Int32(replicas)
            return js_CreateKeyValue(&created, context, &config)
        }
        if status != NATS_OK || created == nil {
            // Another node created it with other settings: bind to it as it is.
            created = nil
            let bindStatus = js_KeyValue(&created, context, bucket)
            if bindStatus != NATS_OK { created = nil }
        }
        guard let created else {
            jsCtx_Destroy(context)
            throw NATSError("js_CreateKeyValue \(bucket)", status)
        }
        jetStream = context
        store = created
    }

    deinit {
        kvStore_Destroy(store)
        jsCtx_Destroy(jetStream)
    }

    /// Blocks for the server's acknowledgement.
    package func put(_ key: String, _ value: [UInt8]) throws(NATSError) {
        var revision: UInt64 = 0
        let status = value.withUnsafeBytes { kvStore_Put(&revision, store, key, $0.baseAddress, Int32($0.count)) }
        try check(status, "kvStore_Put \(key)")
    }

    package func delete(_ key: String) throws(NATSError) {
        try check(kvStore_Delete(store, key), "kvStore_Delete \(key)")
    }

    /// Watches every key: current values first, then each change. The watcher's `next` blocks, so it runs
    /// on a thread of its own.
    package func watchAll() throws(NATSError) -> NATSWatcher {
        var watcher: OpaquePointer?
        try check(kvStore_WatchAll(&watcher, store, nil), "kvStore_WatchAll")
        guard let watcher else { throw NATSError("kvStore_WatchAll", NATS_NO_MEMORY) }
        return NATSWatcher(watcher)
    }
}

/// Changes of a bucket, one at a time.
package final class NATSWatcher: @unchecked Sendable {
    private let watcher: OpaquePointer

    init(_ watcher: OpaquePointer) { self.watcher = watcher }

    deinit { kvWatcher_Destroy(watcher) }

    /// The next change, nil when none came within `timeoutMs` (or after the initial values, once), or
    /// an error when the watcher is stopped or the connection closed.
    package func next(timeoutMs: Int64) throws(NATSError) -> NATSKeyValue.Change? {
        var entry: OpaquePointer?
        let status = kvWatcher_Next(&entry, watcher, timeoutMs)
        if status == NATS_TIMEOUT { return nil }
        try check(status, "kvWatcher_Next")
        // A nil entry marks the end of the initial values.
        guard let entry else { return nil }
        defer { kvEntry_Destroy(entry) }
        let key = kvEntry_Key(entry).map { String(cString: $0) } ?? ""
        switch kvEntry_Operation(entry) {
        case kvOp_Put:
            let length = Int(kvEntry_ValueLen(entry))
            guard length > 0, let bytes = kvEntry_Value(entry) else { return .put(key: key, value: []) }
            return .put(key: key, value: Array(UnsafeRawBufferPointer(start: bytes, count: length)))
        default:
            return .deleted(key: key)
        }
    }

    package func stop() { _ = kvWatcher_Stop(watcher) }
}
