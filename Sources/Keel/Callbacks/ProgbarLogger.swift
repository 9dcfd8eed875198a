import Foundation

/// Keras's progress display (keras-spec §4): verbose 1 draws a bar with ETA, step time and the
/// running metrics, redrawn in place on a terminal; verbose 2 prints one line per epoch. Added
/// by `fit`, `evaluate` and `predict` when verbose is not 0.
public final class ProgbarLogger: Callback {
    public override class var kerasClassName: String { "ProgbarLogger" }

    private var bar: Progbar?
    private var epochs = 1
    private var inFit = false
    /// Receives text exactly as it should appear (tests capture it).
    public var output: (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) }

    public convenience init(output: @escaping (String) -> Void) {
        self.init()
        self.output = output
    }

    public override func onTrainBegin(logs: Logs) { inFit = true; epochs = params.epochs }
    public override func onTrainEnd(logs: Logs) { inFit = false }

    public override func onEpochBegin(_ epoch: Int, logs: Logs) {
        if params.verbose != 0 && epochs > 1 { output("Epoch \(epoch + 1)/\(epochs)\n") }
        bar = Progbar(target: params.steps, verbose: params.verbose, output: output)
    }

    public override func onTrainBatchEnd(_ batch: Int, logs: Logs) { bar?.update(batch + 1, logs: logs) }

    public override func onEpochEnd(_ epoch: Int, logs: Logs) {
        bar?.update(params.steps ?? 0, logs: logs, finalize: true)
    }

    public override func onTestBegin(logs: Logs) {
        if !inFit { bar = Progbar(target: params.steps, verbose: params.verbose, output: output) }
    }

    public override func onTestBatchEnd(_ batch: Int, logs: Logs) {
        if !inFit { bar?.update(batch + 1, logs: logs) }
    }

    public override func onTestEnd(logs: Logs) {
        if !inFit { bar?.update(params.steps ?? 0, logs: logs, finalize: true) }
    }

    public override func onPredictBegin(logs: Logs) {
        bar = Progbar(target: params.steps, verbose: params.verbose, output: output)
    }

    public override func onPredictBatchEnd(_ batch: Int, logs: Logs) { bar?.update(batch + 1, logs: Logs()) }
    public override func onPredictEnd(logs: Logs) { bar?.update(params.steps ?? 0, logs: Logs(), finalize: true) }
}

/// One progress line (Keras's `utils.Progbar`).
struct Progbar {
    let target: Int?
    let verbose: Int
    let output: (String) -> Void
    /// Redraw in place (with \b and \r) only on a terminal: a log file gets final lines only.
    let dynamic: Bool = isatty(STDOUT_FILENO) != 0
    private let start = Date()
    private var timeAfterFirstStep: Date?
    private var lastUpdate = Date.distantPast
    private var previousWidth = 0

    init(target: Int?, verbose: Int, output: @escaping (String) -> Void) {
        self.target = target
        self.verbose = verbose
        self.output = output
    }

    mutating func update(_ current: Int, logs: Logs, finalize: Bool = false) {
        let now = Date()
        if current == 1 || timeAfterFirstStep == nil { timeAfterFirstStep = now }
        let perStep: Double = {
            guard current > 1, let first = timeAfterFirstStep else { return current > 0 ? now.timeIntervalSince(start) / Double(current) : 0 }
            return now.timeIntervalSince(first) / Double(current - 1)
        }()
        let elapsed = now.timeIntervalSince(start)
        if verbose == 1 {
            guard finalize || now.timeIntervalSince(lastUpdate) >= 0.05 else { return }
            lastUpdate = now
            guard dynamic || finalize else { return }
            var line = ""
            let total = target ?? current
            let digits = String(total).count
            let counter = String(repeating: " ", count: max(0, digits - String(current).count)) + "\(current)/\(total)"
            let filled = total > 0 ? Int(20 * Double(current) / Double(total)) : 20
            if dynamic {
                line += "\u{1B}[1m\(counter)\u{1B}[0m "
                line += (filled > 0 ? "\u{1B}[32m" + String(repeating: "━", count: filled) + "\u{1B}[0m" : "")
                line += "\u{1B}[37m" + String(repeating: "━", count: 20 - filled) + "\u{1B}[0m"
            } else {
                line += "\(counter) " + String(repeating: "━", count: 20)
            }
            let time = finalize ? String(format: "%.0fs", elapsed) : Progbar.eta(perStep * Double(max(total - current, 0)))
            line += dynamic ? " \u{1B}[1m\(time)\u{1B}[0m" : " \(time)"
            line += Progbar.stepTime(perStep)
            for (key, value) in logs { line += " - \(key):" + Progbar.format(value, absolute: true) }
            let visibleWidth = line.count
            var text = dynamic ? String(repeating: "\u{8}", count: previousWidth) + "\r" : ""
            text += line
            if visibleWidth < previousWidth { text += String(repeating: " ", count: previousWidth - visibleWidth) }
            previousWidth = visibleWidth
            if finalize { text += "\n" }
            output(text)
        } else if verbose == 2 && finalize {
            var line = "\(current)/\(target ?? current) - " + String(format: "%.0fs", elapsed) + " -" + Progbar.stepTime(perStep)
            for (key, value) in logs { line += " - \(key):" + Progbar.format(value, absolute: false) }
            output(line + "\n")
        }
    }

    static func format(_ value: Double, absolute: Bool) -> String {
        let big = absolute ? abs(value) > 1e-3 : value > 1e-3
        return big ? String(format: " %.4f", value) : String(format: " %.4e", value)
    }

    static func stepTime(_ seconds: Double) -> String {
        if seconds >= 1 || seconds == 0 { return String(format: " %.0fs/step", seconds) }
        if seconds >= 1e-3 { return String(format: " %.0fms/step", seconds * 1e3) }
        return String(format: " %.0fus/step", seconds * 1e6)
    }

    static func eta(_ seconds: Double) -> String {
        let s = Int(seconds)
        if s > 3600 { return String(format: "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60) }
        if s > 60 { return String(format: "%d:%02d", s / 60, s % 60) }
        return "\(s)s"
    }
}
