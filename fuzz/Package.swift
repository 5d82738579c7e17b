// swift-tools-version: 6.0
// libFuzzer target over the gateway's inbound path, kept in its own package so that the main build
// never links an executable without an entry point. Build and run with fuzz/run.sh.
import PackageDescription

let package = Package(
    name: "gateway-fuzz",
    // Through a symlink to the repository root, so the package identity does not depend on the
    // name of the folder the repository was cloned into.
    dependencies: [.package(path: "gateway-package")],
    targets: [
        .executableTarget(
            name: "InboundFuzzer",
            dependencies: [
                .product(name: "GatewayCore", package: "gateway-package"), .product(name: "GatewayMCP", package: "gateway-package"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
