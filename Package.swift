// swift-tools-version: 6.0
import PackageDescription

// Six targets, each allowed to see only what it needs, so the compiler holds the layering (what one
// target offers the others is `package`; nothing is `public`):
//   GatewayCore    protocol, registry, routing, state machine, security policy, JSON (no C, no I/O)
//   GatewayMCP     the MCP face: the JSON-RPC dispatcher and the tool catalog (depends on the core)
//   GatewayCluster the link to a cluster of gateways over NATS (the only importer of CNATS)
//   GatewayServer  the one libwebsockets service loop: sockets, stdio, files (the only importer of CLWS)
//   GatewaySetup   `configure`: MCP hosts' configuration files edited as text (no C, no sockets)
//   godot-mcp-gateway  the command line
let package = Package(
    name: "godot-mcp-gateway",
    products: [
        .executable(name: "godot-mcp-gateway", targets: ["godot-mcp-gateway"]),
        // For the fuzzer (fuzz/), which links the core and the MCP face and reaches them through @testable import.
        .library(name: "GatewayCore", targets: ["GatewayCore"]),
        .library(name: "GatewayMCP", targets: ["GatewayMCP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // The whole C boundary: libwebsockets through pkg-config plus a header of small inline shims.
        .systemLibrary(
            name: "CLWS",
            pkgConfig: "libwebsockets",
            providers: [.apt(["libwebsockets-dev"])]
        ),
        // The NATS C client, for --cluster.
        .systemLibrary(
            name: "CNATS",
            pkgConfig: "libnats",
            providers: [.apt(["libnats-dev"])]
        ),
        .target(
            name: "GatewayCluster",
            dependencies: ["CNATS", "GatewayCore", "GatewaySystem"]
        ),
        // What the operating system gives: the real clock, randomness, a lock. Kept out of the core and the
        // MCP face, which get time and ids injected and import no Glibc.
        .target(
            name: "GatewaySystem",
            dependencies: ["GatewayCore"]
        ),
        .target(
            name: "GatewayCore",
            dependencies: [.product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "GatewayMCP",
            dependencies: ["GatewayCore", .product(name: "Logging", package: "swift-log")]
        ),
        // The whole gateway without I/O: one handle(event) -> actions, and the driver tests play it with.
        .target(
            name: "GatewayEngine",
            dependencies: ["GatewayCore", "GatewayMCP", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "GatewayServer",
            dependencies: ["CLWS", "GatewayCluster", "GatewayCore", "GatewayEngine", "GatewayMCP", "GatewaySystem", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "GatewaySetup"),
        .executableTarget(
            name: "godot-mcp-gateway",
            dependencies: [
                "GatewayCore",
                "GatewaySetup",
                "GatewayServer",
                "GatewaySystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The engine alone in process, for comparing what the gateway's own code costs per call (bench/).
        .executableTarget(
            name: "EngineBench", dependencies: ["GatewayCore", "GatewayEngine", "GatewayMCP", "GatewaySystem"], path: "bench/EngineBench"),
        .testTarget(name: "GatewayCoreTests", dependencies: ["GatewayCore"]),
        .testTarget(
            name: "GatewayClusterTests", dependencies: ["GatewayCluster", "GatewayCore", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "GatewayMCPTests", dependencies: ["GatewayCore", "GatewayMCP", "GatewaySystem"]),
        .testTarget(name: "GatewaySystemTests", dependencies: ["GatewaySystem"]),
        .testTarget(name: "GatewayEngineTests", dependencies: ["GatewayCore", "GatewayEngine", "GatewayMCP"]),
        .testTarget(
            name: "GatewayCommandTests",
            dependencies: ["godot-mcp-gateway", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "GatewaySetupTests", dependencies: ["GatewaySetup"]),
        .testTarget(name: "GatewayServerTests", dependencies: ["CLWS", "GatewayCore", "GatewayMCP", "GatewayServer"]),
    ],
    swiftLanguageModes: [.v6]
)
