/// Reads, writes and checks the `@Hyper` declarations of a component. The family base classes
/// (Layer, Loss, Metric, Optimizer, ...) call these from their `init(config:)`, `config` and
/// checks, so a subclass declares its fields and writes nothing else about them.
public enum Hyperparameters {
    /// The declarations of `component`, base class first, each class's in declaration order (the
    /// order Keras's `get_config` gives: `{**base_config, **config}`). A key a subclass declares
    /// again takes the base declaration's place.
    public static func declared(in component: AnyObject) -> [DeclaredHyperparameter] {
        var levels: [[DeclaredHyperparameter]] = []
        var mirror: Mirror? = Mirror(reflecting: component)
        while let current = mirror {
            levels.append(current.children.compactMap { $0.value as? DeclaredHyperparameter })
            mirror = current.superclassMirror
        }
        var ordered: [DeclaredHyperparameter] = []
        for level in levels.reversed() {
            for declaration in level {
                if let index = ordered.firstIndex(where: { $0.key == declaration.key }) {
                    ordered[index] = declaration
                } else {
                    ordered.append(declaration)
                }
            }
        }
        return ordered
    }

    /// The keys `component` declares.
    public static func keys(of component: AnyObject) -> [String] { declared(in: component).map(\.key) }

    /// Sets every declared field present in `config`, and rejects a key that is neither declared
    /// nor one of `otherKeys` (the ones the family base reads by hand, or accepts and ignores),
    /// naming the closest known key, as Python's `cls(**config)` rejects an unexpected keyword.
    public static func read(_ config: JSONObject, into component: AnyObject, owner: String,
                            otherKeys: [String]) throws {
        let declarations = declared(in: component)
        let known = otherKeys + declarations.map(\.key)
        try rejectUnknown(config, known: known, owner: owner)
        for declaration in declarations { try declaration.read(config[declaration.key], owner: owner) }
    }

    public static func rejectUnknown(_ config: JSONObject, known: [String], owner: String) throws {
        for key in config.keys where !known.contains(key) {
            let closest = known.min { editDistance(key, $0) < editDistance(key, $1) }
            throw KeelError("\(owner): field '\(key)'",
                            expected: "a field this class takes" + (closest.map { " (did you mean '\($0)'?)" } ?? ""),
                            found: "an unknown field")
        }
    }

    /// Appends every declared field Keras writes, in order.
    public static func write(_ component: AnyObject, into config: inout JSONObject) {
        for declaration in declared(in: component) where declaration.isWritten {
            config[declaration.key] = declaration.configValue
        }
    }

    /// Runs every declaration's checks (ranges, choices, fields that must stay null).
    public static func check(_ component: AnyObject, owner: String) throws {
        for declaration in declared(in: component) { try declaration.check(owner: owner) }
    }
}
