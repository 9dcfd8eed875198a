import ArgumentParser

/// `keel list [experiment]`: experiments with their hyper-parameters and every registered component.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List experiments (with their hyper-parameters) and the registered layers, losses, metrics, optimizers, callbacks, initializers, regularizers and constraints.",
        discussion: "`keel list <experiment>` shows one experiment's hyper-parameters: name, default and type.")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case experiments, layers, losses, metrics, optimizers, callbacks, activations, schedules, initializers, regularizers,
             constraints
    }

    @Argument(help: "Show only this experiment (a name or a folder) and its hyper-parameters.")
    var experiment: String?

    @Option(help: "Only this kind: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var kind: Kind?

    func run() throws {
        if let experiment {
            print(ExperimentHelp.text(for: try ExperimentRunner().resolve(experiment).type))
            return
        }
        for failure in PluginHost.shared.loadAll() { printError("keel: warning: \(failure.reason)") }
        let kinds = kind.map { [$0] } ?? Kind.allCases
        for k in kinds {
            let names: [String]
            switch k {
            case .experiments:
                let types = Registries.experiments.classNames.compactMap { name in
                    (try? Registries.experiments.make(name)).map { type(of: $0) }
                }
                print("experiments (\(types.count)):")
                for type in types {
                    print("  " + (type.summary.isEmpty ? type.name : "\(type.name) — \(type.summary)"))
                    let rows = type.hyperParameterRows
                    if !rows.isEmpty { for line in AlignedColumns(rows: rows).lines { print("      " + line) } }
                }
                continue
            case .layers: names = Registries.layers.classNames
            case .losses: names = Registries.losses.classNames
            case .metrics: names = Registries.metrics.classNames
            case .optimizers: names = Registries.optimizers.classNames
            case .callbacks: names = Registries.callbacks.classNames
            case .activations: names = Registries.activations.classNames
            case .schedules: names = Registries.schedules.classNames
            case .initializers: names = Registries.initializers.classNames
            case .regularizers: names = Registries.regularizers.classNames
            case .constraints: names = Registries.constraints.classNames
            }
            print("\(k.rawValue) (\(names.count)):")
            for name in names { print("  \(name)") }
        }
    }
}
