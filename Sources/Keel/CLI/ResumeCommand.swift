import ArgumentParser

/// `keel resume <run-dir>`: continue an interrupted run from its last snapshot.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an interrupted run exactly where its last snapshot left it.",
        discussion: "Uses the run's config.json (experiment and the plugin folder it came from, hyper-parameters, seed) and its snapshot. A finished run, or one whose process is still alive, is refused.")

    @Argument(help: "The run directory (runs/<experiment>/<id>).")
    var runDirectory: String

    func run() throws {
        try ExperimentRunner().resume(runDirectory)
    }
}
