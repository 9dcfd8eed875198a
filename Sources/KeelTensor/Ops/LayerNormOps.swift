/// Layer normalization over the trailing axes as one op: each row (the trailing `features`
/// values) is normalized by its own mean and biased variance. Transformers run it at every step,
/// where the same formula from elementwise ops and reductions takes about fifteen passes over the
/// activations forward and more backward; this takes two forward and two backward.
extension Tensor {
    /// y = γ·(x − mean)/√(variance + ε) + β per row of the last `features` values, γ and β of
    /// `features` values (any shape). With `rmsScaling` (Keras's deprecated LayerNormalization
    /// flag) y = γ·x/√(variance + ε): the variance is still the centred one, no β.
    public func layerNormalized(features: Int, gamma: Tensor?, beta: Tensor?, epsilon: Float,
                                rmsScaling: Bool = false) -> Tensor {
        // A normalized axis of size 0: nothing to normalize, an empty output.
        if features == 0 && count == 0 && dtype == .float32 { return Tensor(uninitializedShape: shape) }
        opCheck(dtype == .float32 && features > 0 && count % features == 0,
                "layer_normalization: expected a float32 tensor whose size is a multiple of \(features), found \(dtype) \(shape)")
        for (name, p) in [("gamma", gamma), ("beta", beta)] {
            if let p {
                opCheck(p.count == features && p.dtype == .float32,
                        "layer_normalization: \(name) must hold \(features) float32 values, found \(p.dtype) \(p.shape)")
            }
        }
        opCheck(!(rmsScaling && beta != nil), "layer_normalization: rms scaling takes no beta")
        let output = LayerNormKernels.forward(self, features: features, gamma: gamma, beta: beta, epsilon: epsilon,
                                              rmsScaling: rmsScaling)
        let x = self
        var inputs = [x]
        if let gamma { inputs.append(gamma) }
        if let beta { inputs.append(beta) }
        return differentiable(output, inputs, { dy in
            // Under a recording tape (a gradient of the gradient) the formula is rebuilt from
            // ops, which differentiate again; otherwise the kernels do it in two passes.
            let gradients = GradientTape.isRecording && !GradientTape.currentStack.tapes.isEmpty
                ? LayerNormKernels.compositeGradients(dy, x: x, features: features, gamma: gamma, epsilon: epsilon,
                                                      rmsScaling: rmsScaling)
                : LayerNormKernels.gradients(dy, x: x, features: features, gamma: gamma, epsilon: epsilon,
                                             rmsScaling: rmsScaling)
            var result: [Tensor?] = [gradients.dx]
            if let gamma { result.append(gradients.dgamma.reshaped(gamma.shape)) }
            if let beta { result.append(gradients.dbeta.reshaped(beta.shape)) }
            return result
        })
    }
}

enum LayerNormKernels {
    /// Mean and 1/√(biased variance + ε) of one row (two passes: mean, then centred squares).
    @inline(__always)
    static func rowStatistics(_ r: UnsafePointer<Float>, _ n: Int, epsilon: Float) -> (mean: Float, invstd: Float) {
        let mean = sum(n) { r[$0] } / Float(n)
        let squares = sum(n) { let d = r[$0] - mean; return d * d }
        return (mean, 1 / (squares / Float(n) + epsilon).squareRoot())
    }

    /// Σ term(i) for i < n, in eight interleaved partial sums: a single running sum is a chain
    /// of dependent additions the compiler may not reorder, eight let it vectorise.
    @inline(__always)
    static func sum(_ n: Int, _ term: (Int) -> Float) -> Float {
        var partial = SIMD8<Float>(repeating: 0)
        var i = 0
        while i &+ 8 <= n {
            partial += SIMD8(term(i), term(i &+ 1), term(i &+ 2), term(i &+ 3),
                             term(i &+ 4), term(i &+ 5), term(i &+ 6), term(i &+ 7))
            i &+= 8
        }
        var total = partial.sum()
        while i < n { total += term(i); i &+= 1 }
        return total
    }

    static func forward(_ x: Tensor, features n: Int, gamma: Tensor?, beta: Tensor?, epsilon: Float,
                        rmsScaling: Bool) -> Tensor {
        let rows = x.count / n
        let out = Tensor(uninitializedShape: x.shape)
        let p = UnsafePointer(x.storage.floats), o = out.storage.floats
        let g = gamma.map { UnsafePointer($0.storage.floats) }, b = beta.map { UnsafePointer($0.storage.floats) }
        Parallel.forRanges(rows, threshold: max(1, Parallel.elementwiseThreshold / n)) { range in
            for row in range {
                let r = p + row &* n, w = o + row &* n
                let (mean, invstd) = rowStatistics(r, n, epsilon: epsilon)
                let shift = rmsScaling ? 0 : mean
                switch (g, b) {
                case let (g?, b?): for i in 0..<n { w[i] = (r[i] - shift) * invstd * g[i] + b[i] }
                case let (g?, nil): for i in 0..<n { w[i] = (r[i] - shift) * invstd * g[i] }
                case let (nil, b?): for i in 0..<n { w[i] = (r[i] - shift) * invstd + b[i] }
                case (nil, nil): for i in 0..<n { w[i] = (r[i] - shift) * invstd }
                }
            }
        }
        return out
    }

