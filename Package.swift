// swift-tools-version:6.0
import CompilerPluginSupport
import PackageDescription

// Keel ships as ONE dynamic library, libKeel.so (Keel + KeelTensor + KeelIO + the command
// implementation). The `keel` executable links none of it: it dlopens libKeel.so, so the host
// and every plugin share a single copy of the engine and its registries (see DESIGN.md).
let package = Package(
    name: "Keel",
    products: [
        .library(name: "Keel", type: .dynamic, targets: ["Keel"]),
        .executable(name: "keel", targets: ["keel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.1"),
        // TensorBoard's protocol buffers. Only the runtime library: the message code is generated
        // once and committed (Sources/KeelIO/TensorBoard/Protos/generate.sh), so no build runs protoc.
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5-serial",
                       providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng16", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CCSV", providers: [.apt(["libcsv-dev"])]),
        .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // zlib for gzip; not named CZlib because ZIPFoundation already defines a module by that name.
        .systemLibrary(name: "CKeelZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Loops Swift cannot vectorise (square roots), in C with per-CPU clones, and the door to the
        // OpenMP thread pool (libgomp) that every parallel kernel shares.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3", "-fno-math-errno"])],
                linkerSettings: [.linkedLibrary("gomp")]),
        // Open MPI for distributed training, opened with dlopen when a job starts: the header comes
        // from Debian's libopenmpi-dev, the library is not linked (see Sources/CKeelMPI).
        .target(name: "CKeelMPI", cSettings: [.unsafeFlags([
            "-I/usr/lib/x86_64-linux-gnu/openmpi/include", "-I/usr/lib/aarch64-linux-gnu/openmpi/include",
        ])]),
        // oneDNN (Debian's libdnnl-dev) for convolutions: a few C calls that make and run its
        // primitives, so Swift sees plain functions instead of oneDNN's descriptor structs. The
        // library is opened on the first convolution (see Sources/CKeelDNNL), not linked.
        .target(name: "CKeelDNNL", cSettings: [.unsafeFlags(["-O2"])]),
        .target(name: "KeelTensor", dependencies: ["CBLAS", "CKernels", "CKeelDNNL"],
                swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        .target(name: "KeelIO", dependencies: [
            "CHDF5", "CPNG", "CCSV", "CTurboJPEG", "CKeelZlib",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ], exclude: ["TensorBoard/Protos"]),
        // `@Component`: generates a component's Swift initialiser from its `@Hyper` declarations.
        // A compiler plugin (an executable the compiler runs), not linked into libKeel.so.
        .macro(name: "KeelMacros", dependencies: [
            .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
            .product(name: "SwiftCompilerPlugin", package: "swift-syntax"),
        ]),
        .target(name: "Keel", dependencies: [
            "KeelTensor", "KeelIO", "KeelMacros", "CKeelMPI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The launcher: depends on no Keel target on purpose.
        .executableTarget(name: "keel"),

        .testTarget(name: "KeelTensorTests", dependencies: ["KeelTensor"]),
        .testTarget(name: "KeelMacrosTests", dependencies: [
            "KeelMacros",
            .product(name: "SwiftSyntaxMacrosTestSupport", package: "swift-syntax"),
        ]),
        .testTarget(name: "KeelIOTests", dependencies: ["KeelIO", "KeelTestSupport"]),
        .testTarget(name: "KeelTests", dependencies: ["Keel", "KeelTestSupport"]),
        // Data-driven parity with real Keras: runs every case of the fixture directory
        // ($KEEL_FIXTURES, default ../shared/fixtures/keras).
        .testTarget(name: "KeelParityTests", dependencies: ["Keel", "KeelTestSupport"]),
        .testTarget(name: "KeelCLITests", dependencies: ["KeelTestSupport"]),
        .target(name: "KeelTestSupport", path: "Tests/KeelTestSupport"),
    ],
    // Swift 5 language mode: the engine holds process-wide registries and buffer pools that are
    // guarded by locks, which Swift 6's static checking cannot see.
    swiftLanguageModes: [.v5]
)
