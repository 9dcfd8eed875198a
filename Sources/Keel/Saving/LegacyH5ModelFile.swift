/// Keras's legacy HDF5 full-model file (`model.save("m.h5")`, keras-spec §1): the architecture
/// as `model_config`, the compile arguments as `training_config`, the weights under
/// `model_weights` and the optimizer's state under `optimizer_weights`. Reads tf.keras 2.x
/// files too (fixed-length string attributes, `kernel:0` names, old configs).
enum LegacyH5ModelFile {
    static func write(_ model: Model, to path: String) throws {
        let modelConfig = try ArchitectureConfig.json(of: model).serialized()
        let trainingConfig = TrainingConfig.json(of: model, flavour: .legacyH5)
        try HDF5File.write(to: path) { file in
            let root = file.root
            try root.setAttribute("keras_version", KerasFileIdentity.kerasVersion)
            try root.setAttribute("backend", KerasFileIdentity.backend)
            try root.setAttribute("model_config", modelConfig)
            if let trainingConfig { try root.setAttribute("training_config", trainingConfig.serialized()) }
            try LegacyH5Weights.write(model, into: root.createGroup("model_weights"))
            if trainingConfig != nil, let optimizer = model.optimizer {
                try LegacyH5Weights.writeOptimizer(optimizer, into: root)
            }
        }
    }

    /// Rebuilds the model, loads its weights and, when the file has a `training_config`,
    /// compiles it and restores the optimizer's state.
    static func read(_ file: HDF5File, skipMismatch: Bool, purpose: Model.LoadPurpose = .training) throws -> Model {
        let root = file.root
        let source = file.path
        guard try root.hasAttribute("model_config") else {
            throw KeelError(source, expected: "a full model file (with a 'model_config' attribute)",
                            found: "a weights-only file; build the model in code and use loadWeights(from:)")
        }
        let configText = try root.attributeString("model_config")
        let model = try ModelConfig.model(from: JSONValue.parse(configText, source: "\(source) model_config"))
        let plan = WeightAssignmentPlan(source: source)
        try LegacyH5Weights.read(from: root.group("model_weights"), into: model, plan: plan)
        try plan.apply(skipMismatch: skipMismatch)
        guard try root.hasAttribute("training_config") else { return model }
        let trainingText = try root.attributeString("training_config")
        guard let trainingConfig = try JSONValue.parse(trainingText, source: "\(source) training_config").objectValue else {
            throw KeelError("\(source) training_config", expected: "a JSON object", found: String(trainingText.prefix(60)))
        }
        guard try TrainingConfig.compile(model, from: trainingConfig, source: source, purpose: purpose) else { return model }
        if try root.kind(of: "optimizer_weights") == .group, let optimizer = model.optimizer {
            let saved = try LegacyH5Weights.readOptimizer(from: root.group("optimizer_weights"))
            try OptimizerStateRestore.restore(saved, into: optimizer, for: model, source: source)
        }
        return model
    }

    /// Loads weights into an existing model from a legacy file: a full model file's
    /// `model_weights` group, or the root of a legacy weights-only file.
    static func readWeights(_ file: HDF5File, into model: Model, skipMismatch: Bool) throws {
        let root = file.root
        let group = try root.hasAttribute("layer_names") ? root : root.group("model_weights")
        let plan = WeightAssignmentPlan(source: file.path)
        try LegacyH5Weights.read(from: group, into: model, plan: plan)
        try plan.apply(skipMismatch: skipMismatch)
    }
}
