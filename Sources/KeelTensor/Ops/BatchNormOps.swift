/// Batch normalization over every axis but the last (channels-last), in training mode, as one
/// op: two passes for the statistics and one for the output forward, two passes backward (the
/// forward's statistics reused) — where
/// the same formula built from elementwise ops takes about twenty passes over the activations.
extension Tensor {
    /// y = γ·(x − mean)/√(variance + ε) + β with the batch's per-channel mean and (biased)
    /// variance, which are returned too (for the moving averages; they carry no gradient).
    public func batchNormalized(gamma: Tensor?, beta: Tensor?, epsilon: Float) -> (output: Tensor, mean: Tensor, variance: Tensor) {
        opCheck(dtype == .float32 && rank >= 2, "batch_normalization: expected a float32 tensor of rank ≥ 2, found \(dtype) \(shape)")
        let channels = shape[rank - 1]
        // The kernels divide the element count by the channel count.
        opCheck(channels > 0, "batch_normalization: the channel axis of \(shape) is empty")
        for (name, p) in [("gamma", gamma), ("beta", beta)] {
            if let p {
                opCheck(p.shape == [channels] && p.dtype == .float32,
                        "batch_normalization: \(name) must be float32 [\(channels)] for input \(shape), found \(p.dtype) \(p.shape)")
            }
        }
        let (mean, variance) = BatchNormKernels.statistics(self)
        let invstd = variance.mapFloats("batch_normalization") { 1 / (($0 + epsilon).squareRoot()) }
        let output = BatchNormKernels.normalize(self, mean: mean, invstd: invstd, gamma: gamma, beta: beta)
        let x = self
        var inputs = [x]
        if let gamma { inputs.append(gamma) }
        if let beta { inputs.append(beta) }
        let recorded = differentiable(output, inputs, { dy in
            let gradients = BatchNormKernels.gradients(dy, x: x, mean: mean, invstd: invstd, gamma: gamma, beta: beta,
                                                       epsilon: epsilon)
            var result: [Tensor?] = [gradients.dx]
            if gamma != nil { result.append(gradients.dgamma) }
            if beta != nil { result.append(gradients.dbeta) }
            return result
        })
        return (recorded, mean, variance)
    }
}

enum BatchNormKernels {
    /// Per-channel mean and biased variance (two passes: mean, then centred squares).
    static func statistics(_ x: Tensor) -> (mean: Tensor, variance: Tensor) {
        let channels = x.shape[x.rank - 1], rows = x.count / channels
        let mean = Tensor(uninitializedShape: [channels]), variance = Tensor(uninitializedShape: [channels])
        let p = UnsafePointer(x.storage.floats)
        var sums = [Double](repeating: 0, count: channels)
        accumulate(rows: rows, channels: channels, into: &sums) { row, acc in
            let r = p + row &* channels
            for c in 0..<channels { acc[c] += r[c] }
        }
        for c in 0..<channels { mean.storage.floats[c] = Float(sums[c] / Double(max(rows, 1))) }
        let m = UnsafePointer(mean.storage.floats)
        var squares = [Double](repeating: 0, count: channels)
        accumulate(rows: rows, channels: channels, into: &squares) { row, acc in
            let r = p + row &* channels
            for c in 0..<channels { let d = r[c] - m[c]; acc[c] += d * d }
        }
        for c in 0..<channels { variance.storage.floats[c] = Float(squares[c] / Double(max(rows, 1))) }
        return (mean, variance)
    }

    /// Sums per-channel values over rows on all cores. `body` adds one row into Float
    /// accumulators (a vectorisable loop); every 64 rows they are flushed into Double totals,
    /// which keeps the sum of hundreds of thousands of values accurate.
    static func accumulate(rows: Int, channels: Int, into total: inout [Double],
                           _ body: (Int, UnsafeMutablePointer<Float>) -> Void) {
        let chunks = rows &* channels >= Parallel.elementwiseThreshold ? Parallel.coreCount : 1
        let partial = UnsafeMutablePointer<Double>.allocate(capacity: chunks &* channels)
        let block = UnsafeMutablePointer<Float>.allocate(capacity: chunks &* channels)
        defer { partial.deallocate(); block.deallocate() }
        partial.initialize(repeating: 0, count: chunks &* channels)
        withoutActuallyEscaping(body) { body in
            Parallel.forRanges(chunks, threshold: 2) { range in
                for chunk in range {
                    let acc = partial + chunk &* channels, floats = block + chunk &* channels
                    var row = rows &* chunk / chunks
                    let end = rows &* (chunk &+ 1) / chunks
                    while row < end {
                        for c in 0..<channels { floats[c] = 0 }
                        let stop = Swift.min(end, row &+ 64)
                        while row < stop { body(row, floats); row &+= 1 }
                        for c in 0..<channels { acc[c] += Double(floats[c]) }
                    }
                }
            }
        }
        for chunk in 0..<chunks { for c in 0..<channels { total[c] += partial[chunk &* channels &+ c] } }
    }

