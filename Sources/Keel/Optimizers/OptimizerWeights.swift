/// An optimizer's state as plain values, in Keras's `optimizer.variables` order: `iteration`
/// (int32), `learning_rate` when the rate is a number, then the slots as the optimizer's
/// `build` made them (e.g. Adam: each model variable's momentum then velocity).
extension Optimizer {
    /// Every optimizer variable's value in `variables` order. Before the optimizer is built that
    /// is only `iteration` and `learning_rate` (Keras 3 has no `get_weights` on optimizers; this
    /// mirrors `[v.numpy() for v in optimizer.variables]`).
    public func getWeights() -> [Tensor] { variables.map(\.value) }

    /// Replaces every optimizer variable's value, in `variables` order (Keras's
    /// `optimizer.set_weights`). As in Keras 3, an optimizer not yet built refuses: its slots do
    /// not exist until it knows the model's variables, so build it first with
    /// `buildIfNeeded(for: model.trainableWeights)` (or after one training step). Unlike Keras,
    /// which zips and silently ignores extra or missing values, the count must match; shapes and
    /// dtypes are checked before anything changes, and a mismatch names the variable.
    public func setWeights(_ values: [Tensor]) throws {
        let owner = "setWeights on \(Self.kerasClassName) optimizer '\(name)'"
        guard isBuilt else {
            throw KeelError(owner, expected: "an optimizer built for the model's variables "
                                + "(call buildIfNeeded(for: model.trainableWeights) or train a step first)",
                            found: "an optimizer not yet built")
        }
        try WeightValues.assign(values, to: variables, owner: owner)
    }
}
