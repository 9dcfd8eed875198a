import Foundation
import XCTest
import Keel

/// ProgbarLogger's text (keras-spec §4), driven hook by hook with the output captured.
final class CallbackProgbarTests: XCTestCase {
    private let epochLogs = Logs(["accuracy": 0.525, "loss": 0.7309, "val_accuracy": 0.35, "val_loss": 0.00005])
    private let stepTime = #"\d+(s|ms|us)/step"#

    /// Drives a 2-epoch, 3-step fit through a ProgbarLogger and returns what it printed.
    private func fitOutput(verbose: Int) throws -> String {
        var text = ""
        let logger = ProgbarLogger(output: { text += $0 })
        logger.setParams(TrainingParams(epochs: 2, steps: 3, verbose: verbose))
        logger.onTrainBegin(logs: Logs())
        for epoch in 0..<2 {
            logger.onEpochBegin(epoch, logs: Logs())
            for batch in 0..<3 {
                try logger.onTrainBatchBegin(batch, logs: Logs())
                logger.onTrainBatchEnd(batch, logs: Logs(["accuracy": 0.5, "loss": 0.75]))
            }
            // Validation inside fit draws no bar.
            logger.onTestBegin(logs: Logs())
            logger.onTestBatchEnd(0, logs: Logs(["accuracy": 0.35, "loss": 0.7]))
            logger.onTestEnd(logs: Logs(["accuracy": 0.35, "loss": 0.7]))
            logger.onEpochEnd(epoch, logs: epochLogs)
        }
        logger.onTrainEnd(logs: epochLogs)
        return text
    }

    func testVerboseTwoPrintsOneLinePerEpoch() throws {
        let lines = try fitOutput(verbose: 2).components(separatedBy: "\n")
        XCTAssertEqual(lines.count, 5, "\(lines)")
        XCTAssertEqual(lines[0], "Epoch 1/2")
        XCTAssertEqual(lines[2], "Epoch 2/2")
        XCTAssertEqual(lines[4], "")
        // No abs() in verbose 2: 5e-05 is below 0.001, so it is written in exponent form.
        let shape = #"^3/3 - \d+s - "# + stepTime + #" - accuracy: 0\.5250 - loss: 0\.7309 - val_accuracy: 0\.3500 - val_loss: 5\.0000e-05$"#
        for line in [lines[1], lines[3]] {
            XCTAssertNotNil(line.range(of: shape, options: .regularExpression), "'\(line)'")
        }
    }

    func testVerboseOneWritesTheFinalBarOfEachEpoch() throws {
        let output = try fitOutput(verbose: 1)
        let bar = String(repeating: "━", count: 20)
        let final = #"3/3 "# + bar + #" \d+s "# + stepTime + #" - accuracy: 0\.5250 - loss: 0\.7309 - val_accuracy: 0\.3500 - val_loss: 5\.0000e-05"#
        if isatty(STDOUT_FILENO) == 0 {
            // Not a terminal (a log file, CI): no redraws, only each epoch's final line.
            let lines = output.components(separatedBy: "\n")
            XCTAssertEqual(lines.count, 5, "\(lines)")
            XCTAssertEqual(lines[0], "Epoch 1/2")
            XCTAssertEqual(lines[2], "Epoch 2/2")
            for line in [lines[1], lines[3]] {
                XCTAssertNotNil(line.range(of: "^" + final + "$", options: .regularExpression), "'\(line)'")
            }
            XCTAssertFalse(output.contains("\u{1B}"), "no ANSI codes outside a terminal")
        } else {
            // On a terminal the bar is redrawn; what stays on screen is the text after the last \r.
            let plain = output.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
            let screenLines = plain.components(separatedBy: "\n").map { $0.components(separatedBy: "\r").last ?? "" }
            XCTAssertEqual(screenLines.filter { $0.range(of: final, options: .regularExpression) != nil }.count, 2, "\(screenLines)")
        }
    }

    func testEvaluateAndPredictLinesAtVerboseTwo() {
        var text = ""
        let logger = ProgbarLogger(output: { text += $0 })
        logger.setParams(TrainingParams(epochs: 1, steps: 4, verbose: 2))
        logger.onTestBegin(logs: Logs())
        for batch in 0..<4 { logger.onTestBatchEnd(batch, logs: Logs(["accuracy": 0.48, "loss": 0.7284])) }
        logger.onTestEnd(logs: Logs(["accuracy": 0.48, "loss": 0.7284]))
        logger.onPredictBegin(logs: Logs())
        for batch in 0..<4 { logger.onPredictBatchEnd(batch, logs: Logs()) }
        logger.onPredictEnd(logs: Logs())
        let lines = text.components(separatedBy: "\n")
        XCTAssertEqual(lines.count, 3, "\(lines)")
        XCTAssertNotNil(lines[0].range(of: #"^4/4 - \d+s - "# + stepTime + #" - accuracy: 0\.4800 - loss: 0\.7284$"#,
                                       options: .regularExpression), lines[0])
        XCTAssertNotNil(lines[1].range(of: #"^4/4 - \d+s - "# + stepTime + "$", options: .regularExpression), lines[1])
    }
}
