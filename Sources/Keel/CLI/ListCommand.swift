import ArgumentParser

/// `keel list`: experiments and every registered component.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List experiments and the registered layers, losses, metrics, optimizers and callbacks.")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case experiments, layers, losses, metrics, optimizers, callbacks, activations, schedules
    }

    @Option(help: "Only this kind: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var kind: Kind?

    func run() throws {
        for failure in PluginHost.shared.loadAll() { printError("keel: warning: \(failure.reason)") }
        let kinds = kind.map { [$0] } ?? Kind.allCases
        for k in kinds {
            let names: [String]
            switch k {
            case .experiments:
                names = Registries.experiments.classNames.map { name in
                    let summary = (try? Registries.experiments.make(name)).map { type(of: $0).summary } ?? ""
                    return summary.isEmpty ? name : "\(name) — \(summary)"
                }
            case .layers: names = Registries.layers.classNames
            case .losses: names = Registries.losses.classNames
            case .metrics: names = Registries.metrics.classNames
            case .optimizers: names = Registries.optimizers.classNames
            case .callbacks: names = Registries.callbacks.classNames
            case .activations: names = Registries.activations.classNames
            case .schedules: names = Registries.schedules.classNames
            }
            print("\(k.rawValue) (\(names.count)):")
            for name in names { print("  \(name)") }
        }
    }
}
