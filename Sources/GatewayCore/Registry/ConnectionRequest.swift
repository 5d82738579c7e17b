/// What the gateway learns about a peer from its upgrade request, before any message.
public struct ConnectionRequest: Sendable, Equatable {
    public var remoteAddress: String
    public var userAgent: String?
    public var queryParameters: [String: String]
    /// Every `Origin` and `Host` value sent: more than one of either is refused.
    public var origins: [String]
    public var hosts: [String]
    public var secFetchSite: String?
    /// The token from `Authorization: Bearer …`, if any.
    public var bearerToken: String?

    public init(
        remoteAddress: String, userAgent: String? = nil, queryParameters: [String: String] = [:],
        origins: [String] = [], hosts: [String] = ["localhost"], secFetchSite: String? = nil, bearerToken: String? = nil
    ) {
        self.remoteAddress = remoteAddress
        self.userAgent = userAgent
        self.queryParameters = queryParameters
        self.origins = origins
        self.hosts = hosts
        self.secFetchSite = secFetchSite
        self.bearerToken = bearerToken
    }
}
