/// Keras's `ActivityRegularization`: passes its input through and adds
/// `l1·Σ|x| + l2·Σx²` (divided by the batch size, as every Keras 3 activity penalty is) to the
/// losses of the call. Its factors stand in for `activity_regularizer` in its config, as in Keras.
@Component(.layer)
open class ActivityRegularization: Layer {
    open override class var kerasClassName: String { "ActivityRegularization" }
    /// Keras's `supports_masking`: the input's mask passes through.
    open override var supportsMasking: Bool { true }

    @Hyper("l1", .factor) public var l1 = 0.0
    @Hyper("l2", .factor) public var l2 = 0.0

    open override var outputPenalty: Regularizer? { L1L2(l1: l1, l2: l2) }

    open override func call(_ input: Tensor, training: Bool) -> Tensor { input }
}

extension HyperCheck where Value == Double {
    /// A regularization factor: finite and not negative.
    static var factor: HyperCheck { HyperCheck("a finite number ≥ 0") { $0 >= 0 && $0.isFinite } }
}
