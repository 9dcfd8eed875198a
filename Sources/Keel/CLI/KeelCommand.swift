import ArgumentParser

/// The root of the `keel` command line. The launcher calls `keel_main`, which runs this.
struct KeelCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "keel",
            abstract: "Keel: Keras-shaped deep-learning experiments in Swift.",
            version: versionText(),
            subcommands: [RunCommand.self, ResumeCommand.self, ListCommand.self, RunsCommand.self, SummaryCommand.self, PredictCommand.self,
                          EvaluateCommand.self, FitCommand.self, PlotCommand.self, DoctorCommand.self, BenchCommand.self]
        )
    }

    static func versionText() -> String {
        "keel \(KeelVersion.string) (BLAS: OpenBLAS core \(BLAS.coreName), \(BLAS.threadCount) threads)"
    }
}

@_cdecl("keel_main")
public func keelMain(argc: Int32, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    let arguments = (1..<Int(argc)).map { String(cString: argv[$0]!) }
    do {
        var command = try KeelCommand.parseAsRoot(arguments)
        try command.run()
        return 0
    } catch {
        let code = KeelCommand.exitCode(for: error)
        let message = KeelCommand.fullMessage(for: error)
        if !message.isEmpty {
            if code == .success { print(message) } else { printError(message) }
        }
        return code.rawValue
    }
}
