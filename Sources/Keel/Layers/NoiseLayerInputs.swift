extension Tensor {
    /// Noise layers (GaussianNoise, the dropouts) compute in float32: integer inputs come out as
    /// floats, in inference too, so the dtype a model infers holds in both modes.
    var asFloats: Tensor { dtype == .float32 ? self : cast(to: .float32) }
}
