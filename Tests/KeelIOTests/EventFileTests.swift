import Foundation
import XCTest
import KeelIO
import KeelTestSupport

/// TensorBoard event files: the TFRecord framing checked by TensorFlow's own reader (which
/// verifies every CRC), the events parsed by TensorBoard's, for files of no, one and many events.
final class EventFileTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws { directory = ProjectPaths.temporaryDirectory("keel-event-file") }
    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    private func path(_ relative: String) -> String { directory.appendingPathComponent(relative).path }

    func testCRC32CIsTheCastagnoliChecksum() {
        // The published check value of CRC-32C.
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
        XCTAssertEqual(CRC32C.checksum([UInt8]()), 0)
    }

    func testFileNameIsTensorFlows() throws {
        let first = try EventFile(directory: path("a"))
        let second = try EventFile(directory: path("a"))
        let pattern = #"^events\.out\.tfevents\.\d{10}\.[^.]+(\.[^.]+)*\.\#(getpid())\.\d+\.v2$"#
        for file in [first, second] {
            let name = URL(fileURLWithPath: file.path).lastPathComponent
            XCTAssertNotNil(name.range(of: pattern, options: .regularExpression), name)
        }
        XCTAssertNotEqual(first.path, second.path, "two writers in one folder and second get two files")
    }

    func testWritingAfterCloseThrows() throws {
        let file = try EventFile(directory: path("closed"))
        try file.close()
        XCTAssertThrowsError(try file.writeScalar(tag: "loss", value: 1, step: 0)) { error in
            XCTAssertTrue(error is KeelError, "\(error)")
        }
    }

    /// Files of 0, 1 and 300 summaries (300 through small buffers, so many flushes), a copy with
    /// one byte changed, and one cut in the middle of a record.
    func testTensorFlowReadsTheFramingAndTensorBoardTheEvents() throws {
        var files: [String: String] = [:]
        for count in [0, 1, 300] {
            let file = try EventFile(directory: path("events_\(count)"))
            file.bufferLimit = 100
            for step in 0..<count { try file.writeScalar(tag: "value", value: Float(step) / 4, step: step) }
            try file.close()
            files["\(count)"] = file.path
        }
        let many = try Data(contentsOf: URL(fileURLWithPath: files["300"]!))
        var corrupt = many
        corrupt[corrupt.count / 2] ^= 0x20
        try corrupt.write(to: URL(fileURLWithPath: path("corrupt.tfevents")))
        try many.prefix(many.count - 7).write(to: URL(fileURLWithPath: path("truncated.tfevents")))
        let script = """
        import sys, os, json
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
        import tensorflow as tf
        from tensorboard.compat.proto import event_pb2
        from tensorboard.backend.event_processing import event_file_loader
        from tensorboard.util import tensor_util
        result = {}
        for argument in sys.argv[1:]:
            label, path = argument.split("=", 1)
            entry = {}
            try:
                records = [bytes(r.numpy()) for r in tf.data.TFRecordDataset(path)]
                entry["records"] = len(records)
                first = event_pb2.Event.FromString(records[0])
                entry["file_version"] = first.file_version
            except tf.errors.DataLossError as error:
                entry["data_loss"] = True
            try:
                loaded = list(event_file_loader.EventFileLoader(path).Load())
            except Exception as error:
                entry["loader_error"] = type(error).__name__
                loaded = []
            entry["steps"] = [e.step for e in loaded if e.HasField("summary")]
            entry["values"] = [float(tensor_util.make_ndarray(v.tensor)) for e in loaded if e.HasField("summary") for v in e.summary.value]
            result[label] = entry
        print(json.dumps(result))
        """
        var arguments = files.map { "\($0.key)=\($0.value)" }
        arguments += ["corrupt=\(path("corrupt.tfevents"))", "truncated=\(path("truncated.tfevents"))"]
        let run = try runPython(script, arguments: arguments)
        XCTAssertEqual(run.status, 0, run.stderr)
        let result = try XCTUnwrap(JSONSerialization.jsonObject(with: Data((run.stdout.split(separator: "\n").last ?? "").utf8)) as? [String: [String: Any]],
                                   run.stdout)
        for count in [0, 1, 300] {
            let entry = try XCTUnwrap(result["\(count)"])
            XCTAssertEqual(entry["records"] as? Int, count + 1, "\(count): the version record, then one per summary")
            XCTAssertEqual(entry["file_version"] as? String, "brain.Event:2")
            XCTAssertNil(entry["data_loss"])
            XCTAssertEqual(entry["steps"] as? [Int], Array(0..<count))
            XCTAssertEqual(entry["values"] as? [Double], (0..<count).map { Double(Float($0) / 4) })
        }
        XCTAssertEqual(result["corrupt"]?["data_loss"] as? Bool, true, "TensorFlow checks Keel's CRCs")
        XCTAssertEqual(result["truncated"]?["data_loss"] as? Bool, true)
        // TensorBoard's loader stops at the cut record and keeps the complete ones.
        XCTAssertEqual(result["truncated"]?["steps"] as? [Int], Array(0..<299))
    }
}
