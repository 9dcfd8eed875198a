/// How UpSampling layers resample: each input value repeated (nearest), or linear interpolation
/// between neighbours (bilinear).
public enum UpSamplingInterpolation: String, CaseIterable, ConfigRepresentable, Sendable {
    case nearest, bilinear
}

/// The resampling UpSampling2D and UpSampling3D share, on channels-last or channels-first
/// tensors alike (only the spatial axes move).
extension Layer {
    /// The input's shape with each spatial axis `size` times longer.
    func upSampledShape(_ inputShapes: [[Int?]], size: [Int], dataFormat: DataFormat) throws -> [Int?] {
        let rank = size.count + 2
        let layout = dataFormat.layout(spatialNames: SpatialAxisNames.forCount(size.count))
        var output = try singleInput(inputShapes, rank: rank...rank, layout: layout)
        for (i, axis) in dataFormat.spatialAxes(rank: rank).enumerated() {
            guard let length = output[axis] else { continue }
            let (grown, overflow) = length.multipliedReportingOverflow(by: size[i])
            guard !overflow, grown <= ShapeMath.maximumElementCount else {
                throw invalidInput(expected: "an up-sampled length (\(length) × \(size[i])) that fits in memory", found: inputShapes)
            }
            output[axis] = grown
        }
        return output
    }
}

extension Tensor {
    /// Each value repeated `factor` times along `axis` (Keras's `ops.repeat`), as a broadcast of
    /// a new axis after it: the gradient sums the copies.
    func repeatingElements(_ factor: Int, axis: Int) -> Tensor {
        guard factor != 1 else { return self }
        let outer = Array(shape[...axis]), inner = Array(shape[(axis + 1)...])
        var merged = shape
        merged[axis] *= factor
        return reshaped(outer + [1] + inner).broadcasted(to: outer + [factor] + inner).reshaped(merged)
    }

    /// `axis` resized `factor` times longer by linear interpolation with half-pixel centres, as
    /// `jax.image.resize(method="bilinear")` computes it: output position o samples input
    /// position (o + ½) / factor − ½, its two neighbours weighted by distance, renormalised over
    /// the neighbours inside the input (so the edges repeat the edge values).
    func linearlyUpsampled(_ factor: Int, axis: Int) -> Tensor {
        guard factor != 1 else { return self }
        let length = shape[axis], outLength = length * factor
        // weights[i, o]: how much input i contributes to output o.
        var weights = [Float](repeating: 0, count: length * outLength)
        for o in 0..<outLength {
            let position = (Double(o) + 0.5) / Double(factor) - 0.5
            var contributions: [(Int, Double)] = []
            for i in [Int(position.rounded(.down)), Int(position.rounded(.down)) + 1] where i >= 0 && i < length {
                let weight = Swift.max(0, 1 - Swift.abs(position - Double(i)))
                if weight > 0 { contributions.append((i, weight)) }
            }
            let total = contributions.reduce(0) { $0 + $1.1 }
            for (i, weight) in contributions { weights[i * outLength + o] = Float(weight / total) }
        }
        let interpolation = Tensor(shape: [length, outLength], scalars: weights)
        let last = rank - 1
        var toLast = Array(0..<rank)
        toLast.remove(at: axis)
        toLast.append(axis)
        var back = [Int](repeating: 0, count: rank)
        for (i, source) in toLast.enumerated() { back[source] = i }
        let moved = axis == last ? self : transposed(toLast)
        let resized = moved.matmul(interpolation)
        return axis == last ? resized : resized.transposed(back)
    }
}
