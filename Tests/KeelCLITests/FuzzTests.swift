import Foundation
import XCTest
import KeelTestSupport

/// Mutated inputs of every reader (legacy `.h5` models, `.keras` zips incl. ZIP64, snapshot
/// `.weights.h5`, `.npy`, CSV logs, a run's config.json / status.json / training_metadata.json)
/// run through the built `keel`: none may end in a signal, a trap or a time-out.
///
/// The suite runs a short campaign; `make fuzz` runs a long one on the release binary. Settings
/// (environment): KEEL_FUZZ_INPUTS (default 100), KEEL_FUZZ_SEED (default 1), KEEL_FUZZ_ONLY (rerun
/// one input), KEEL_FUZZ_KEEL (the binary; default this build's), KEEL_FUZZ_TIMEOUT (seconds,
/// default 60), KEEL_FUZZ_REPORT (a JSON file for the table), KEEL_FUZZ_FINDINGS (where crashing
/// and hanging inputs are kept; default .build/fuzz-findings).
final class FuzzTests: XCTestCase {
    private let environment = ProcessInfo.processInfo.environment

    private var keel: String { environment["KEEL_FUZZ_KEEL"].map { URL(fileURLWithPath: $0).path } ?? ProjectPaths.keelExecutable.path }

    func testMutatedInputsOfEveryReaderNeitherCrashNorHang() throws {
        let scratch = ProjectPaths.temporaryDirectory("keel-fuzz").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let corpus = try FuzzCorpus(keel: keel, directory: scratch + "/corpus")
        try assertSeedsAreRead(corpus, scratch: scratch + "/baseline")

        let campaign = FuzzCampaign(
            keel: keel, targets: FuzzTargets.all(corpus),
            seed: UInt64(environment["KEEL_FUZZ_SEED"] ?? "") ?? 1,
            count: Int(environment["KEEL_FUZZ_INPUTS"] ?? "") ?? 100,
            // A debug keel on a busy machine is slow: the suite's time-out is generous, `make fuzz` uses 20 s.
            timeout: Double(environment["KEEL_FUZZ_TIMEOUT"] ?? "") ?? 60,
            workDirectory: scratch + "/inputs",
            findingsDirectory: environment["KEEL_FUZZ_FINDINGS"] ?? ProjectPaths.root.path + "/.build/fuzz-findings")
        campaign.onlyIndex = environment["KEEL_FUZZ_ONLY"].flatMap { Int($0) }
        campaign.run(parallel: 2)
        print("\nFuzzing keel's readers:\n" + campaign.table + "\n")
        if let report = environment["KEEL_FUZZ_REPORT"] {
            let data = try JSONSerialization.data(withJSONObject: campaign.json, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: report))
            print("wrote \(report)")
        }
        XCTAssertEqual(campaign.generationErrors, [], "inputs that could not be made")
        XCTAssertEqual(campaign.total.runs + campaign.generationErrors.count, campaign.onlyIndex == nil ? campaign.count : 1)
        for finding in campaign.findings.sorted(by: { $0.index < $1.index }) {
            XCTFail("""
                \(finding.result.outcome.rawValue.uppercased()) in \(finding.target), input \(finding.index) of seed \(campaign.seed): \
                \(finding.result.status)
                mutation: \(finding.mutation)
                command: keel \(finding.arguments.joined(separator: " "))
                input kept in \(finding.kept) (FINDING.txt there)
                reproduce: \(campaign.reproducer(finding.index))
                stderr: \(Self.gist(finding.result.stderr))
                """)
        }
    }

    /// The lines of a crash report that say what happened (the runtime's message, the signal),
    /// not the register dump that ends it.
    static func gist(_ stderr: String) -> String {
        let lines = stderr.split(separator: "\n").filter {
            ["Fatal error", "Program crashed", "Error", "error:", "Illegal instruction", "Segmentation fault"].contains(where: $0.contains)
        }
        return lines.isEmpty ? String(stderr.prefix(400)) : lines.prefix(4).joined(separator: "\n")
    }

    /// Every seed, unmutated, is read successfully: otherwise the mutations of it would only
    /// ever meet an early error and prove nothing.
    private func assertSeedsAreRead(_ corpus: FuzzCorpus, scratch: String) throws {
        try FileManager.default.createDirectory(atPath: scratch + "/runs/fashion-mlp", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: corpus.run, toPath: scratch + "/runs/fashion-mlp/run")
        // The seeds this harness makes by hand: the ZIP64 re-encodings and the killed run (the
        // other seeds are files Keras or `keel fit` wrote, unchanged).
        let zip64 = corpus.archives.filter { $0.name.hasSuffix("zip64") }
        var commands = zip64.map { ["summary", $0.path] }
        commands += zip64.enumerated()
            .map { ["predict", $1.path] + $1.inputs.flatMap { ["--input", $0] } + ["--output", "\(scratch)/y\($0)"] }
        commands += [["plot", corpus.run + "/log.csv", "--output", scratch + "/log.png"], ["runs", "runs"],
                     ["resume", "runs/fashion-mlp/run"]]
        for command in commands {
            let result = try runProcess(URL(fileURLWithPath: keel), command, currentDirectory: URL(fileURLWithPath: scratch))
            XCTAssertEqual(result.status, 0, "unmutated seed: keel \(command.joined(separator: " "))\n\(result.stdout)\n\(result.stderr)")
        }
    }
}
