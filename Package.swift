// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
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
        // Already in the build through Hummingbird and sql-kit; named so every module a target
        // imports is a product it declares (MemberImportVisibility).
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/async-kit.git", from: "1.22.0"),
        // Already in the build through AsyncHTTPClient; PrometheusClient names it for a backend's CA.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // Pure PromQL: lexer, parser, printer, tenant enforcer. No dependencies by design.
        .target(name: "PromQL", swiftSettings: strict),
        // Domain: GPU classes, fleet/node specs, holdings. No I/O.
        .target(name: "Fleet", swiftSettings: strict),
        // dcgmi diag / NCCL test plans, warnings, command lines and output parsers. Pure.
        .target(name: "Diagnostics", swiftSettings: strict),
        // Prometheus text exposition format: one parser/renderer for fixtures and simulator output.
        .target(name: "Exposition", swiftSettings: strict),
        // Simulated DCGM/vLLM fleet: model, scenarios, exposition, HTTP server.
        .target(
            name: "Simulator",
            dependencies: [
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                "Fleet", "Exposition", "PromQL",
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
                .product(name: "AsyncKit", package: "async-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
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
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
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
        // The tenant read model: caller capabilities (made only by the authentication path), the
        // scopes built from them, and every tenant-facing read (standing, overview, summary, node
        // detail, trend, events, reliability, alerts, usage, connection check). No HTTP.
        .target(
            name: "Factory",
            dependencies: [
                "Fleet", "PromQL", "PrometheusClient", "Store", "Telemetry",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The load-test service: owns every running load test (a background Service, no HTTP):
        // queueing, caps, watchdog, progress persisted to the store.
        .target(
            name: "LoadTestService",
            dependencies: [
                "Fleet", "Store", "LoadTest",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // HTTP API server (Hummingbird): routes parse, call the read model, encode.
        .target(
            name: "Server",
            dependencies: [
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                "Diagnostics", "Factory", "Fleet", "Store", "PromQL", "PrometheusClient", "Telemetry", "Web", "LoadTest", "LoadTestService",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
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
                "Fleet",
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
                "LoadTestService",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                "Agent", "Diagnostics", "Fleet", "Simulator", "Server", "Store", "PromQL", "PrometheusClient", "Export", "Telemetry", "LoadTest",
                "Gateway", .product(name: "Hummingbird", package: "hummingbird"),
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
                "Diagnostics", "Exposition", "Fleet",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The inference gateway: OpenAI-compatible proxy with quotas, rate limits, metering and
        // routing across a pool (docs/GATEWAY.md).
        .target(
            name: "Gateway",
            dependencies: [
                "Exposition", "Fleet", "Store",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "aifactory",
            dependencies: [
                "Gateway",
                "LoadTestService",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                "Agent", "Diagnostics", "PromQL", "Fleet", "Simulator", "Server", "Stack", "Store", "PrometheusClient", "Export", "LoadTest", "Telemetry",
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
            dependencies: [.product(name: "Logging", package: "swift-log"), "PromQL", "Fleet", "Exposition", "Simulator", "Agent"],
            swiftSettings: strict
        ),
        // What several test targets share: a loopback HTTP server for fakes, the demo stack harness.
        .target(
            name: "TestSupport",
            dependencies: [
                "Stack", "Store",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),
        .testTarget(name: "PromQLTests", dependencies: ["PromQL"], resources: [.copy("Resources")], swiftSettings: strict),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                "Web", "Agent", "Diagnostics",
                "Server", "Factory", "Telemetry", "PromQL", "TestSupport", "Store", "Fleet", "PrometheusClient", "LoadTest", "LoadTestService",
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                .product(name: "SQLKit", package: "sql-kit"), "Store", "Fleet", "TestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PrometheusClientTests",
            dependencies: [
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                "PrometheusClient", "PromQL",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FactoryTests",
            dependencies: [
                "Factory", "Fleet", "PromQL", "PrometheusClient", "Store", "Telemetry",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TelemetryTests",
            dependencies: ["Telemetry", "PromQL", "Fleet", "PrometheusClient", "Store", "TestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(name: "ExportTests", dependencies: ["Export", "PromQL", "Fleet"], swiftSettings: strict),
        .testTarget(name: "FleetTests", dependencies: ["Fleet"], swiftSettings: strict),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics"], swiftSettings: strict),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "Fleet", "Store", "TestSupport", "Server",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "ExpositionTests", dependencies: ["Exposition"], swiftSettings: strict),
        .testTarget(
            name: "AgentTests",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                "Agent", "Exposition", "Fleet", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["StandIn"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SimulatorTests",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),"Simulator", "Exposition", "Fleet", .product(name: "HummingbirdTesting", package: "hummingbird")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LoadTestTests",
            dependencies: [
                "LoadTest", "TestSupport", "Fleet",
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
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                "Stack", "TestSupport", "Simulator", "Server", "Exposition", "Fleet", "Store", "PromQL", "PrometheusClient", "Export", "Agent",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
    ]
)
