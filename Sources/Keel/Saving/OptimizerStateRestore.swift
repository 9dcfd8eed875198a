/// Puts saved optimizer variables back, as Keras's `optimizer.set_weights` after `build` does:
/// matched by order, all or nothing. Saved state that does not fit (tf.keras 2 optimizers keep
/// other variables in another order) leaves a freshly initialized optimizer and a warning, as
/// Keras does, because training can go on from the weights alone.
enum OptimizerStateRestore {
    static func restore(_ saved: [HDF5Dataset], into optimizer: Optimizer, for model: Model, source: String) throws {
        optimizer.buildIfNeeded(for: model.trainableWeights)
        let variables = optimizer.variables
        // An optimizer saved before its first update has only `iteration` (and
        // `learning_rate`): restoring those is the whole state.
        let slotless = variables.count - optimizer.slots.count
        let targets = saved.count == slotless ? Array(variables.prefix(slotless)) : variables
        guard saved.count == targets.count else {
            SavingWarnings.emit("\(source): the saved optimizer state has \(saved.count) variables, optimizer "
                                + "'\(optimizer.name)' has \(variables.count); training starts with a fresh optimizer")
            return
        }
        for (variable, dataset) in zip(targets, saved) where variable.shape != dataset.shape {
            SavingWarnings.emit("\(source): saved optimizer variable \(dataset.path) has shape \(dataset.shape), "
                                + "\(variable.path) has \(variable.shape); training starts with a fresh optimizer")
            return
        }
        let values = try zip(targets, saved).map { variable, dataset in try SavedArrays.tensor(dataset, as: variable.dtype) }
        for (variable, value) in zip(targets, values) { variable.assign(value) }
    }
}
