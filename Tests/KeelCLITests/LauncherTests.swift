import Foundation
import XCTest
import KeelTestSupport

/// The `keel` launcher: loads libKeel.so from its own directory, picks the OpenBLAS core type
/// only when the user has not, and explains a missing engine in one sentence.
final class LauncherTests: XCTestCase {
    private var keel: URL { ProjectPaths.keelExecutable }

    private func cpuHasAVX512() throws -> Bool {
        let info = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = info.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        return flags.split(separator: " ").contains("avx512f")
    }

    func testVersionRunsThroughTheEngineLibrary() throws {
        let result = try runProcess(keel, ["--version"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("keel "), result.stdout)
        XCTAssertTrue(result.stdout.contains("OpenBLAS core"), result.stdout)
    }

    func testHelpListsTheCommands() throws {
        let result = try runProcess(keel, ["--help"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("USAGE: keel"), result.stdout)
        XCTAssertTrue(result.stdout.contains("doctor"), result.stdout)
    }

    func testLauncherSetsSkylakeXOnlyWhenUnset() throws {
        let unset = try runProcess(keel, ["--version"], environment: ["OPENBLAS_CORETYPE": nil])
        XCTAssertEqual(unset.status, 0, unset.stderr)
        if try cpuHasAVX512() {
            XCTAssertTrue(unset.stdout.contains("core SkylakeX"), unset.stdout)
        } else {
            XCTAssertFalse(unset.stdout.contains("core SkylakeX"), unset.stdout)
        }
        // A user's choice wins: the launcher must not overwrite it.
        let chosen = try runProcess(keel, ["--version"], environment: ["OPENBLAS_CORETYPE": "Sandybridge"])
        XCTAssertEqual(chosen.status, 0, chosen.stderr)
        XCTAssertTrue(chosen.stdout.contains("core Sandybridge"), chosen.stdout)
    }

    /// KEEL_NUM_THREADS is the one thread setting: OpenBLAS runs on OpenMP's pool (the build the
    /// Makefile installs, which the launcher loads), with KEEL_NUM_THREADS threads unless
    /// OMP_NUM_THREADS says otherwise.
    func testKeelNumThreadsSetsTheOneThreadPool() throws {
        func version(_ environment: [String: String?]) throws -> String {
            let result = try runProcess(keel, ["--version"], environment: environment)
            XCTAssertEqual(result.status, 0, result.stderr)
            return result.stdout
        }
        let unset: [String: String?] = ["OMP_NUM_THREADS": nil, "OPENBLAS_NUM_THREADS": nil]
        XCTAssertTrue(try version(unset.merging(["KEEL_NUM_THREADS": "1"]) { $1 }).contains("OpenMP, 1 thread)"))
        XCTAssertTrue(try version(unset.merging(["KEEL_NUM_THREADS": "1", "OMP_NUM_THREADS": "2"]) { $1 }).contains("OpenMP, 2 threads)"))
        let ignored = try version(unset.merging(["KEEL_NUM_THREADS": "many"]) { $1 })
        XCTAssertFalse(ignored.contains(", 0 threads)"), ignored)
    }

    func testMissingEngineLibraryIsOneClearSentence() throws {
        let directory = ProjectPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let lonely = directory.appendingPathComponent("keel")
        try FileManager.default.copyItem(at: keel, to: lonely)
        let result = try runProcess(lonely, ["--version"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertEqual(result.stdout, "")
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("libKeel.so"), result.stderr)
        XCTAssertTrue(result.stderr.contains(directory.path), result.stderr)
    }

    func testDoctorMultipliesCorrectly() throws {
        let result = try runProcess(keel, ["doctor", "--size", "64"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("sgemm 64×64"), result.stdout)
    }

    func testBadArgumentNamesIt() throws {
        let result = try runProcess(keel, ["doctor", "--size", "3"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("--size"), result.stderr)
    }
}
