/// What the gateway learns about a peer from its upgrade request, before any message.
package struct ConnectionRequest: Sendable, Equatable {
    package var remoteAddress: String
    package var userAgent: String?
    package var queryParameters: [String: String]
    /// Every `Origin` and `Host` value sent: more than one of either is refused.
    package var origins: [String]
    package var hosts: [String]
    package var secFetchSite: String?
    /// The token from `Authorization: Bearer …`, if any.
    package var bearerToken: String?

    /// The dashboard's sign-in cookie, when the request carries one.
    package var sessionCookie: String?
    /// The common name of the client certificate (mutual TLS), which names the caller.
    package var certificateName: String?

    package init(
        remoteAddress: String, userAgent: String? = nil, queryParameters: [String: String] = [:],
        origins: [String] = [], hosts: [String] = ["localhost"], secFetchSite: String? = nil, bearerToken: String? = nil,
        sessionCookie: String? = nil
    ) {
        self.sessionCookie = sessionCookie
        self.remoteAddress = remoteAddress
        self.userAgent = userAgent
        self.queryParameters = queryParameters
        self.origins = origins
        self.hosts = hosts
        self.secFetchSite = secFetchSite
        self.bearerToken = bearerToken
    }
}
