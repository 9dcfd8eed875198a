import XCTest
@testable import KeelTensor

/// Matrix products against the naive triple loop (`Ref.matmul`, accumulated in Double).
final class MatMulTests: XCTestCase {
    private let transposeCombinations = [(false, false), (true, false), (false, true), (true, true)]

    /// Operands stored so that op(A) is m×k and op(B) is k×n.
    private func operands(batch: [Int], m: Int, k: Int, n: Int, transposeA: Bool, transposeB: Bool,
                          seed: UInt64) -> (Tensor, Tensor) {
        var random = TestRandom(seed: seed)
        let a = Tensor.testUniform(batch + (transposeA ? [k, m] : [m, k]), &random)
        let b = Tensor.testUniform(batch + (transposeB ? [n, k] : [k, n]), &random)
        return (a, b)
    }

    func testTwoDimensionalProductsForAllTransposeCombinations() {
        for (ta, tb) in transposeCombinations {
            let (a, b) = operands(batch: [], m: 3, k: 5, n: 4, transposeA: ta, transposeB: tb, seed: 1)
            let product = a.matmul(b, transposeA: ta, transposeB: tb)
            assertClose(product, Ref.matmul(RefArray(a), RefArray(b), transposeA: ta, transposeB: tb),
                        "transposeA \(ta) transposeB \(tb)")
            XCTAssertEqual(product.shape, [3, 4])
        }
    }

    func testBatchedProductsForAllTransposeCombinations() {
        for batch in [[2], [2, 3]] {
            for (ta, tb) in transposeCombinations {
                let (a, b) = operands(batch: batch, m: 3, k: 5, n: 4, transposeA: ta, transposeB: tb, seed: 2)
                assertClose(a.matmul(b, transposeA: ta, transposeB: tb),
                            Ref.matmul(RefArray(a), RefArray(b), transposeA: ta, transposeB: tb),
                            "batch \(batch) transposeA \(ta) transposeB \(tb)")
            }
        }
    }

    /// A batch of matrices times one matrix (Dense on a sequence): every batch entry uses the
    /// same right operand.
    func testRankThreeTimesRankTwo() {
        for tb in [false, true] {
            var random = TestRandom(seed: 3)
            let a = Tensor.testUniform([2, 3, 5], &random)
            let b = Tensor.testUniform(tb ? [4, 5] : [5, 4], &random)
            let product = a.matmul(b, transposeB: tb)
            XCTAssertEqual(product.shape, [2, 3, 4])
            for i in 0..<2 {
                let slice = RefArray(shape: [3, 5], values: Array(a.scalars[(i * 15)..<((i + 1) * 15)]))
                let expected = Ref.matmul(slice, RefArray(b), transposeB: tb)
                assertClose(Array(product.scalars[(i * 12)..<((i + 1) * 12)]), expected.values,
                            "batch entry \(i), transposeB \(tb)")
            }
        }
    }

    func testEmptyInnerDimensionGivesZeros() {
        let product = Tensor.zeros([3, 0]).matmul(Tensor.zeros([0, 4]))
        XCTAssertEqual(product.shape, [3, 4])
        XCTAssertEqual(product.scalars, [Float](repeating: 0, count: 12))
    }

    /// Sizes past BLAS's small-matrix paths, with odd dimensions.
    func testLargerProductMatchesReference() {
        for (ta, tb) in transposeCombinations {
            let (a, b) = operands(batch: [], m: 37, k: 70, n: 33, transposeA: ta, transposeB: tb, seed: 4)
            assertClose(a.matmul(b, transposeA: ta, transposeB: tb),
                        Ref.matmul(RefArray(a), RefArray(b), transposeA: ta, transposeB: tb),
                        absolute: 1e-4, relative: 1e-4, "37×70×33 transposeA \(ta) transposeB \(tb)")
        }
    }

    /// BLAS.sgemm on both of its libraries (OpenBLAS below 64³ multiply-adds, oneDNN from there):
    /// padded row strides, beta accumulating into C, and beta 0 never reading C (NaN there).
    func testSgemmOnBothLibrariesWithStridesAndBeta() {
        for (m, k, n) in [(37, 70, 33), (67, 70, 65)] {
            XCTAssertEqual(Double(m * k * n) >= BLAS.oneDNNMinimumMultiplyAdds, m == 67)
            for (ta, tb) in transposeCombinations {
                for beta: Float in [0, 0.5] {
                    var random = TestRandom(seed: 5)
                    let (aRows, aColumns) = ta ? (k, m) : (m, k), (bRows, bColumns) = tb ? (n, k) : (k, n)
                    let lda = aColumns + 3, ldb = bColumns + 2, ldc = n + 5
                    let a = (0..<(aRows * lda)).map { _ in Float(random.uniform(-1, 1)) }
                    let b = (0..<(bRows * ldb)).map { _ in Float(random.uniform(-1, 1)) }
                    let c0 = (0..<(m * ldc)).map { i in beta == 0 ? Float.nan : Float(i % 7) }
                    var c = c0
                    BLAS.sgemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 1.5, a: a, lda: lda,
                               b: b, ldb: ldb, beta: beta, c: &c, ldc: ldc)
                    for i in 0..<m {
                        for j in 0..<ldc {
                            let index = i * ldc + j
                            guard j < n else {
                                XCTAssertEqual(c[index].bitPattern, c0[index].bitPattern, "padding of C row \(i) was written")
                                continue
                            }
                            var sum = 0.0
                            for p in 0..<k {
                                sum += Double(ta ? a[p * lda + i] : a[i * lda + p]) * Double(tb ? b[j * ldb + p] : b[p * ldb + j])
                            }
                            let expected = 1.5 * sum + (beta == 0 ? 0 : Double(beta) * Double(c0[index]))
                            XCTAssertEqual(Double(c[index]), expected, accuracy: 1e-4 * max(1, abs(expected)),
                                           "\(m)×\(k)×\(n) ta \(ta) tb \(tb) beta \(beta) at (\(i), \(j))")
                        }
                    }
                }
            }
        }
    }

    func testIdentityAndKnownValues() {
        let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let b = Tensor(shape: [2, 2], scalars: [5, 6, 7, 8])
        XCTAssertEqual(a.matmul(b).scalars, [19, 22, 43, 50])
        XCTAssertEqual(a.matmul(b, transposeA: true).scalars, [26, 30, 38, 44])
        XCTAssertEqual(a.matmul(b, transposeB: true).scalars, [17, 23, 39, 53])
        XCTAssertEqual(a.matmul(Tensor(shape: [2, 2], scalars: [1, 0, 0, 1])).scalars, a.scalars)
    }
}
