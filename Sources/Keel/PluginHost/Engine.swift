import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the running engine (libKeel.so) lives and what plugins must be compiled against.
public enum Engine {
    /// The path of the loaded libKeel.so (or of the executable that links the engine statically,
    /// as unit tests do).
    public static let libraryPath: String = {
        // The mapping that contains this module's code names the file it came from.
        let address = UInt(bitPattern: unsafeBitCast(Engine.markerFunction, to: UnsafeRawPointer.self))
        // Read to the end: procfs files report a size of 0, so size-based reads see nothing.
        let data = FileHandle(forReadingAtPath: "/proc/self/maps")?.readDataToEndOfFile() ?? Data()
        let maps = String(decoding: data, as: UTF8.self)
        for line in maps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, let dash = fields[0].firstIndex(of: "-"),
                  let low = UInt(fields[0][..<dash], radix: 16),
                  let high = UInt(fields[0][fields[0].index(after: dash)...], radix: 16),
                  address >= low, address < high else { continue }
            return fields[5...].joined(separator: " ")
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    }()

    private static let markerFunction: @convention(c) () -> Void = { }

    /// The build products directory (.build/debug or .build/release).
    public static var productsDirectory: String { (libraryPath as NSString).deletingLastPathComponent }

    /// True when the engine was built with optimisation (plugins are then compiled with -O too).
    public static var isOptimized: Bool {
        #if DEBUG
        return false
        #else
        return true
        #endif
    }

    /// The package root (the folder holding Package.swift above the products directory), where
    /// the C modules' maps and the default plugin folders are.
    public static var packageRoot: String? {
        var url = URL(fileURLWithPath: productsDirectory)
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path),
               FileManager.default.fileExists(atPath: url.appendingPathComponent("Sources/Keel").path) {
                return url.path
            }
            url.deleteLastPathComponent()
        }
        return nil
    }

    /// Identifies this exact engine binary: a hash of libKeel.so's bytes. A plugin records the
    /// identity it was compiled against and refuses to register into a different engine.
    public static let buildIdentity: String = {
        guard let data = FileManager.default.contents(atPath: libraryPath) else { return "unknown" }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        data.withUnsafeBytes { raw in
            // FNV-1a over 8-byte words: fast enough for a 50 MB debug library (~30 ms).
            let words = raw.count / 8
            let base = raw.baseAddress!
            for i in 0..<words {
                hash = (hash ^ base.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self)) &* 0x100_0000_01b3
            }
            for i in (words * 8)..<raw.count { hash = (hash ^ UInt64(raw[i])) &* 0x100_0000_01b3 }
        }
        return String(hash, radix: 16) + "-" + String(data.count, radix: 16)
    }()
}

@_cdecl("keel_engine_build_identity")
public func keelEngineBuildIdentity() -> UnsafePointer<CChar> {
    struct Holder { nonisolated(unsafe) static let cString = strdup(Engine.buildIdentity)! }
    return UnsafePointer(Holder.cString)
}
