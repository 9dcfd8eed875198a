/// The Keras 3 weights layout of `.weights.h5` files and of the `model.weights.h5` member of
/// `.keras` archives (keras-spec §2.1): `layers/<snake_case class name>/vars/<index>` per
/// layer, `optimizer/vars/<index>` for a built optimizer, and the model's own `vars`.
enum KerasWeightsStore {
    /// Where each layer of a model lives: Keras addresses layers by their class, not their
    /// (often generated) name: `dense`, `dense_1`, `conv2d`, `input_layer`, ...
    static func containerNames(_ layers: [Layer]) -> [(layer: Layer, name: String)] {
        var used: [String: Int] = [:]
        return layers.map { layer in
            let base = Naming.snakeCase(type(of: layer).kerasClassName)
            if let count = used[base] {
                used[base] = count + 1
                return (layer, "\(base)_\(count + 1)")
            }
            used[base] = 0
            return (layer, base)
        }
    }

    // MARK: Writing

    static func write(_ model: Model, into root: HDF5Group, includeOptimizer: Bool) throws {
        try writeVars([], owner: model.name, at: "vars", in: root)
        try writeLayers(model.layers, under: "layers", in: root)
        if includeOptimizer, let optimizer = model.optimizer, optimizer.isBuilt {
            try writeVars(optimizer.variables, owner: optimizer.name, at: "optimizer/vars", in: root)
        }
    }

    private static func writeLayers(_ layers: [Layer], under prefix: String, in root: HDF5Group) throws {
        for (layer, name) in containerNames(layers) {
            let path = "\(prefix)/\(name)"
            if let nested = layer as? Model {
                try writeVars([], owner: nested.name, at: "\(path)/vars", in: root)
                try writeLayers(nested.layers, under: "\(path)/layers", in: root)
            } else {
                try writeLayer(layer, at: path, in: root)
            }
        }
    }

    /// A layer's own variables, then its sublayers under their attribute names
    /// (`lstm/cell/vars`, `rnn/cell/cells/lstm_cell/vars`).
    private static func writeLayer(_ layer: Layer, at path: String, in root: HDF5Group) throws {
        try writeVars(layer.ownWeights, owner: layer.name, at: "\(path)/vars", in: root)
        for slot in layer.sublayers {
            switch slot {
            case .one(let attribute, let sublayer):
                try writeLayer(sublayer, at: "\(path)/\(attribute)", in: root)
            case .list(let attribute, let items):
                for (item, name) in containerNames(items) { try writeLayer(item, at: "\(path)/\(attribute)/\(name)", in: root) }
            }
        }
    }

    /// A `vars` group named after its owner (Keras writes the name even when there are no
    /// variables) holding the variables as datasets `0`, `1`, ...
    private static func writeVars(_ variables: [Variable], owner: String, at path: String, in root: HDF5Group) throws {
        let group = try root.createGroup(path)
        try group.setAttribute("name", owner)
        for (index, variable) in variables.enumerated() {
            try group.createDataset(String(index), data: variable.value.arrayData)
        }
    }

    // MARK: Reading

    /// Reads the layers' weights into `plan`. Keras 2.13 weights files keep the layers under
    /// `_layer_checkpoint_dependencies`, which Keras 3 also reads.
    static func read(from root: HDF5Group, into model: Model, plan: WeightAssignmentPlan) throws {
        let legacyLayers = "_layer_checkpoint_dependencies"
        let prefix = try !root.contains("layers") && root.contains(legacyLayers) ? legacyLayers : "layers"
        try readLayers(model.layers, under: prefix, in: root, plan: plan)
        try checkNoVariables(at: "vars", in: root, plan: plan)
    }

    private static func readLayers(_ layers: [Layer], under prefix: String, in root: HDF5Group,
                                   plan: WeightAssignmentPlan) throws {
        let placed = containerNames(layers)
        for (layer, name) in placed {
            let path = "\(prefix)/\(name)"
            if let nested = layer as? Model {
                try checkNoVariables(at: "\(path)/vars", in: root, plan: plan)
                try readLayers(nested.layers, under: "\(path)/layers", in: root, plan: plan)
                continue
            }
            try readLayer(layer, at: path, in: root, plan: plan)
        }
        guard try root.kind(of: prefix) == .group else { return }
        let expected = Set(placed.map(\.name))
        for child in try root.group(prefix).childNames() where !expected.contains(child) {
            try checkNoVariables(at: "\(prefix)/\(child)/vars", in: root, plan: plan)
        }
    }

    private static func readLayer(_ layer: Layer, at path: String, in root: HDF5Group, plan: WeightAssignmentPlan) throws {
        let variables = layer.ownWeights
        if try root.kind(of: "\(path)/vars") == .group {
            let group = try root.group("\(path)/vars")
            let saved = try group.childNames()
            if saved.count == variables.count {
                for (index, variable) in variables.enumerated() {
                    try plan.add(variable, of: layer.name, from: group.dataset(String(index)))
                }
            } else {
                plan.countMismatch(layer, variables, found: saved, in: group.path)
            }
        } else if !variables.isEmpty {
            plan.missing(layer, variables, where: "group /\(path)/vars")
        }
        for slot in layer.sublayers {
            switch slot {
            case .one(let attribute, let sublayer):
                try readLayer(sublayer, at: "\(path)/\(attribute)", in: root, plan: plan)
            case .list(let attribute, let items):
                for (item, name) in containerNames(items) {
                    try readLayer(item, at: "\(path)/\(attribute)/\(name)", in: root, plan: plan)
                }
            }
        }
    }

    /// Records a problem when `path` holds variables that nothing in the model takes.
    private static func checkNoVariables(at path: String, in root: HDF5Group, plan: WeightAssignmentPlan) throws {
        guard try root.kind(of: path) == .group else { return }
        let count = try root.group(path).childNames().count
        if count > 0 { plan.unexpected("/\(path)", count: count) }
    }

    /// The saved optimizer variables in index order, or nil when the file has none.
    static func readOptimizer(from root: HDF5Group) throws -> [HDF5Dataset]? {
        guard try root.kind(of: "optimizer/vars") == .group else { return nil }
        let group = try root.group("optimizer/vars")
        let count = try group.childNames().count
        return try (0..<count).map { try group.dataset(String($0)) }
    }
}
