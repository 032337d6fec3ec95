// swift-tools-version:6.0
import PackageDescription

/// Numeric targets are compiled with bounds checks off in release builds: the kernels index
/// raw buffers in hot loops, and their shapes are validated once, up front, by the layers.
let numericSettings: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release)),
]

let package = Package(
    name: "Flywheel",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "flywheel", targets: ["flywheel"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Store", targets: ["Store"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5",
                       providers: [.apt(["libhdf5-dev"])]),
        .target(name: "CFloatingPoint"),
        .target(name: "CWorkerTeam"),
        .target(name: "CPeak"),
        .target(name: "CConvolution", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "Engine", dependencies: ["CBLAS", "CFloatingPoint", "CPeak", "CConvolution", "CWorkerTeam"], swiftSettings: numericSettings),
        .plugin(name: "BuildInfo", capability: .buildTool(), path: "Plugins/BuildInfo"),
        .target(name: "Store", dependencies: ["CHDF5", "Engine"], plugins: ["BuildInfo"]),
        .target(name: "CImageCodecs", linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("jpeg"), .linkedLibrary("tiff")]),
        .target(name: "Datasets", dependencies: ["Engine", "Store", "CImageCodecs"], swiftSettings: numericSettings),
        .target(name: "Curation", dependencies: ["Engine", "Datasets", "Store"]),
        .target(name: "Harness", dependencies: ["Engine", "Datasets", "Curation", "Store", .product(name: "Yams", package: "Yams")]),
        .target(name: "Audit", dependencies: ["Engine", "Datasets", "Curation", "Store", "Harness"]),
        .target(name: "Claims", dependencies: ["Store", "Harness"]),
        .target(name: "Reports", dependencies: ["Harness", "Audit", "Claims", "Curation", "Datasets", "Store"]),
        .executableTarget(
            name: "flywheel",
            dependencies: [
                "Engine",
                "Store",
                "Datasets",
                "Curation",
                "Harness",
                "Audit",
                "Claims",
                "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .target(name: "AllocationCounter", path: "Tests/AllocationCounter"),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "AllocationCounter", "CFloatingPoint", "CWorkerTeam"]),
        .executableTarget(name: "StoreCrashWriter", dependencies: ["Store"], path: "Tests/StoreCrashWriter"),
        .testTarget(name: "HarnessTests", dependencies: ["Harness", "Store", "Datasets", "Curation", "Engine"]),
        .testTarget(name: "AuditTests", dependencies: ["Audit", "Harness", "Store", "Datasets", "Curation", "Engine"]),
        .testTarget(name: "ClaimsTests", dependencies: ["Claims", "Harness", "Store", "Datasets", "Engine"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Audit", "Claims", "Harness", "Store", "Datasets"]),
        .testTarget(name: "CurationTests", dependencies: ["Curation", "Datasets", "Engine", "TestSupport"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Store", "Engine", "TestSupport"]),
        .testTarget(name: "CommandLineTests", dependencies: ["TestSupport", "flywheel"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Engine", "TestSupport", "StoreCrashWriter"]),
    ]
)