    /// dx per row, dγ and dβ summed over rows (per-chunk partial sums, then added in order).
    static func gradients(_ dy: Tensor, x: Tensor, features n: Int, gamma: Tensor?, epsilon: Float, rmsScaling: Bool)
        -> (dx: Tensor, dgamma: Tensor, dbeta: Tensor) {
        let rows = x.count / n
        let dx = Tensor(uninitializedShape: x.shape)
        let p = UnsafePointer(x.storage.floats), gy = UnsafePointer(dy.storage.floats), o = dx.storage.floats
        let g = gamma.map { UnsafePointer($0.storage.floats) }
        let chunks = rows &* n >= Parallel.elementwiseThreshold ? Swift.max(1, Swift.min(Parallel.coreCount, rows)) : 1
        let partial = UnsafeMutablePointer<Float>.allocate(capacity: 2 &* chunks &* n)
        defer { partial.deallocate() }
        partial.initialize(repeating: 0, count: 2 &* chunks &* n)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: chunks &* n)
        defer { scratch.deallocate() }
        Parallel.forRanges(chunks, threshold: 2) { range in
            for chunk in range {
                let dgammaSum = partial + chunk &* 2 &* n, dbetaSum = dgammaSum + n
                let u = scratch + chunk &* n
                for row in (rows &* chunk / chunks)..<(rows &* (chunk &+ 1) / chunks) {
                    let r = p + row &* n, d = gy + row &* n, w = o + row &* n
                    let (mean, invstd) = rowStatistics(r, n, epsilon: epsilon)
                    for i in 0..<n { dbetaSum[i] += d[i] }
                    if let g { for i in 0..<n { u[i] = d[i] * g[i] } } else { for i in 0..<n { u[i] = d[i] } }
                    if rmsScaling {
                        // y = γ·x·s, s = (var + ε)^(-1/2): dx = u·s − s³·(x − mean)·Σ(u·x)/n.
                        for i in 0..<n { dgammaSum[i] += d[i] * r[i] * invstd }
                        let c = invstd * invstd * invstd * sum(n) { u[$0] * r[$0] } / Float(n)
                        for i in 0..<n { w[i] = u[i] * invstd - (r[i] - mean) * c }
                    } else {
                        // dx = s·(u − mean(u) − x̂·mean(u·x̂)), x̂ = (x − mean)·s.
                        for i in 0..<n { dgammaSum[i] += d[i] * (r[i] - mean) * invstd }
                        let meanU = sum(n) { u[$0] } / Float(n)
                        let meanUXhat = sum(n) { u[$0] * (r[$0] - mean) } * invstd / Float(n)
                        for i in 0..<n { w[i] = invstd * (u[i] - meanU - (r[i] - mean) * invstd * meanUXhat) }
                    }
                }
            }
        }
        var dgamma = [Float](repeating: 0, count: n), dbeta = [Float](repeating: 0, count: n)
        for chunk in 0..<chunks {
            let s = partial + chunk &* 2 &* n
            for i in 0..<n { dgamma[i] += s[i]; dbeta[i] += s[n &+ i] }
        }
        return (dx, Tensor(shape: [n], scalars: dgamma), Tensor(shape: [n], scalars: dbeta))
    }

    /// The same gradients from ops on the (rows, features) view, for differentiating them again.
    static func compositeGradients(_ dy: Tensor, x: Tensor, features n: Int, gamma: Tensor?, epsilon: Float,
                                   rmsScaling: Bool) -> (dx: Tensor, dgamma: Tensor, dbeta: Tensor) {
        let rows = x.count / n
        let x2 = x.reshaped([rows, n]), dy2 = dy.reshaped([rows, n])
        let centered = x2 - x2.mean(axes: [1], keepDims: true)
        let invstd = (centered.squared().mean(axes: [1], keepDims: true) + epsilon).rsqrt()
        let u = gamma.map { dy2 * $0.reshaped([1, n]) } ?? dy2
        let dbeta = dy2.sum(axes: [0])
        if rmsScaling {
            let dgamma = (dy2 * x2 * invstd).sum(axes: [0])
            let c = invstd * invstd * invstd * (u * x2).mean(axes: [1], keepDims: true)
            return ((u * invstd - centered * c).reshaped(x.shape), dgamma, dbeta)
        }
        let xhat = centered * invstd
        let dgamma = (dy2 * xhat).sum(axes: [0])
        let dx = invstd * (u - u.mean(axes: [1], keepDims: true) - xhat * (u * xhat).mean(axes: [1], keepDims: true))
        return (dx.reshaped(x.shape), dgamma, dbeta)
    }
}
