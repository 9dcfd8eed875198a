/// A preprocessing layer whose state is computed from data before training (Keras's `adapt`):
/// Normalization's mean and variance, Discretization's bin boundaries, IntegerLookup's vocabulary.
public protocol AdaptableLayer: Layer {
    /// Computes the state from `data` (samples along the first axis), building the layer for
    /// its shape if it is not built yet.
    func adapt(_ data: Tensor) throws
}

extension Normalization: AdaptableLayer {}
extension IntegerLookup: AdaptableLayer {}
