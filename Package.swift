// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "godot-mcp-gateway",
    products: [
        .executable(name: "godot-mcp-gateway", targets: ["godot-mcp-gateway"]),
        .library(name: "Gateway", targets: ["Gateway"]),
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
        .target(
            name: "Gateway",
            dependencies: [
                "CLWS",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "godot-mcp-gateway",
            dependencies: [
                "Gateway",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "GatewayTests", dependencies: ["Gateway"]),
    ],
    swiftLanguageModes: [.v6]
)
