import Foundation

/// TensorBoard logs of a run (`keel run --tensorboard`): `tensorboard/` holds the run's HParams
/// session, `tensorboard/train/` and `tensorboard/validation/` what fit's TensorBoard callback
/// and the experiment's own code write.
extension ExperimentContext {
    /// A writer for `tensorboard/<name>` (TensorBoard shows each folder as a run: "train",
    /// "validation", ...), or nil when the run writes no TensorBoard logs. A hand-written loop logs
    /// its scalars here under Keras's tags (`epoch_loss`, `epoch_accuracy`); fit's callback
    /// writes into the same files.
    public func summaryWriter(_ name: String = "train") throws -> SummaryWriter? {
        guard let tensorBoardDirectory else { return nil }
        return try summaryWriters.writer(for: URL(fileURLWithPath: tensorBoardDirectory).appendingPathComponent(name).path)
    }

    /// The TensorBoard callback each `fit` of the run gets (FitDefaults): the first logs into
    /// `tensorboard/`, later ones into `tensorboard/fit_2/`, ..., so their steps do not overlap.
    public func defaultTensorBoard() -> TensorBoard? {
        guard let tensorBoardDirectory else { return nil }
        tensorBoardFits += 1
        let board = TensorBoard(logDirectory: tensorBoardFits == 1 ? tensorBoardDirectory : tensorBoardDirectory + "/fit_\(tensorBoardFits)")
        board.sharedWriters = summaryWriters
        return board
    }

    /// The run as a session of TensorBoard's HParams dashboard: its hyper-parameters, with the
    /// experiment's name and the seed (unless hyper-parameters already have those names).
    func startTensorBoardSession() throws {
        guard let root = try summaryWriter("") else { return }
        var values: [String: HParamValue] = [:]
        for (key, value) in hyperparameters {
            switch value {
            case .int(let number): values[key] = .number(Double(number))
            case .double(let number): values[key] = .number(number)
            case .bool(let flag): values[key] = .bool(flag)
            case .string(let text): values[key] = .string(text)
            }
        }
        if values["experiment"] == nil { values["experiment"] = .string(experimentName) }
        if values["seed"] == nil { values["seed"] = .number(Double(seed)) }
        try root.hyperparameters(values)
        try root.flush()
    }

    /// Records how the run ended and closes every TensorBoard file.
    func finishTensorBoard(succeeded: Bool) throws {
        guard tensorBoardDirectory != nil else { return }
        try summaryWriter("")?.sessionEnded(succeeded ? .success : .failure)
        try summaryWriters.closeAll()
    }
}
