import XCTest
@testable import KeelTensor

/// SplitMix64: the tests' own deterministic source of values, independent of KeelTensor's RNG,
/// so a change in the library's generator cannot change what the tests check.
struct TestRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// Seeds from a string with FNV-1a (stable across runs, unlike `hashValue`).
    init(name: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        state = hash
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Uniform in [low, high).
    mutating func uniform(_ low: Float, _ high: Float) -> Float {
        let unit = Float(next() >> 40) / Float(1 << 24)
        return low + (high - low) * unit
    }

    mutating func uniformValues(_ count: Int, _ low: Float, _ high: Float) -> [Float] {
        (0..<count).map { _ in uniform(low, high) }
    }

    mutating func int(below bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func shuffled<T>(_ values: [T]) -> [T] {
        var result = values
        for i in stride(from: result.count - 1, to: 0, by: -1) {
            result.swapAt(i, int(below: i + 1))
        }
        return result
    }
}

extension Tensor {
    /// A float tensor of uniform values, for tests.
    static func testUniform(_ shape: [Int], _ random: inout TestRandom,
                            _ low: Float = -1, _ high: Float = 1) -> Tensor {
        Tensor(shape: shape, scalars: random.uniformValues(ShapeMath.count(shape), low, high))
    }

    /// 0, 1, 2, ... in row-major order: every element distinct and its value its own flat index,
    /// which makes misplaced elements in layout tests easy to read.
    static func iota(_ shape: [Int], start: Float = 0) -> Tensor {
        Tensor(shape: shape, scalars: (0..<ShapeMath.count(shape)).map { start + Float($0) })
    }
}

/// Asserts equal shapes and elementwise |actual - expected| <= absolute + relative·|expected|.
func assertClose(_ actual: Tensor, _ expected: RefArray, absolute: Float = 1e-5, relative: Float = 1e-5,
                 _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, expected.shape, "shape: \(message())", file: file, line: line)
    guard actual.shape == expected.shape else { return }
    assertClose(actual.scalars, expected.values, absolute: absolute, relative: relative, message(),
                file: file, line: line)
}

func assertClose(_ actual: [Float], _ expected: [Float], absolute: Float = 1e-5, relative: Float = 1e-5,
                 _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "count: \(message())", file: file, line: line)
    var reported = 0
    for (i, (a, e)) in zip(actual, expected).enumerated() {
        let ok = a == e || Swift.abs(a - e) <= absolute + relative * Swift.abs(e)
        if !ok && reported < 5 {
            XCTFail("element \(i): \(a) != expected \(e). \(message())", file: file, line: line)
            reported += 1
        }
    }
}

/// Every subset of `0..<rank` (as sorted axis lists), the empty one included.
func allAxisSubsets(rank: Int) -> [[Int]] {
    (0..<(1 << rank)).map { mask in (0..<rank).filter { mask & (1 << $0) != 0 } }
}
