// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "ecsdiagd",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ecsdiagd", targets: ["ecsdiagd"]),
        .library(name: "DiagnosisRules", targets: ["DiagnosisRules"]),
        .library(name: "LogDecoding", targets: ["LogDecoding"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // C shims for system libraries.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // SIMD byte-scanning kernels (multi-literal prefilter, JSON scanning) with run-time CPU dispatch.
        .target(name: "CByteScan"),

        // Pure core: bytes and event time in, signals and alert transitions out.
        .target(
            name: "DiagnosisRules",
            dependencies: ["CByteScan", .product(name: "HeapModule", package: "swift-collections")],
            swiftSettings: swiftSettings
        ),
        // Pure decoders: every CloudWatch / ECS / metrics shape into normalised records.
        .target(
            name: "LogDecoding", dependencies: ["DiagnosisRules", "CByteScan", "CZlib"], swiftSettings: swiftSettings
        ),

        // Imperative shell.
        .target(name: "SystemdJournal", dependencies: ["CSystemd"], swiftSettings: swiftSettings),
        .target(name: "LogFollowing", dependencies: ["DiagnosisRules"], swiftSettings: swiftSettings),
        .target(
            name: "ECSDiagKit",
            dependencies: [
                "DiagnosisRules", "LogDecoding", "SystemdJournal", "LogFollowing",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ecsdiagd",
            dependencies: [
                "ECSDiagKit", "DiagnosisRules", "LogDecoding",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        .testTarget(
            name: "DiagnosisRulesTests",
            dependencies: [
                "DiagnosisRules", "CByteScan", .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "LogDecodingTests", dependencies: ["LogDecoding", "DiagnosisRules"], resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "SystemdJournalTests", dependencies: ["SystemdJournal"], swiftSettings: swiftSettings),
        .testTarget(name: "LogFollowingTests", dependencies: ["LogFollowing"], swiftSettings: swiftSettings),
        .testTarget(name: "ECSDiagKitTests", dependencies: ["ECSDiagKit", "DiagnosisRules", "LogDecoding", "SystemdJournal"], swiftSettings: swiftSettings),
        .testTarget(name: "ecsdiagdTests", dependencies: ["ecsdiagd"], exclude: ["Golden"], swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
