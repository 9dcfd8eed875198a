/// An experiment's hyper-parameters as `keel help run <experiment>`, `keel run <experiment> --help`
/// and `keel list <experiment>` show them: name, default and type, aligned.
enum ExperimentHelp {
    static func text(for type: Experiment.Type) -> String {
        var lines = [type.summary.isEmpty ? type.name : "\(type.name) — \(type.summary)"]
        let rows = type.hyperParameterRows
        if rows.isEmpty {
            lines.append("  (no hyper-parameters)")
        } else {
            lines.append("")
            lines.append("Hyper-parameters (override with --set key=value; --epochs and --batch-size set epochs and batch_size):")
            lines += AlignedColumns(rows: [["name", "default", "type"]] + rows).lines.map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    /// The experiment named by `keel help run X` or `keel run X --help|-h`, if those are the arguments.
    static func requestedExperiment(_ arguments: [String]) -> String? {
        if arguments.count == 3, arguments[0] == "help", arguments[1] == "run", !arguments[2].hasPrefix("-") {
            return arguments[2]
        }
        if arguments.count >= 3, arguments[0] == "run", !arguments[1].hasPrefix("-"),
           arguments.dropFirst(2).contains(where: { $0 == "--help" || $0 == "-h" }) {
            return arguments[1]
        }
        return nil
    }

    /// `keel run`'s own help followed by the experiment's hyper-parameters.
    static func runHelp(for target: String) throws -> String {
        let type = try ExperimentRunner().resolve(target).type
        return KeelCommand.helpMessage(for: RunCommand.self) + "\n" + text(for: type)
    }
}
