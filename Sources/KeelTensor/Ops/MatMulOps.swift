/// Matrix products through `cblas_sgemm`: 2-D, batched (equal leading dimensions), and a
/// batch of matrices times one matrix (as Dense applies its kernel to rank-3 inputs).
extension Tensor {
    public func matmul(_ other: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        let a = self, b = other
        opCheck(a.dtype == .float32 && b.dtype == .float32,
                "matmul: expected float32 tensors, found \(a.dtype) \(a.shape) and \(b.dtype) \(b.shape)")
        opCheck(a.rank >= 2 && b.rank >= 2, "matmul: expected rank ≥ 2 operands, found \(a.shape) and \(b.shape)")
        if a.rank > 2 && b.rank == 2 && !transposeA {
            let k = a.shape[a.rank - 1]
            opCheck(k == b.shape[transposeB ? 1 : 0],
                    "matmul: inner dimensions differ: \(a.shape) × \(b.shape)\(transposeB ? "ᵀ" : "")")
            // Rows counted, not inferred: a -1 cannot be inferred when k is 0.
            let flat = a.reshaped([ShapeMath.count(Array(a.shape.dropLast())), k]).matmul(b, transposeB: transposeB)
            return flat.reshaped(Array(a.shape.dropLast()) + [flat.shape[1]])
        }
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        opCheck(batchA == batchB,
                "matmul: batch dimensions \(batchA) and \(batchB) differ (shapes \(a.shape) and \(b.shape))")
        let (ar, ac) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (br, bc) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        let m = transposeA ? ac : ar, k = transposeA ? ar : ac
        let kb = transposeB ? bc : br, n = transposeB ? br : bc
        opCheck(k == kb, "matmul: inner dimensions differ: \(a.shape)\(transposeA ? "ᵀ" : "") × \(b.shape)\(transposeB ? "ᵀ" : "")")
        let batch = ShapeMath.count(batchA)
        let out = Tensor(uninitializedShape: batchA + [m, n])
        if m > 0 && n > 0 {
            if k == 0 {
                out.storage.floats.update(repeating: 0, count: out.count)
            } else {
                for i in 0..<batch {
                    BLAS.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
                               a: a.storage.floats + i &* ar &* ac, lda: ac,
                               b: b.storage.floats + i &* br &* bc, ldb: bc,
                               beta: 0, c: out.storage.floats + i &* m &* n, ldc: n)
                }
            }
        }
        return differentiable(out, [a, b], skipping: { g, needed in
            let needA = needed[0], needB = needed[1]
            switch (transposeA, transposeB) {
            case (false, false):
                return [needA ? g.matmul(b, transposeB: true) : nil, needB ? a.matmul(g, transposeA: true) : nil]
            case (true, false):
                return [needA ? b.matmul(g, transposeB: true) : nil, needB ? a.matmul(g) : nil]
            case (false, true):
                return [needA ? g.matmul(b) : nil, needB ? g.matmul(a, transposeA: true) : nil]
            case (true, true):
                return [needA ? b.matmul(g, transposeA: true, transposeB: true) : nil,
                        needB ? g.matmul(a, transposeA: true, transposeB: true) : nil]
            }
        })
    }
}
