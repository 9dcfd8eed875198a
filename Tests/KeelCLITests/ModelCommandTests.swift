import Foundation
import XCTest
import KeelTestSupport

/// `keel summary / predict / evaluate / fit / plot` on the Keras fixture models, checked with NumPy.
final class ModelCommandTests: XCTestCase {
    private var mlp: URL { ProjectPaths.sharedFixtures.appendingPathComponent("h5/mlp") }
    private var ticket: URL { ProjectPaths.sharedFixtures.appendingPathComponent("h5/ticket") }

    func testSummaryPrintsKerasText() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let result = try keel.succeed(["summary", mlp.appendingPathComponent("model.h5").path])
        XCTAssertTrue(result.stdout.hasPrefix("Model: \""), result.stdout)
        XCTAssertTrue(result.stdout.contains("│ predictions (Dense)"), result.stdout)
        XCTAssertTrue(result.stdout.contains(" Total params:"), result.stdout)
    }

    func testPredictWritesWhatKerasPredicted() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        try keel.succeed(["predict", mlp.appendingPathComponent("model.h5").path, "--input", mlp.appendingPathComponent("x.npy").path,
                          "--output", keel.path("pred.npy")])
        let check = try runPython("""
            import sys, numpy as np
            a = np.load(sys.argv[1]); b = np.load(sys.argv[2])
            print(a.shape == b.shape and bool(np.allclose(a, b, atol=1e-4)))
            """, arguments: [keel.path("pred.npy"), mlp.appendingPathComponent("pred.npy").path])
        XCTAssertEqual(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "True", check.stderr)
    }

    func testPredictWithNamedInputsWritesOneFilePerOutput() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let inputs = ["title", "text_body", "tags"].flatMap { ["--input", "\($0)=\(ticket.appendingPathComponent("x_\($0).npy").path)"] }
        try keel.succeed(["predict", ticket.appendingPathComponent("model.h5").path] + inputs + ["--output", keel.path("out")])
        let check = try runPython("""
            import sys, numpy as np
            ok = all(np.allclose(np.load(f"{sys.argv[1]}/{n}.npy"), np.load(f"{sys.argv[2]}/pred_{n}.npy"), atol=1e-4)
                     for n in ["priority", "department"])
            print(ok)
            """, arguments: [keel.path("out"), ticket.path])
        XCTAssertEqual(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "True", check.stderr)
    }

    func testEvaluateFitAndPlot() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let trajectory = ProjectPaths.sharedFixtures.appendingPathComponent("h5/mlp_trajectory")
        let model = mlp.appendingPathComponent("model.h5").path
        let x = trajectory.appendingPathComponent("x.npy").path, y = trajectory.appendingPathComponent("y.npy").path
        let evaluated = try keel.succeed(["evaluate", model, "--x", x, "--y", y, "--json"])
        XCTAssertTrue(evaluated.stdout.contains("\"loss\"") && evaluated.stdout.contains("\"accuracy\""), evaluated.stdout)
        try keel.succeed(["fit", model, "--x", x, "--y", y, "--epochs", "1", "--no-shuffle", "--output", keel.path("trained.h5")])
        XCTAssertTrue(keel.exists("trained.h5"))
        let reloaded = try keel.succeed(["evaluate", keel.path("trained.h5"), "--x", x, "--y", y, "--json"])
        XCTAssertTrue(reloaded.stdout.contains("\"loss\""), reloaded.stdout)
        // A CSV log plotted to PNG.
        try "epoch,loss,accuracy\r\n0,1.5,0.4\r\n1,1.1,0.6\r\n".write(toFile: keel.path("log.csv"), atomically: true, encoding: .utf8)
        try keel.succeed(["plot", keel.path("log.csv"), "--output", keel.path("log.png")])
        let file = try runProcess(URL(fileURLWithPath: "/usr/bin/file"), [keel.path("log.png")])
        XCTAssertTrue(file.stdout.contains("PNG image data"), file.stdout)
    }

    func testBadInputsEndWithOneClearLine() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let model = mlp.appendingPathComponent("model.h5").path
        assertFails(try keel.run(["summary", keel.path("missing.h5")]), mentioning: ["missing.h5"])
        try "not a model".write(toFile: keel.path("garbage.h5"), atomically: true, encoding: .utf8)
        assertFails(try keel.run(["summary", keel.path("garbage.h5")]), mentioning: ["garbage.h5"])
        // Inputs of the wrong width for the model: named, with expected and found shapes.
        let wrong = keel.path("wrong.npy")
        let made = try runPython("import sys, numpy as np; np.save(sys.argv[1], np.zeros((4, 5), np.float32))", arguments: [wrong])
        XCTAssertEqual(made.status, 0, made.stderr)
        assertFails(try keel.run(["predict", model, "--input", wrong, "--output", keel.path("p.npy")]),
                    mentioning: ["digits", "784", "5"])
        XCTAssertFalse(keel.exists("p.npy"))
        assertFails(try keel.run(["predict", model, "--output", keel.path("p.npy")]), mentioning: ["--input"])
        assertFails(try keel.run(["fit", model, "--x", wrong, "--y", wrong, "--epochs", "0", "--output", keel.path("o.h5")]),
                    mentioning: ["--epochs"])
    }
}
