// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "MLPlayground",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mlplayground", targets: ["mlplayground"]),
        .library(name: "ROOTIO", targets: ["ROOTIO"]),
        .library(name: "DQMIO", targets: ["DQMIO"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.25.0"),
        // TLS to PostgreSQL (sslmode): already postgres-nio's; named here because Catalog builds the TLS settings.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.25.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        // OIDC bearer tokens: JWTs verified against a JWKS, fetched from a URL with the HTTP client.
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Already jwt-kit's; named here because the OIDC tests make RSA keys with CryptoExtras.
        .package(url: "https://github.com/apple/swift-crypto", "4.1.0"..<"5.0.0"),
    ],
    targets: [
        // zlib, liblzma, libzstd and liblz4 from the system (Debian's -dev packages; `make test` installs them).
        .systemLibrary(name: "CCompression", path: "Sources/CCompression"),
        .target(name: "ROOTIO", dependencies: ["CCompression"]),
        .target(name: "DQMIO", dependencies: ["ROOTIO"]),
        // The catalog and job queue on SQLite (embedded default) or PostgreSQL (production), one code path.
        .target(name: "Catalog", dependencies: [
            "DQMIO", "CCompression",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // DFI (indexer), DETL (ETL), the workers that run their jobs, and the export (zlib's CRC-32 for its ZIP entries).
        .target(name: "Pipeline", dependencies: ["ROOTIO", "DQMIO", "Catalog", "CCompression"]),
        // The REST API (/api/v1, OpenAPI document generated from the same endpoint table) and the web UI.
        .target(name: "Server", dependencies: [
            "Catalog", "Pipeline",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "JWTKit", package: "jwt-kit"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ], resources: [.copy("Assets")]),
        .executableTarget(
            name: "mlplayground",
            dependencies: ["DQMIO", "Catalog", "Pipeline", "Server", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // The fuzz target: `make fuzz` builds it with -DFUZZING -sanitize=fuzzer; plain builds replay inputs.
        .executableTarget(name: "dqmio-fuzz", dependencies: ["DQMIO"]),
        // Tests find the committed fixtures under Tests/Fixtures through TestSupport's #filePath.
        .target(name: "TestSupport", dependencies: ["Catalog"], path: "Tests/TestSupport"),
        .testTarget(name: "ROOTIOTests", dependencies: ["ROOTIO", "CCompression", "TestSupport"]),
        .testTarget(name: "DQMIOTests", dependencies: ["DQMIO", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["mlplayground", "TestSupport"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Catalog", "DQMIO", "TestSupport", "mlplayground"]),
        // Against `mlplayground serve` running on SQLite and PostgreSQL, over real HTTP.
        .testTarget(name: "ServerTests", dependencies: [
            "Catalog", "Pipeline", "Server", "TestSupport", "mlplayground",
            .product(name: "JWTKit", package: "jwt-kit"),
            .product(name: "CryptoExtras", package: "swift-crypto"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
    ]
)
