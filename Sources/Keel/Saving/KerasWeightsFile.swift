/// A Keras 3 weights file (`model.save_weights("m.weights.h5")`): the weights of every layer
/// and, for a compiled model whose optimizer has been built, the optimizer's state.
enum KerasWeightsFile {
    static func write(_ model: Model, to path: String) throws {
        try HDF5File.write(to: path) { file in
            try KerasWeightsStore.write(model, into: file.root, includeOptimizer: true)
        }
    }

    /// Loads the layers' weights into `model`, then the optimizer's state when both the file
    /// and the model have an optimizer. `source` names the file in messages.
    static func read(_ file: HDF5File, into model: Model, skipMismatch: Bool, source: String) throws {
        let plan = WeightAssignmentPlan(source: source)
        try KerasWeightsStore.read(from: file.root, into: model, plan: plan)
        try plan.apply(skipMismatch: skipMismatch)
        if let optimizer = model.optimizer, let saved = try KerasWeightsStore.readOptimizer(from: file.root) {
            try OptimizerStateRestore.restore(saved, into: optimizer, for: model, source: source)
        }
    }
}
