/// Keras's `OrthogonalRegularizer`: `factor · mean |cos|` over the pairs of distinct rows (or
/// columns) of a 2-D weight, which pushes them towards being orthogonal.
@Component(.plain)
public final class OrthogonalRegularizer: Regularizer {
    public override class var kerasClassName: String { "OrthogonalRegularizer" }

    public enum Mode: String, CaseIterable, ConfigRepresentable { case rows, columns }

    @Hyper("factor", .penaltyFactor) public var factor: Double = 0.01
    @Hyper("mode") public var mode: Mode = .rows

    public override func callAsFunction(_ weight: Tensor) -> Tensor {
        opCheck(weight.rank == 2, "OrthogonalRegularizer: the weight must have rank 2, got shape \(weight.shape)")
        let vectors = mode == .rows ? weight : weight.transposed()
        let unit = OrthogonalRegularizer.l2Normalized(rows: vectors)
        let size = vectors.shape[0]
        let cosines = unit.matmul(unit, transposeB: true)
        var offDiagonal = [Float](repeating: 1, count: size * size)
        for i in 0..<size { offDiagonal[i * size + i] = 0 }
        let pairs = Float(size) * (Float(size) - 1) / 2
        return (cosines * Tensor(shape: [size, size], scalars: offDiagonal)).abs().sum() * Float(factor * 0.5) / pairs
    }

    /// Keras's `normalize(x, axis=1)`: x · min(1/‖x‖, 1/ε) with ε = 1e-7, so zero rows stay zero.
    static func l2Normalized(rows x: Tensor) -> Tensor {
        x * x.squared().sum(axes: [1], keepDims: true).rsqrt().minimum(Tensor(1e7))
    }
}
