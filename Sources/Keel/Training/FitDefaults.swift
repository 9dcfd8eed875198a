/// What the environment adds to every `fit`: while an experiment runs under `keel run`, the
/// runner makes each `fit` keep a BackupAndRestore snapshot so `keel resume` continues it, unless
/// the fit's callbacks already have one, and with `--tensorboard` a TensorBoard callback, unless
/// they have one. Outside a run nothing is added.
public enum FitDefaults {
    /// Called once per `fit` that has no BackupAndRestore of its own; nil adds none.
    nonisolated(unsafe) public static var backup: (() throws -> BackupAndRestore?)?
    /// Called once per `fit` that has no TensorBoard callback of its own; nil adds none.
    nonisolated(unsafe) public static var tensorBoard: (() throws -> TensorBoard?)?

    /// The callbacks `fit` uses: `callbacks`, the default TensorBoard, then the default backup.
    /// The backup comes last so its snapshot holds the others' state after they have seen the epoch.
    static func callbacks(adding callbacks: [Callback]) throws -> [Callback] {
        var all = callbacks
        if !all.contains(where: { $0 is TensorBoard }), let board = try tensorBoard?() { all.append(board) }
        if !all.contains(where: { $0 is BackupAndRestore }), let backup = try backup?() { all.append(backup) }
        return all
    }
}
