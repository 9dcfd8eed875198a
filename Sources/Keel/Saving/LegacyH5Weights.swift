/// The `model_weights` group of Keras's legacy HDF5 format (keras-spec §1.1, §1.2): one group
/// per layer named after it, `weight_names` listing the variables' paths, one dataset per path.
enum LegacyH5Weights {
    /// Keras's `_legacy_weights`: trainable weights, then non-trainable ones.
    static func weights(of layer: Layer) -> [Variable] {
        layer.trainableWeights + layer.nonTrainableWeights
    }

    /// Writes `model`'s weights into `group` as `save_weights_to_hdf5_group` does.
    static func write(_ model: Model, into group: HDF5Group) throws {
        let layers = model.layers
        try HDF5NameList.write(layers.map(\.name), as: "layer_names", on: group)
        try group.setAttribute("backend", KerasFileIdentity.backend)
        try group.setAttribute("keras_version", KerasFileIdentity.kerasVersion)
        // Keras creates the groups in name order, so no group name is a prefix of a later one.
        for layer in layers.sorted(by: { $0.name < $1.name }) {
            try writeSubset(weights(of: layer), into: group.createGroup(layer.name))
        }
        // Variables the model owns itself; Keel models keep all of theirs in layers.
        try writeSubset([], into: group.createGroup("top_level_model_weights"))
    }

    /// `weight_names` and one dataset per variable, named by the variable's path.
    static func writeSubset(_ variables: [Variable], into group: HDF5Group) throws {
        try HDF5NameList.write(variables.map(\.path), as: "weight_names", on: group)
        for variable in variables {
            try group.createDataset(variable.path, data: variable.value.arrayData)
        }
    }

    /// Reads the weights for `model` from `group` into `plan`. Layers pair up by position among
    /// the layers that have weights, as Keras's topological loading does; when the file has a
    /// different number of such layers, they pair up by name and the rest are problems.
    static func read(from group: HDF5Group, into model: Model, plan: WeightAssignmentPlan) throws {
        let modelLayers = model.layers.filter { !weights(of: $0).isEmpty }
        var savedLayers: [(name: String, group: HDF5Group, weightNames: [String])] = []
        for name in try HDF5NameList.read("layer_names", of: group) {
            let layerGroup = try group.group(name)
            let weightNames = try HDF5NameList.read("weight_names", of: layerGroup)
            if !weightNames.isEmpty { savedLayers.append((name, layerGroup, weightNames)) }
        }
        var pairs: [(layer: Layer, saved: (name: String, group: HDF5Group, weightNames: [String]))] = []
        if savedLayers.count == modelLayers.count {
            pairs = Array(zip(modelLayers, savedLayers))
        } else {
            for layer in modelLayers {
                if let saved = savedLayers.first(where: { $0.name == layer.name }) {
                    pairs.append((layer, saved))
                } else {
                    plan.missing(layer, weights(of: layer), where: "layer group '\(layer.name)' among \(savedLayers.count) saved layers with weights")
                }
            }
            for saved in savedLayers where !modelLayers.contains(where: { $0.name == saved.name }) {
                plan.unexpected("saved layer '\(saved.name)'", count: saved.weightNames.count)
            }
        }
        for (layer, saved) in pairs {
            let variables = weights(of: layer)
            guard variables.count == saved.weightNames.count else {
                plan.countMismatch(layer, variables, found: saved.weightNames, in: saved.group.path)
                continue
            }
            for (variable, name) in zip(variables, saved.weightNames) {
                try plan.add(variable, of: layer.name, from: saved.group.dataset(name))
            }
        }
        if try group.contains("top_level_model_weights") {
            let topLevel = try group.group("top_level_model_weights")
            let names = try HDF5NameList.read("weight_names", of: topLevel)
            if !names.isEmpty { plan.unexpected(topLevel.path, count: names.count) }
        }
    }

    // MARK: Optimizer

    /// `optimizer_weights`: every optimizer variable by its path (`adam/iteration`, ...).
    static func writeOptimizer(_ optimizer: Optimizer, into root: HDF5Group) throws {
        let variables = optimizer.variables
        guard !variables.isEmpty else { return }
        let group = try root.createGroup("optimizer_weights")
        let names = datasetNames(variables.map(\.path))
        try HDF5NameList.write(names, as: "weight_names", on: group)
        for (variable, name) in zip(variables, names) {
            try group.createDataset(name, data: variable.value.arrayData)
        }
    }

    /// The paths, a repeated one numbered (`adafactor/kernel`, `adafactor/kernel_1`): Adafactor
    /// names a kernel's row and column statistics alike, which Keras cannot write to one .h5
    /// (h5py refuses the second dataset). Readers, Keras's included, go by `weight_names` in
    /// order, so the numbered name loads there too.
    static func datasetNames(_ paths: [String]) -> [String] {
        var used = Set<String>()
        return paths.map { path in
            var name = path, number = 1
            while used.contains(name) {
                name = "\(path)_\(number)"
                number += 1
            }
            used.insert(name)
            return name
        }
    }

    /// The saved optimizer variables, in the file's order.
    static func readOptimizer(from group: HDF5Group) throws -> [HDF5Dataset] {
        try HDF5NameList.read("weight_names", of: group).map { try group.dataset($0) }
    }
}
