internal import CBLAS

/// The BLAS library Keel's matrix products run on (OpenBLAS).
public enum BLAS {
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
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                    m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
}
