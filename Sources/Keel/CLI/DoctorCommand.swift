import ArgumentParser
import Foundation

/// `keel doctor`: proves an installation works: the engine loads, BLAS runs and computes
/// correct products, which library runs convolutions, the Swift compiler that builds plugins (every experiment is one) is on
/// PATH, and the Fashion-MNIST files the default experiments use are present.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the installation: engine, BLAS speed and correctness, Swift compiler for plugins, datasets.")

    @Option(help: "Size n of the n×n single-precision matrix product used for the check.")
    var size: Int = 512

    func validate() throws {
        guard (16...4096).contains(size) else {
            throw ValidationError("--size must be between 16 and 4096, found \(size)")
        }
    }

    func run() throws {
        print(KeelCommand.versionText())
        let check = GemmCheck(size: size)
        let gflops = check.measureGFLOPs()
        guard check.maxRelativeError < 1e-3 else {
            throw KeelError("BLAS sgemm \(size)×\(size)", expected: "relative error below 1e-3",
                            found: String(format: "%.3g", check.maxRelativeError))
        }
        print(String(format: "sgemm %d×%d: %.1f GFLOP/s, max relative error %.2g against a naive product",
                     size, size, gflops, check.maxRelativeError))
        print(ConvolutionLibrary.summary)
        print(BLAS.summary)
        let dataset = FashionMNISTFiles.defaultDirectory
        let present = FashionMNISTFiles.required.filter {
            FileManager.default.fileExists(atPath: dataset + "/" + $0)
        }
        print("Fashion-MNIST in \(dataset): \(present.count) of \(FashionMNISTFiles.required.count) files")
        print("engine: \(Engine.libraryPath) (build \(Engine.buildIdentity))")
        print(PluginCacheReport(directory: PluginBuilder.defaultCacheDirectory).line)
        // Last, so that every other line is printed before a missing compiler ends the command.
        let compiler = try PluginBuilder.swiftCompiler()
        print("swiftc: \(compiler)\(Self.version(of: compiler).map { " (\($0))" } ?? "")")
    }

    /// The first line of `swiftc --version`, or nil when it cannot be run.
    static func version(of compiler: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: compiler)
        process.arguments = ["--version"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let first = String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init)
        return process.terminationStatus == 0 ? first : nil
    }
}

/// What the plugin cache holds: libraries built for this engine and ones left by earlier builds
/// (each build folder records the engine identity it was compiled against).
struct PluginCacheReport {
    let directory: String

    var line: String {
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var current = 0, stale = 0
        for folder in folders {
            let info = (try? String(contentsOfFile: "\(directory)/\(folder)/KeelPluginBuildInfo.swift", encoding: .utf8)) ?? ""
            guard !info.isEmpty else { continue }
            if info.contains("\"\(Engine.buildIdentity)\"") { current += 1 } else { stale += 1 }
        }
        var existing = directory
        while !FileManager.default.fileExists(atPath: existing), existing != "/" { existing = (existing as NSString).deletingLastPathComponent }
        let writable = FileManager.default.isWritableFile(atPath: existing) ? "" : " (not writable: plugins cannot be built)"
        return "plugin cache: \(directory): \(current) built for this engine, \(stale) from earlier builds\(writable)"
    }
}

/// Multiplies two seeded random matrices with BLAS and checks sampled entries against a
/// double-precision dot product.
struct GemmCheck {
    let size: Int
    private(set) var maxRelativeError: Double = 0
    private let a: [Float]
    private let b: [Float]

    init(size: Int) {
        self.size = size
        var generator = SplitMix64(seed: 42)
        a = (0..<size * size).map { _ in Float(generator.nextUnit() - 0.5) }
        b = (0..<size * size).map { _ in Float(generator.nextUnit() - 0.5) }
        var c = [Float](repeating: 0, count: size * size)
        multiply(into: &c)
        var worst = 0.0
        for sample in 0..<64 {
            let row = (sample &* 7919) % size, column = (sample &* 104_729) % size
            var exact = 0.0, magnitude = 0.0
            for i in 0..<size {
                let term = Double(a[row * size + i]) * Double(b[i * size + column])
                exact += term
                magnitude += abs(term)
            }
            worst = max(worst, abs(Double(c[row * size + column]) - exact) / max(magnitude, 1e-12))
        }
        maxRelativeError = worst
    }

    private func multiply(into c: inout [Float]) {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    BLAS.sgemm(transposeA: false, transposeB: false, m: size, n: size, k: size,
                               alpha: 1, a: pa.baseAddress!, lda: size, b: pb.baseAddress!, ldb: size,
                               beta: 0, c: pc.baseAddress!, ldc: size)
                }
            }
        }
    }

    func measureGFLOPs() -> Double {
        var c = [Float](repeating: 0, count: size * size)
        multiply(into: &c)  // warm-up: OpenBLAS starts its threads on first use
        let repetitions = max(1, 200_000_000 / (size * size * size))
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<repetitions { multiply(into: &c) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return 2 * Double(size * size * size) * Double(repetitions) / seconds / 1e9
    }
}

/// A small, fast generator for test data in checks; the engine's own RNG lives in KeelTensor.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }
}
