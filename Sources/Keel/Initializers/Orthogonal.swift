/// Keras's `Orthogonal`: a random matrix with orthonormal columns (or rows, when it is wider than
/// tall), times `gain`. Shapes of rank > 2 are treated as (product of all but the last, last)
/// and reshaped back, as Keras does for convolution kernels.
@Component(.plain)
public final class Orthogonal: Initializer, RandomInitializer {
    public override class var kerasClassName: String { "Orthogonal" }

    @Hyper("seed") public var seed: Int? = nil
    @Hyper("gain") public var gain: Double = 1.0

    public override func callAsFunction(_ shape: [Int]) -> Tensor {
        opCheck(shape.count >= 2, "Orthogonal initializer: the shape must have at least 2 dimensions, got \(shape)")
        let rows = shape.dropLast().reduce(1, *), columns = shape[shape.count - 1]
        let tall = max(rows, columns), narrow = min(rows, columns)
        let random = generator.normal([tall, narrow]).scalars.map(Double.init)
        let q = Orthogonal.orthonormalColumns(random, rows: tall, columns: narrow)
        var values = [Float](repeating: 0, count: rows * columns)
        for i in 0..<tall {
            for j in 0..<narrow {
                // Tall matrices keep Q; wide ones take its transpose, so their rows are orthonormal.
                let index = rows >= columns ? i * columns + j : j * columns + i
                values[index] = Float(gain * q[i * narrow + j])
            }
        }
        return Tensor(shape: shape, scalars: values)
    }

    /// Q of the QR decomposition of a row-major tall matrix by modified Gram–Schmidt. R's diagonal
    /// comes out positive, which is the sign convention Keras imposes with `q *= sign(diag(r))`.
    static func orthonormalColumns(_ a: [Double], rows: Int, columns: Int) -> [Double] {
        var q = a
        for j in 0..<columns {
            for k in 0..<j {
                var dot = 0.0
                for i in 0..<rows { dot += q[i * columns + k] * q[i * columns + j] }
                for i in 0..<rows { q[i * columns + j] -= dot * q[i * columns + k] }
            }
            var norm = 0.0
            for i in 0..<rows { norm += q[i * columns + j] * q[i * columns + j] }
            norm = norm.squareRoot()
            // A zero column is practically impossible for normal draws; keep it finite regardless.
            let scale = norm > 0 ? 1 / norm : 0
            for i in 0..<rows { q[i * columns + j] *= scale }
        }
        return q
    }
}
