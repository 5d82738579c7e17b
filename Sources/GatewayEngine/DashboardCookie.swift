/// The dashboard's session cookie and the headers its pages go out with.
package enum DashboardCookie {
    package static let name = "godot_mcp_session"

    /// The pages run only their own inline script and talk only to their own origin; no framing, no
    /// caching, no referrer.
    package static let pageHeaders: [(String, String)] = [
        ("cache-control:", "no-store"),
        ("content-security-policy:",
         "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'"),
        ("x-frame-options:", "DENY"),
        ("referrer-policy:", "no-referrer"),
    ]
}
