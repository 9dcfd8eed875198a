/// Keras's `NonNeg`: negative weights become zero (`maximum(w, 0)`).
public final class NonNeg: Constraint {
    public override class var kerasClassName: String { "NonNeg" }

    public override func callAsFunction(_ weight: Tensor) -> Tensor { weight.relu() }
}
