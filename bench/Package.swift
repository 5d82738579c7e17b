// swift-tools-version: 6.0
// The load generator for bench/run.sh: drives an MCP server on stdio and fake Godot editors over
// WebSocket (its own minimal blocking client, so the generator is not the bottleneck).
import PackageDescription

let package = Package(
    name: "gateway-bench",
    dependencies: [.package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0")],
    targets: [
        // zlib for the client side of permessage-deflate in the large-result runs.
        .target(name: "CZlib"),
        .executableTarget(
            name: "GatewayBench",
            dependencies: ["CZlib", .product(name: "Histogram", package: "hdrhistogram-swift")]
        )
    ],
    swiftLanguageModes: [.v6]
)
