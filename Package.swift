// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "portfolio",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "portfolio", targets: ["portfolio"]),
    .executable(name: "portfolio-fuzz", targets: ["portfolio-fuzz"]),
    .library(name: "PortfolioCore", targets: ["PortfolioCore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
  ],
  targets: [
    // One system-library target per C library; each is wrapped by exactly one Swift module.
    .systemLibrary(
      name: "CLibMagic", pkgConfig: "libmagic", providers: [.apt(["libmagic-dev"])]),
    .systemLibrary(
      name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
    .systemLibrary(
      name: "CLibZip", pkgConfig: "libzip", providers: [.apt(["libzip-dev"])]),
    .systemLibrary(
      name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CLibDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
    .systemLibrary(name: "CLibQPDF", pkgConfig: "libqpdf", providers: [.apt(["libqpdf-dev"])]),
    .systemLibrary(
      name: "CLibXLSXWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),

    .target(name: "Magic", dependencies: ["CLibMagic"]),
    .target(name: "XMLKit", dependencies: ["CLibXML2"]),
    .target(name: "ZipKit", dependencies: ["CLibZip"]),
    .target(name: "Digest", dependencies: ["CLibCrypto", "CSHA256Pair"]),
    .target(name: "Inflate", dependencies: ["CZlib"]),
    .target(name: "LibDeflate", dependencies: ["CLibDeflate"]),
    .target(name: "QPDFKit", dependencies: ["CLibQPDF"]),
    .target(name: "XLSXKit", dependencies: ["CLibXLSXWriter"]),
    // Uploads read through a mapping, a truncation while mapped turned into zeros and a flag (C:
    // the SIGBUS handler must be async-signal-safe).
    .target(name: "CMappedFile"),
    // Folders listed with getdents64 itself (glibc declares it only for _GNU_SOURCE; Swift cannot
    // call the variadic syscall(2)).
    .target(name: "CDirectory"),
    // A JPEG's entropy-coded data searched for its next marker 64 bytes at a time (SSE2).
    .target(name: "CByteScan"),
    // Two uploads' SHA-256 at once, their rounds interleaved with the x86 SHA extensions.
    .target(name: "CSHA256Pair"),

    .target(
      name: "PortfolioCore",
      dependencies: [
        "Magic", "XMLKit", "ZipKit", "Digest", "Inflate", "LibDeflate", "QPDFKit", "XLSXKit", "CMappedFile",
        "CDirectory", "CByteScan",
        .product(name: "CSV", package: "CSV.swift"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Yams", package: "Yams"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "SystemPackage", package: "swift-system"),
      ],
      // Compiled in by scripts/embed-resources.py (Model/EmbeddedResources.swift): an installed
      // binary needs no resource bundle beside it.
      exclude: ["Resources/policies.json", "Resources/manifest-v1.xsd"]),
    .executableTarget(
      name: "portfolio",
      dependencies: [
        "PortfolioCore",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    // The fuzz harness (scripts/fuzz.sh links libFuzzer; a plain build replays given files).
    .target(name: "CFuzzerDriver"),
    .executableTarget(name: "portfolio-fuzz", dependencies: ["PortfolioCore", "CFuzzerDriver"]),

    // What the test targets share: temporary drops, the built CLI, golden files.
    .target(name: "TestSupport", dependencies: ["PortfolioCore"], path: "Tests/TestSupport"),
    .testTarget(name: "MagicTests", dependencies: ["Magic"]),
    .testTarget(name: "XMLKitTests", dependencies: ["XMLKit"]),
    .testTarget(name: "ZipKitTests", dependencies: ["ZipKit"]),
    .testTarget(name: "DigestAndInflateTests", dependencies: ["Digest", "Inflate", "LibDeflate"]),
    .testTarget(name: "XLSXKitTests", dependencies: ["XLSXKit"]),
    .testTarget(
      name: "PortfolioCoreTests",
      dependencies: [
        "PortfolioCore", "TestSupport", "ZipKit", "XMLKit", .product(name: "GRDB", package: "GRDB.swift"),
      ], exclude: ["Golden"]),
    .testTarget(
      name: "EndToEndTests", dependencies: ["PortfolioCore", "TestSupport", "portfolio", "ZipKit", "Inflate"],
      exclude: ["Golden"]),
  ]
)
