import ArgumentParser

/// `keel resume <run-dir>`: continue an interrupted run from its last snapshot.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an interrupted run exactly where its last snapshot left it.",
        discussion: """
            Uses the run's config.json (experiment and the plugin folder it came from, hyper-parameters, seed) \
            and its snapshot. A finished run, or one whose process is still alive, is refused.

            Started by mpirun (`mpirun -np N keel resume <run-dir>`), every process joins the job, \
            as `keel run --distributed` does; `--distributed` may be given but is implied. Rank 0 \
            reads the run directory and sends its resume state to the other ranks, so they need \
            not see it. On the number of ranks the run had, it continues exactly; on another \
            number it says so in one line and continues with the global batch N × batch size and a \
            data order that differs from an uninterrupted run's. Without mpirun it continues on \
            one process.
            """)

    @Argument(help: "The run directory (runs/<experiment>/<id>).")
    var runDirectory: String

    @Flag(help: "Implied: a resume started by mpirun always joins its job.")
    var distributed = false

    func run() throws {
        try DistributedLaunch.join(announce: false)
        try DistributedLaunch.runner(distributed: true).resume(runDirectory)
    }
}
