// swift-tools-version: 6.1
// Micro-benchmarks of ecsdiagd's hot path (ordo-one/benchmark). A separate package so that `swift build`,
// `swift test` and CI of the main package never build them:
//
//     cd Benchmarks && swift package benchmark                  # every benchmark, p0…p100 tables
//     cd Benchmarks && swift package benchmark --filter prefilter
//     swift run -c release --package-path Benchmarks prefilter-literals   # the prefilter's literal set
import PackageDescription

let package = Package(
    name: "ecsdiagd-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        // The package being measured. Its identity is its directory's name, so products are named through
        // `package: "ecsdiagd"`, the manifest's name (see below).
        .package(name: "ecsdiagd", path: "../"),
        // MallocInterposer only: the default RuntimeInterposer trait needs a package that is not available here,
        // and jemalloc is not needed since 1.38.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Deterministic benign and signal records shared by the benchmarks.
        .target(
            name: "BenchFixtures",
            dependencies: [.product(name: "DiagnosisRules", package: "ecsdiagd")],
            path: "Sources/BenchFixtures"
        ),
        .executableTarget(
            name: "HotPath",
            dependencies: [
                "BenchFixtures",
                .product(name: "DiagnosisRules", package: "ecsdiagd"),
                .product(name: "LogDecoding", package: "ecsdiagd"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/HotPath",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Prints SignalMatcher.prefilterLiterals, one per line: the literal set scripts/bench.sh hands to grep and rg.
        .executableTarget(
            name: "prefilter-literals",
            dependencies: [.product(name: "DiagnosisRules", package: "ecsdiagd")],
            path: "Sources/PrefilterLiterals"
        ),
    ]
)
