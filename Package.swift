// swift-tools-version: 6.1
import PackageDescription

// The target list is the architecture (see README "Layout"): each layer imports only layers below it,
// and only what it declares here (scripts/check-imports, run by scripts/test, checks every import).
//
//   CLI           eddy
//   SQL           EddySQL             streaming SQL compiled to the engine's Pipeline values
//   benchmarks    EddyBenchmarks
//   apps          EddyApps            one folder per seed pipeline, and the registry
//   serving       EddyServer          EddyKafka       HTTP + OpenAPI + dashboard; the Kafka protocol
//   clients       EddySpotify                         Spotify's OAuth and Web API
//   sinks, ML     EddyConnectors      EddyML          SQLite, PostgreSQL; ALS (no dependencies)
//   engine        EddyStream
//   storage       EddyLog             EddyFormats     the log; Parquet and CSV
//   C             CEddySupport        CSQLite         CEddyCodecs
//
// EddyServer is the HTTP framework (routes, OpenAPI, dashboard, metrics) and knows no app; each app in
// EddyApps brings its own routes, OpenAPI fragment and dashboard panels, and the CLI mounts the registry's.
let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Eddy",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "eddy", targets: ["eddy"]),
        .library(name: "EddyLog", targets: ["EddyLog"]),
        .library(name: "EddyStream", targets: ["EddyStream"]),
        .library(name: "EddyConnectors", targets: ["EddyConnectors"]),
        .library(name: "EddyApps", targets: ["EddyApps"]),
        .library(name: "EddyML", targets: ["EddyML"]),
        .library(name: "EddyFormats", targets: ["EddyFormats"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        // The OpenAPI document is built from types; external loading (and its compile time) is not needed.
        .package(url: "https://github.com/mattpolzin/OpenAPIKit", from: "6.4.0", traits: []),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // SHA-256 of the files seed 004 references (already built for postgres-nio).
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        // Hardware CRC-32C and other small C helpers the hot paths need.
        // gzip through the system zlib (its header is in the base image).
        .target(name: "CEddySupport", linkerSettings: [.linkedLibrary("z")]),
        // The system SQLite (Debian's libsqlite3-dev, present on this machine kind).
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),

        // Compression codecs for the file formats: zlib linked (base image), zstd/lz4/brotli opened at run time.
        .target(name: "CEddyCodecs", linkerSettings: [.linkedLibrary("z"), .linkedLibrary("dl")]),
        // File formats: Parquet (Thrift footer, encodings, codecs) and CSV, over typed column arrays.
        .target(name: "EddyFormats", dependencies: ["CEddyCodecs"], swiftSettings: upcoming),

        // Storage: topics, partitions, segments, indexes, offsets, consumer groups.
        .target(
            name: "EddyLog",
            dependencies: ["CEddySupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: upcoming),
        // Engine: schema, JSON decoding, operators, state, windows, watermarks, triggers, checkpoints.
        .target(
            name: "EddyStream",
            dependencies: [
                "EddyLog",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: upcoming),
        // Streaming SQL: lexer, parser (positions on every node), planner to the same Pipeline the Swift API
        // builds, schema inference from a topic's records.
        .target(name: "EddySQL", dependencies: ["EddyLog", "EddyStream"], swiftSettings: upcoming),
        // Sinks and sources outside the engine: SQLite, PostgreSQL, files.
        .target(
            name: "EddyConnectors",
            dependencies: [
                "EddyLog", "EddyStream", "CSQLite", "EddyFormats",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: upcoming),
        // Recommendations: matrix factorisation by alternating least squares, evaluation, model files.
        .target(name: "EddyML", swiftSettings: upcoming),
        // Spotify: OAuth 2.0 Authorization Code with PKCE, token file, the user's saved tracks (URLSession).
        .target(
            name: "EddySpotify", dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: upcoming),
        // HTTP JSON API framework: OpenAPI document, live updates (SSE), dashboard, Prometheus metrics.
        .target(
            name: "EddyServer",
            dependencies: [
                "EddyLog", "EddyStream",
                .product(name: "Hummingbird", package: "hummingbird"),
                // HTTPS with --tls-cert/--tls-key (swift-nio-ssl, already built for postgres-nio).
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            resources: [
                .embedInCode("Dashboard/Assets/index.html"),
                .embedInCode("Dashboard/Assets/dashboard.js"),
                .embedInCode("Dashboard/Assets/dashboard.css"),
            ],
            swiftSettings: upcoming),
        // The apps: one folder per seed pipeline (topics, simulator, pipelines, routes, panels) and the registry.
        .target(
            name: "EddyApps",
            dependencies: [
                "EddyLog", "EddyStream", "EddyConnectors", "EddyServer", "EddyML", "EddyFormats", "EddySQL",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming),
        // The Kafka wire protocol: the I/O-free codec (Protocol/) and a broker over any Log on SwiftNIO (Broker/).
        .target(
            name: "EddyKafka",
            dependencies: [
                "EddyLog",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming),
        // Benchmarks behind `eddy bench <name>`; figures go into BENCHMARKS.md.
        .target(
            name: "EddyBenchmarks",
            dependencies: [
                "EddyLog", "EddyStream", "EddyConnectors", "EddyApps", "EddyML", "EddyFormats", "EddyServer",
                "EddySQL",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming),
        .executableTarget(
            name: "eddy",
            dependencies: [
                "EddyLog", "EddyStream", "EddyConnectors", "EddyApps", "EddyBenchmarks", "EddyServer",
                "EddyML",
                "EddyKafka", "EddyFormats", "EddySpotify", "EddySQL",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming),

        .testTarget(
            name: "EddyLogTests",
            dependencies: ["EddyLog", "CEddySupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: upcoming),
        .testTarget(
            name: "EddyKafkaTests",
            dependencies: [
                "EddyKafka", "EddyLog", "CEddySupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: upcoming),
        .testTarget(
            name: "EddyStreamTests", dependencies: ["EddyStream", "EddyLog"], swiftSettings: upcoming),
        .testTarget(
            name: "EddyConnectorsTests",
            dependencies: [
                "EddyConnectors", "EddyStream", "EddyLog", "EddyFormats",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming),
        .testTarget(
            name: "EddySQLTests", dependencies: ["EddySQL", "EddyStream", "EddyLog", "EddyApps"],
            swiftSettings: upcoming),
        .testTarget(name: "EddyFormatsTests", dependencies: ["EddyFormats"], swiftSettings: upcoming),
        .testTarget(
            name: "EddyAppsTests",
            dependencies: ["EddyApps", "EddyConnectors", "EddyStream", "EddyLog", "EddyFormats", "EddyML"],
            swiftSettings: upcoming),
        .testTarget(name: "EddyMLTests", dependencies: ["EddyML"], swiftSettings: upcoming),
        .testTarget(
            name: "EddySpotifyTests",
            dependencies: [
                "EddySpotify", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: upcoming),
        .testTarget(
            name: "EddyServerTests",
            dependencies: [
                // The browser test runs the built `eddy demo`; depending on it makes `swift test` build it.
                "EddyServer", "EddyStream", "EddyLog", "EddyApps", "EddyML", "eddy",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming),
        // Drives the built `eddy` binary; depending on the executable makes `swift test` build it first.
        .testTarget(
            name: "EndToEndTests",
            // EddySpotify: the Spotify stand-in checks PKCE challenges with its SHA-256.
            dependencies: ["EddyLog", "EddyConnectors", "EddyFormats", "EddySpotify", "eddy"],
            swiftSettings: upcoming),
    ]
)
