import GatewaySetup

/// `configure --list`: a table for a person, or one JSON document for the Godot dock.
enum HostListing {
    static func render(_ statuses: [HostStatus], asJSON: Bool) -> String {
        if asJSON {
            return SetupJSON.object([("hosts", .array(statuses.map(\.json)))]).rendered(indent: "", unit: "  ")
        }
        let width = statuses.map(\.host.rawValue.count).max() ?? 0
        return statuses.map { status in
            let state = status.problem.map { "unreadable: \($0)" }
                ?? (status.configured ? "configured" : status.detected ? "found, not configured" : "not found")
            return status.host.rawValue.padding(width) + "  " + state.padding(22) + "  " + status.path
        }.joined(separator: "\n")
    }
}

private extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
