import Foundation
import XCTest
@testable import Keel
import KeelTestSupport

/// A save never leaves a broken file where a good one was: a save that fails half-way leaves
/// the old file and no temporary file, and a `keel fit` process killed with SIGKILL while it
/// writes its model leaves the old model or the new one, each loadable.
final class SavingAtomicityTests: XCTestCase {
    private var directory: URL!

    override func setUp() {
        directory = ProjectPaths.temporaryDirectory("keel-saving-atomic")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    func testSaveFailingHalfWayLeavesTheOldFileAndNoTemporaryFile() throws {
        let target = path("model.h5")
        let good = try Sequential([InputLayer(batchShape: [nil, 3]), Dense(units: 2, name: "a")], name: "good")
        try good.save(to: target)
        let before = try Data(contentsOf: URL(fileURLWithPath: target))
        // Two layers with one name: writing the second layer's group fails after the file has
        // been created and partly written.
        let input = Input(shape: [3])
        let twins = try Model(inputs: input, outputs: Dense(units: 2, name: "twin")(Dense(units: 2, name: "twin")(input)))
        XCTAssertThrowsError(try twins.save(to: target)) { error in
            XCTAssertTrue(error is KeelError, "\(error)")
            XCTAssertTrue("\(error)".contains(target), "the error names the file: \(error)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: target)), before, "the old file is unchanged")
        XCTAssertEqual(try contents(), ["model.h5"], "no temporary file is left")
        XCTAssertEqual(try Model.load(from: target).weights.map(\.value.scalars), good.weights.map(\.value.scalars))
    }

    /// Kills `keel fit` (which saves the trained model to `--output`) the moment its temporary
    /// file appears, plus a random delay of up to 40 ms, while the large model is being written.
    func testKilledWhileSavingLeavesAWholeModel() throws {
        let keel = ProjectPaths.keelExecutable
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: keel.path),
                      "\(keel.path) is missing: build with `swift build --build-tests`")
        // About 36 MB on disk with the Adam slots, so writing takes a while.
        let model = try Sequential([InputLayer(batchShape: [nil, 1024]), Dense(units: 1024, activation: "relu", name: "wide0"),
                                    Dense(units: 1024, activation: "relu", name: "wide1"), Dense(units: 10, name: "logits")],
                                   name: "wide")
        try model.compile(optimizer: "adam", loss: .all(.name("sparse_categorical_crossentropy")))
        let start = path("start.h5"), target = path("target.h5")
        try model.save(to: start)
        try model.save(to: target)
        try NPY.write(ArrayData((0..<(8 * 1024)).map { Float($0 % 7) / 7 }, shape: [8, 1024]), to: path("x.npy"))
        try NPY.write(ArrayData((0..<8).map { Int32($0) }, shape: [8]), to: path("y.npy"))

        var killedMidWrite = 0
        for attempt in 0..<6 {
            let previous = try Data(contentsOf: URL(fileURLWithPath: target))
            let process = Process()
            process.executableURL = keel
            process.arguments = ["fit", start, "--x", path("x.npy"), "--y", path("y.npy"), "--epochs", "1",
                                 "--batch-size", "8", "--no-shuffle", "--output", target]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            var sawTemporaryFile = false
            while process.isRunning {
                if try contents().contains(where: { $0.hasPrefix(".target.h5.tmp-") }) {
                    sawTemporaryFile = true
                    usleep(UInt32.random(in: 0...40_000))
                    kill(process.processIdentifier, SIGKILL)
                    break
                }
                usleep(500)
            }
            process.waitUntilExit()
            let killed = process.terminationReason == .uncaughtSignal
            let now = try Data(contentsOf: URL(fileURLWithPath: target))
            if killed && sawTemporaryFile && now == previous { killedMidWrite += 1 }
            XCTAssertTrue(killed || process.terminationStatus == 0, "attempt \(attempt): keel fit failed")
            // Old or new, the file at the target is a whole model.
            let loaded = try Model.load(from: target)
            XCTAssertEqual(loaded.weights.map(\.shape), model.weights.map(\.shape), "attempt \(attempt)")
            XCTAssertNotNil(loaded.optimizer, "attempt \(attempt): optimizer state")
            // SIGKILL gives the writer no chance to remove its temporary file; it never
            // replaces the target, and the next run's file has another name.
            for leftover in try contents() where leftover.hasPrefix(".target.h5.tmp-") {
                try FileManager.default.removeItem(atPath: path(leftover))
            }
        }
        XCTAssertGreaterThan(killedMidWrite, 0, "no attempt was killed while the model was being written")
        print("SavingAtomicityTests: \(killedMidWrite) of 6 `keel fit` runs killed while writing; every target loaded")
    }
}
