import GatewayCore
import GatewayEngine

extension EngineDriver {
    /// The driver most engine tests start from: no start-up grace (a call is routed at once rather than
    /// waiting for editors to arrive), `change` applied after that, and the host on stdio initialized
    /// when there is one and the test does not do it itself.
    static func ready(
        security: SecuritySettings = SecuritySettings(), servesHostOnStdio: Bool = true, initializesHost: Bool = true,
        _ change: (inout GatewaySettings) -> Void = { _ in }
    ) -> EngineDriver {
        var settings = GatewaySettings()
        settings.startupGrace = 0
        change(&settings)
        let driver = EngineDriver(settings: settings, security: security, servesHostOnStdio: servesHostOnStdio)
        if servesHostOnStdio, initializesHost { driver.initializeHost() }
        return driver
    }
}
