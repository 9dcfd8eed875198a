import XCTest
import Keel

/// Initializer statistics and fans (keras-spec §10), orthogonality, and seeding.
final class InitializerTests: XCTestCase {
    private func statistics(_ t: Tensor) -> (mean: Double, std: Double, maxAbs: Float) {
        let v = t.scalars.map(Double.init)
        let mean = v.reduce(0, +) / Double(v.count)
        let variance = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count)
        return (mean, variance.squareRoot(), t.scalars.map(abs).max() ?? 0)
    }

    func testFansFollowKerasComputeFans() {
        XCTAssertEqual(Fans(shape: []), Fans(shape: [1]))
        XCTAssertEqual(Fans(shape: [5]).fanIn, 5)
        XCTAssertEqual(Fans(shape: [5]).fanOut, 5)
        XCTAssertEqual(Fans(shape: [3, 7]).fanIn, 3)
        XCTAssertEqual(Fans(shape: [3, 7]).fanOut, 7)
        let conv = Fans(shape: [3, 3, 4, 8])  // receptive field 9
        XCTAssertEqual(conv.fanIn, 36)
        XCTAssertEqual(conv.fanOut, 72)
    }

    func testGlorotUniformStaysWithinItsLimitAndFillsIt() {
        let values = GlorotUniform(seed: 1)([200, 300])
        let limit = Float((6.0 / 500).squareRoot())
        let s = statistics(values)
        XCTAssertLessThanOrEqual(s.maxAbs, limit)
        XCTAssertGreaterThan(s.maxAbs, 0.99 * limit)
        XCTAssertEqual(s.mean, 0, accuracy: 0.002)
        XCTAssertEqual(s.std, Double(limit) / 3.0.squareRoot(), accuracy: 0.01 * Double(limit))
    }

    func testGlorotUniformUsesTheReceptiveFieldForConvolutionKernels() {
        let values = GlorotUniform(seed: 2)([3, 3, 16, 32])
        let limit = Float((6.0 / Double(9 * 16 + 9 * 32)).squareRoot())
        XCTAssertLessThanOrEqual(statistics(values).maxAbs, limit)
        XCTAssertGreaterThan(statistics(values).maxAbs, 0.98 * limit)
    }

    func testHeNormalHasStandardDeviationSqrtTwoOverFanIn() {
        let values = HeNormal(seed: 3)([400, 300])
        let expected = (2.0 / 400).squareRoot()
        let s = statistics(values)
        XCTAssertEqual(s.std, expected, accuracy: 0.03 * expected)
        XCTAssertEqual(s.mean, 0, accuracy: 0.03 * expected)
        // Truncated at two standard deviations of the underlying (rescaled) normal.
        XCTAssertLessThanOrEqual(Double(s.maxAbs), 2 * expected / 0.87962566103423978 + 1e-6)
    }

    func testHeUniformAndLecunLimits() {
        XCTAssertLessThanOrEqual(statistics(HeUniform(seed: 4)([50, 20])).maxAbs, Float((6.0 / 50).squareRoot()))
        XCTAssertLessThanOrEqual(statistics(LecunUniform(seed: 5)([50, 20])).maxAbs, Float((3.0 / 50).squareRoot()))
        let lecun = statistics(LecunNormal(seed: 6)([300, 200]))
        XCTAssertEqual(lecun.std, (1.0 / 300).squareRoot(), accuracy: 0.03 * (1.0 / 300).squareRoot())
    }

    func testTruncatedNormalStaysWithinTwoStandardDeviations() {
        let values = TruncatedNormal(seed: 7, mean: 1, stddev: 0.5)([10_000])
        let s = statistics(values)
        XCTAssertTrue(values.scalars.allSatisfy { $0 >= 0 && $0 <= 2 })
        XCTAssertEqual(s.mean, 1, accuracy: 0.02)
        // A unit normal truncated at ±2 has standard deviation 0.8796.
        XCTAssertEqual(s.std, 0.5 * 0.87962566103423978, accuracy: 0.01)
    }

    func testRandomNormalAndUniformMoments() {
        let normal = statistics(RandomNormal(seed: 8, mean: 2, stddev: 3)([20_000]))
        XCTAssertEqual(normal.mean, 2, accuracy: 0.1)
        XCTAssertEqual(normal.std, 3, accuracy: 0.1)
        let uniform = RandomUniform(seed: 9, minval: -1, maxval: 3)([20_000])
        XCTAssertTrue(uniform.scalars.allSatisfy { $0 >= -1 && $0 < 3 })
        XCTAssertEqual(statistics(uniform).mean, 1, accuracy: 0.05)
    }

    func testVarianceScalingUntruncatedNormalAndFanOut() {
        let values = VarianceScaling(seed: 10, scale: 4, mode: .fanOut, distribution: .untruncatedNormal)([100, 400])
        XCTAssertEqual(statistics(values).std, (4.0 / 400).squareRoot(), accuracy: 0.003)
    }

    private func assertOrthonormal(_ m: [[Double]], file: StaticString = #filePath, line: UInt = #line) {
        // m's rows are checked against each other.
        for i in m.indices {
            for j in m.indices {
                let dot = zip(m[i], m[j]).reduce(0) { $0 + $1.0 * $1.1 }
                XCTAssertEqual(dot, i == j ? 1 : 0, accuracy: 1e-5, "rows \(i), \(j)", file: file, line: line)
            }
        }
    }

    private func matrix(_ t: Tensor, rows: Int, columns: Int) -> [[Double]] {
        let v = t.scalars.map(Double.init)
        return (0..<rows).map { r in Array(v[(r * columns)..<((r + 1) * columns)]) }
    }

    private func transpose(_ m: [[Double]]) -> [[Double]] {
        (0..<m[0].count).map { c in m.map { $0[c] } }
    }

    func testOrthogonalGivesOrthonormalColumnsForTallAndRowsForWideMatrices() {
        let tall = matrix(Orthogonal(seed: 11)([6, 4]), rows: 6, columns: 4)
        assertOrthonormal(transpose(tall))
        let wide = matrix(Orthogonal(seed: 12)([4, 6]), rows: 4, columns: 6)
        assertOrthonormal(wide)
        let square = matrix(Orthogonal(seed: 13)([5, 5]), rows: 5, columns: 5)
        assertOrthonormal(square)
        assertOrthonormal(transpose(square))
    }

    func testOrthogonalFlattensKernelsAndAppliesGain() {
        let kernel = Orthogonal(seed: 14, gain: 2)([3, 3, 2, 4])
        XCTAssertEqual(kernel.shape, [3, 3, 2, 4])
        let columns = transpose(matrix(kernel, rows: 18, columns: 4)).map { $0.map { $0 / 2 } }
        assertOrthonormal(columns)
    }

    func testIdentityAndConstants() {
        XCTAssertEqual(Identity(gain: 3)([2, 3]).scalars, [3, 0, 0, 0, 3, 0])
        XCTAssertEqual(Constant(value: 0.5)([2]).scalars, [0.5, 0.5])
        XCTAssertEqual(Zeros()([3]).scalars, [0, 0, 0])
        XCTAssertEqual(Ones()([2, 1]).scalars, [1, 1])
    }

    func testSeededInitializersRepeatTheirValues() {
        let makers: [() -> Initializer] = [{ GlorotUniform(seed: 42) }, { HeNormal(seed: 42) }, { Orthogonal(seed: 42) },
                                           { RandomNormal(seed: 42) }, { TruncatedNormal(seed: 42) }, { RandomUniform(seed: 42) }]
        for make in makers {
            let initializer = make()
            let first = initializer([4, 5]).scalars
            XCTAssertEqual(first, initializer([4, 5]).scalars, "\(type(of: initializer)) called twice")
            XCTAssertEqual(first, make()([4, 5]).scalars, "two \(type(of: initializer)) with one seed")
        }
        XCTAssertNotEqual(GlorotUniform(seed: 1)([4, 5]).scalars, GlorotUniform(seed: 2)([4, 5]).scalars)
    }

    func testUnseededInitializersDrawFromTheEngineGenerator() {
        KeelRandom.setSeed(99)
        let first = GlorotUniform()([4, 5]).scalars
        let second = GlorotUniform()([4, 5]).scalars
        XCTAssertNotEqual(first, second, "an unseeded initializer draws new values each call")
        KeelRandom.setSeed(99)
        XCTAssertEqual(GlorotUniform()([4, 5]).scalars, first, "the engine seed makes them reproducible")
    }
}
