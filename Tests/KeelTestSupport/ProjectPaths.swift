import Foundation

/// Paths the tests need: the package root, the built `keel` binary, the shared fixtures and
/// the test venv that `make test` creates.
public enum ProjectPaths {
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// The directory `swift build` writes products to for this test run's configuration.
    public static var buildProducts: URL {
        // The test bundle lives in the products directory (e.g. .build/debug/KeelPackageTests.xctest).
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return URL(fileURLWithPath: bundle.bundlePath).deletingLastPathComponent()
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    public static var keelExecutable: URL { buildProducts.appendingPathComponent("keel") }

    public static var sharedFixtures: URL {
        if let custom = ProcessInfo.processInfo.environment["KEEL_FIXTURES"] {
            return URL(fileURLWithPath: custom)
        }
        return root.deletingLastPathComponent().appendingPathComponent("shared/fixtures/keras")
    }

    public static var venvPython: URL { root.appendingPathComponent(".venv-test/bin/python") }

    /// A new empty directory under the system temporary directory.
    public static func temporaryDirectory(_ label: String = "keel-test") -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
