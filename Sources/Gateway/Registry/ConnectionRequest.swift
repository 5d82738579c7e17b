/// What the gateway learns about a peer from its upgrade request, before any message.
public struct ConnectionRequest: Sendable, Equatable {
    public var remoteAddress: String
    public var userAgent: String?
    /// The request path with its query, e.g. `/?type=godot`.
    public var uri: String?
    public var queryParameters: [String: String]

    public init(remoteAddress: String, userAgent: String? = nil, uri: String? = nil, queryParameters: [String: String] = [:]) {
        self.remoteAddress = remoteAddress
        self.userAgent = userAgent
        self.uri = uri
        self.queryParameters = queryParameters
    }
}