    /// y = x·scale + shift per channel, with scale = γ·invstd and shift = β − mean·scale.
    static func normalize(_ x: Tensor, mean: Tensor, invstd: Tensor, gamma: Tensor?, beta: Tensor?) -> Tensor {
        let channels = x.shape[x.rank - 1], rows = x.count / channels
        var scale = [Float](repeating: 0, count: channels), shift = [Float](repeating: 0, count: channels)
        for c in 0..<channels {
            scale[c] = invstd.storage.floats[c] * (gamma?.storage.floats[c] ?? 1)
            shift[c] = (beta?.storage.floats[c] ?? 0) - mean.storage.floats[c] * scale[c]
        }
        let out = Tensor(uninitializedShape: x.shape)
        let p = UnsafePointer(x.storage.floats), o = out.storage.floats
        scale.withUnsafeBufferPointer { s in
            shift.withUnsafeBufferPointer { t in
                Parallel.forRanges(rows, threshold: max(1, Parallel.elementwiseThreshold / channels)) { range in
                    for row in range {
                        let r = p + row &* channels, w = o + row &* channels
                        for c in 0..<channels { w[c] = r[c] * s[c] + t[c] }
                    }
                }
            }
        }
        return out
    }

    /// dx, dγ, dβ of the batch-normalized output. The three results are themselves recorded ops
    /// (their own gradient re-derives the same formula from elementwise ops), so a tape can
    /// differentiate through them again.
    static func gradients(_ dy: Tensor, x: Tensor, mean: Tensor, invstd invstdTensor: Tensor, gamma: Tensor?, beta: Tensor?,
                          epsilon: Float) -> (dx: Tensor, dgamma: Tensor, dbeta: Tensor) {
        let channels = x.shape[x.rank - 1], rows = x.count / channels
        let m = UnsafePointer(mean.storage.floats)
        let invstd = UnsafeBufferPointer(start: invstdTensor.storage.floats, count: channels)
        let p = UnsafePointer(x.storage.floats), g = UnsafePointer(dy.storage.floats)
        // One pass for both sums: Σdy in the first `channels` accumulators, Σdy·x̂ in the next.
        var sums = [Double](repeating: 0, count: 2 &* channels)
        let inv = invstd.baseAddress!
        accumulate(rows: rows, channels: 2 &* channels, into: &sums) { row, acc in
            let r = p + row &* channels, gr = g + row &* channels, accXhat = acc + channels
            for c in 0..<channels {
                acc[c] += gr[c]
                accXhat[c] += gr[c] * (r[c] - m[c]) * inv[c]
            }
        }
        let sumDy = Array(sums[0..<channels]), sumDyXhat = Array(sums[channels...])
        let dgamma = Tensor(shape: [channels], scalars: sumDyXhat.map { Float($0) })
        let dbeta = Tensor(shape: [channels], scalars: sumDy.map { Float($0) })
        let dx = Tensor(uninitializedShape: x.shape)
        let o = dx.storage.floats
        let count = Float(max(rows, 1))
        var a = [Float](repeating: 0, count: channels), b = [Float](repeating: 0, count: channels)
        let meanDy = sumDy.map { Float($0) / count }
        for c in 0..<channels {
            // dx = γ·invstd·(dy − Σdy/M − x̂·Σ(dy·x̂)/M), with x̂ = (x − mean)·invstd.
            a[c] = (gamma?.storage.floats[c] ?? 1) * invstd[c]
            b[c] = invstd[c] * Float(sumDyXhat[c]) / count
        }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                Parallel.forRanges(rows, threshold: max(1, Parallel.elementwiseThreshold / channels)) { range in
                    for row in range {
                        let r = p + row &* channels, gr = g + row &* channels, w = o + row &* channels
                        for c in 0..<channels {
                            w[c] = a[c] * (gr[c] - meanDy[c] - (r[c] - m[c]) * b[c])
                        }
                    }
                }
            }
        }
        guard GradientTape.isRecording else { return (dx, dgamma, dbeta) }
        var inputs = [dy, x]
        if let gamma { inputs.append(gamma) }
        func retraced(_ pick: @escaping (Tensor, Tensor, Tensor) -> Tensor) -> (Tensor) -> [Tensor?] {
            { upstream in
                let tape = GradientTape()
                for t in inputs { tape.watch(t) }
                let value = tape.record { () -> Tensor in
                    let parts = compositeGradients(dy, x: x, gamma: gamma, epsilon: epsilon)
                    return (pick(parts.dx, parts.dgamma, parts.dbeta) * upstream).sum()
                }
                return tape.gradient(of: value, wrt: inputs)
            }
        }
        return (differentiable(dx, inputs, retraced { a, _, _ in a }),
                differentiable(dgamma, inputs, retraced { _, b, _ in b }),
                differentiable(dbeta, inputs, retraced { _, _, c in c }))
    }

    /// The same gradients from elementwise ops, for differentiating them again.
    static func compositeGradients(_ dy: Tensor, x: Tensor, gamma: Tensor?, epsilon: Float)
        -> (dx: Tensor, dgamma: Tensor, dbeta: Tensor) {
        let axes = Array(0..<(x.rank - 1))
        let count = Float(x.count / x.shape[x.rank - 1])
        let centered = x - x.mean(axes: axes, keepDims: true)
        let invstd = (centered.squared().mean(axes: axes, keepDims: true) + epsilon).rsqrt()
        let xhat = centered * invstd
        let dbeta = dy.sum(axes: axes)
        let dgamma = (dy * xhat).sum(axes: axes)
        let scale = gamma.map { $0 * invstd } ?? invstd
        let dx = scale * (dy - dbeta / count - xhat * dgamma / count)
        return (dx, dgamma, dbeta)
    }
}
