// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "aifactory",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "aifactory", targets: ["aifactory"]),
        .executable(name: "aifactory-bench", targets: ["aifactory-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
    ],
    targets: [
        // Pure PromQL: lexer, parser, printer, tenant enforcer. No dependencies by design.
        .target(name: "PromQL", swiftSettings: strict),
        // Domain: GPU classes, fleet/node specs, holdings. No I/O.
        .target(name: "Fleet", swiftSettings: strict),
        // Prometheus text exposition format: one parser/renderer for fixtures and simulator output.
        .target(name: "Exposition", swiftSettings: strict),
        // Simulated DCGM/vLLM fleet: model, scenarios, exposition, HTTP server.
        .target(
            name: "Simulator",
            dependencies: [
                "Fleet", "Exposition",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Storage behind one protocol over sql-kit: SQLite (embedded default) and PostgreSQL (scale-out).
        .target(
            name: "Store",
            dependencies: [
                "Fleet",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Companion artefacts: Prometheus alert rules, PrometheusRule, Alertmanager config, Grafana dashboard.
        .target(
            name: "Export",
            dependencies: ["Fleet", "PromQL", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // Prometheus HTTP API client: accepts only tenant-scoped queries (PromQL.ScopedQuery).
        .target(
            name: "PrometheusClient",
            dependencies: [
                "PromQL",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Telemetry: tenant-scoped reads through the enforcer, a shared cache with request coalescing,
        // snapshots for the health model, stale-but-known answers when Prometheus is down.
        .target(
            name: "Telemetry",
            dependencies: [
                "Fleet", "PromQL", "PrometheusClient", "Store",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // HTTP API server (Hummingbird).
        .target(
            name: "Server",
            dependencies: [
                "Fleet", "Store", "PromQL", "PrometheusClient", "Telemetry", "Web", "LoadTest",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("OpenAPI/openapi.json")],
            swiftSettings: strict
        ),
        // AIPerf-class load generator: OpenAI-compatible streaming clients, per-SSE-event timing,
        // HDR-histogram percentiles, goodput, sweeps and the max-concurrency-under-SLO search.
        .target(
            name: "LoadTest",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The system zlib, so the page's files go out gzip-encoded (Chart.js is 200 kB plain, 68 kB gzipped).
        .systemLibrary(name: "CWebZlib", providers: [.apt(["zlib1g-dev"])]),
        // The AI Factory page: static HTML/CSS/ES modules (no build step) served by the server.
        .target(
            name: "Web",
            dependencies: ["CWebZlib"],
            resources: [.copy("Public")],
            swiftSettings: strict
        ),
        // Local stack orchestration: Prometheus config generation, child process supervision, demo.
        .target(
            name: "Stack",
            dependencies: [
                "Fleet", "Simulator", "Server", "Store", "PrometheusClient", "Export", "Telemetry",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // GPU-host agent: NVML loaded at run time (dlopen), sampled in the background, served as
        // dcgm-exporter-compatible /metrics.
        .target(
            name: "Agent",
            dependencies: [
                "Exposition", "Fleet",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "aifactory",
            dependencies: [
                "Agent", "PromQL", "Fleet", "Simulator", "Server", "Stack", "Store", "PrometheusClient", "Export", "LoadTest", "Telemetry",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Benchmarks (not tests): `make bench` runs this in release mode and prints ratios side by side.
        .executableTarget(
            name: "aifactory-bench",
            dependencies: ["PromQL", "Fleet", "Exposition", "Simulator", "Agent"],
            swiftSettings: strict
        ),
        .testTarget(name: "PromQLTests", dependencies: ["PromQL"], resources: [.copy("Resources")], swiftSettings: strict),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Store", "Fleet", "PrometheusClient", "LoadTest",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: ["Store", "Fleet", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PrometheusClientTests",
            dependencies: [
                "PrometheusClient", "PromQL",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "TelemetryTests", dependencies: ["Telemetry", "PromQL", "Fleet", "PrometheusClient"], swiftSettings: strict),
        .testTarget(name: "ExportTests", dependencies: ["Export", "PromQL", "Fleet"], swiftSettings: strict),
        .testTarget(name: "FleetTests", dependencies: ["Fleet"], swiftSettings: strict),
        .testTarget(name: "ExpositionTests", dependencies: ["Exposition"], swiftSettings: strict),
        .testTarget(
            name: "AgentTests",
            dependencies: [
                "Agent", "Exposition", "Fleet",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["StandIn"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SimulatorTests",
            dependencies: ["Simulator", "Exposition", "Fleet", .product(name: "HummingbirdTesting", package: "hummingbird")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LoadTestTests",
            dependencies: [
                "LoadTest",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "Stack", "Simulator", "Server", "Exposition", "Fleet", "Store", "PromQL", "PrometheusClient", "Export",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
    ]
)
