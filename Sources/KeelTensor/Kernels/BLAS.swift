internal import CBLAS
internal import CKeelDNNL

/// The libraries Keel's matrix products run on: oneDNN's sgemm for all but the smallest, OpenBLAS
/// for those and wherever libdnnl is missing.
public enum BLAS {
    /// From this many multiply-adds (64×64×64) up, a product runs on oneDNN. Measured side by side
    /// on 2 cores (AMD EPYC, AVX-512), oneDNN is 1.2–1.5× faster on Dense shapes (32×784 · 784×512:
    /// 122 vs 174 µs; its kernel gradient, 784×32 · 32×512: 140 vs 194 µs), level at 1024³ (200 vs
    /// 201 GFLOP/s), and slower only below this size, where calling it costs more than the work
    /// (32×512 · 512×10: 6.9 vs 4.8 µs).
    static let oneDNNMinimumMultiplyAdds = 64.0 * 64 * 64

    /// Where the product runs: "matrix products: oneDNN sgemm (from 64×64×64), OpenBLAS below".
    public static var summary: String {
        var product: Float = 0
        let one: Float = 1, no = oneDNNTranspose(false)
        if keel_dnnl_sgemm(no, no, 1, 1, 1, 1, [one], 1, [one], 1, 0, &product, 1) == 0 && product == 1 {
            return "matrix products: oneDNN sgemm from 64×64×64 multiply-adds, OpenBLAS (\(threading)) below"
        }
        return "matrix products: OpenBLAS (\(threading)) only, oneDNN is not available"
    }

    /// The CPU kernel OpenBLAS chose when it loaded (e.g. "SkylakeX", "Haswell").
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// How OpenBLAS runs in parallel: "OpenMP" (the build the launcher loads, sharing Keel's
    /// thread pool), "pthreads" (Debian's default build, its own threads) or "sequential".
    public static var threading: String {
        switch openblas_get_parallel() {
        case 0: "sequential"
        case 2: "OpenMP"
        default: "pthreads"
        }
    }

    /// OpenBLAS's build configuration string (version and options).
    public static var configuration: String {
        guard let config = openblas_get_config() else { return "unknown" }
        return String(cString: config)
    }

    /// C[m×n] = alpha · op(A) · op(B) + beta · C, row-major, through `cblas_sgemm`.
    /// `lda`, `ldb`, `ldc` are the row strides of A, B and C as stored.
    @inlinable
    public static func sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        // OpenBLAS takes 32-bit sizes: a larger one would be truncated into a wrong product.
        let limit = Int(Int32.max)
        opCheck(m <= limit && n <= limit && k <= limit && lda <= limit && ldb <= limit && ldc <= limit,
                "matmul: the product of (\(m)×\(k)) and (\(k)×\(n)) matrices exceeds BLAS's 32-bit sizes")
        rawSgemm(transposeA, transposeB, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda),
                 b, Int32(ldb), beta, c, Int32(ldc))
    }

    @usableFromInline
    static func rawSgemm(
        _ ta: Bool, _ tb: Bool, _ m: Int32, _ n: Int32, _ k: Int32, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int32, _ b: UnsafePointer<Float>, _ ldb: Int32,
        _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int32
    ) {
        if Double(m) * Double(n) * Double(k) >= oneDNNMinimumMultiplyAdds,
           keel_dnnl_sgemm(oneDNNTranspose(ta), oneDNNTranspose(tb), Int64(m), Int64(n), Int64(k), alpha, a, Int64(lda),
                           b, Int64(ldb), beta, c, Int64(ldc)) == 0 {
            return
        }
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                    m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }

    private static func oneDNNTranspose(_ transpose: Bool) -> CChar {
        CChar(UInt8(ascii: transpose ? "T" : "N"))
    }
}
