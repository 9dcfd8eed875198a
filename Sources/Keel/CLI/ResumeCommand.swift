import ArgumentParser

/// `keel resume <run-dir>`: continue an interrupted run from its last snapshot.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an interrupted run exactly where its last snapshot left it.",
        discussion: "Uses the run's config.json (experiment, hyper-parameters, seed) and the snapshot in checkpoints/backup/.")

    @Argument(help: "The run directory (runs/<experiment>/<id>).")
    var runDirectory: String

    func run() throws {
        try ExperimentRunner().resume(runDirectory)
    }
}
