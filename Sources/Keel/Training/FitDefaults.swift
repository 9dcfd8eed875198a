/// What the environment adds to every `fit`: while an experiment runs under `keel run`, the
/// runner makes each `fit` keep a BackupAndRestore snapshot so `keel resume` continues it, unless
/// the fit's callbacks already have one. Outside a run nothing is added.
public enum FitDefaults {
    /// Called once per `fit` that has no BackupAndRestore of its own; nil adds none.
    nonisolated(unsafe) public static var backup: (() throws -> BackupAndRestore?)?

    /// The callbacks `fit` uses: `callbacks`, then the default backup. The backup comes after them
    /// so its snapshot holds their state after they have seen the epoch.
    static func callbacks(adding callbacks: [Callback]) throws -> [Callback] {
        guard !callbacks.contains(where: { $0 is BackupAndRestore }), let backup = try backup?() else { return callbacks }
        return callbacks + [backup]
    }
}
