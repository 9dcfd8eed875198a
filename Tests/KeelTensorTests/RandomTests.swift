import Foundation
import XCTest
@testable import KeelTensor

/// The seeded Philox generator: known-answer values, exact resumption, and the statistics of
/// each distribution on samples large enough to make a wrong formula stand out.
final class RandomTests: XCTestCase {
    /// Random123's known-answer test for philox4x32_10 (counter 0, key 0), and a vector with a
    /// nonzero key and both counter words set, computed by an independent implementation that
    /// reproduces Random123's published vectors.
    func testPhiloxKnownAnswers() {
        XCTAssertEqual(RandomGenerator(seed: 0).words(4), [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8])
        let keyed = RandomGenerator(state: RandomState(seed: 0x0123_4567_89ab_cdef, counter: 5 | (7 << 32)))
        XCTAssertEqual(keyed.words(4), [0x384a_3e87, 0x46ed_1282, 0xfa32_a676, 0x79ca_d9ef])
    }

    /// Blocks are made sixteen at a time: a long request (crossing chunks, ending inside a block and
    /// carrying into the counter's high word) is the same words as one block at a time.
    func testLongRequestsMatchBlockByBlock() {
        let start = RandomState(seed: 77, counter: 0xFFFF_FFF9)
        let whole = RandomGenerator(state: start).words(150)
        let single = RandomGenerator(state: start)
        let byBlock = (0..<38).flatMap { _ in single.words(4) }
        XCTAssertEqual(whole, Array(byBlock.prefix(150)))
        XCTAssertEqual(RandomGenerator(state: start).words(3), Array(whole.prefix(3)), "a short request makes one block")
        let large = RandomGenerator(state: start)
        let parallel = large.uniform([1 << 17])
        XCTAssertEqual(large.state.counter, start.counter + (1 << 15))
        let serial = RandomGenerator(state: start)
        let pieces = (0..<8).flatMap { _ in serial.uniform([1 << 14]).scalars }
        XCTAssertEqual(parallel.scalars, pieces)
        let mask = RandomGenerator(state: start).bernoulli([150], probability: 0.3, value: 2.5).scalars
        XCTAssertEqual(mask, whole.map { Float($0 >> 8) / Float(1 << 24) < 0.3 ? 2.5 : 0 })
    }

    /// uniform maps each 32-bit word, in lane order from counter 0, to its top 24 bits / 2²⁴.
    func testUniformUsesTheTopBitsOfEachWordInOrder() {
        let words: [UInt32] = [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8]
        let expected = words.map { Float($0 >> 8) / Float(1 << 24) }
        XCTAssertEqual(RandomGenerator(seed: 0).uniform([4]).scalars, expected)
        assertClose(RandomGenerator(seed: 0).uniform([2, 2], low: -1, high: 3).scalars,
                    expected.map { -1 + 4 * $0 }, absolute: 1e-6)
    }

    func testSameSeedGivesTheSameStreamAndOtherSeedsDiffer() {
        let a = RandomGenerator(seed: 42), b = RandomGenerator(seed: 42), c = RandomGenerator(seed: 43)
        let first = a.normal([10])
        XCTAssertEqual(first.scalars, b.normal([10]).scalars)
        XCTAssertNotEqual(first.scalars, c.normal([10]).scalars)
        XCTAssertNotEqual(first.scalars, a.normal([10]).scalars, "the stream moves on")
    }

    /// Each call consumes whole four-word blocks, so the counter says exactly where a run is.
    func testCallsConsumeWholeBlocksAndRestoredStateContinuesTheStream() throws {
        let generator = RandomGenerator(seed: 9)
        _ = generator.uniform([5])
        XCTAssertEqual(generator.state.counter, 2)
        _ = generator.normal([3])
        XCTAssertEqual(generator.state.counter, 3)
        let saved = try JSONDecoder().decode(RandomState.self, from: JSONEncoder().encode(generator.state))
        XCTAssertEqual(saved, generator.state)
        let continued = generator.uniform([7]).scalars + generator.bernoulli([6], probability: 0.5).scalars
        let resumed = RandomGenerator(state: saved)
        XCTAssertEqual(resumed.uniform([7]).scalars + resumed.bernoulli([6], probability: 0.5).scalars, continued)
    }

    func testOddCountNormalIsAPrefixOfTheEvenCount() {
        let odd = RandomGenerator(seed: 3).normal([5]).scalars
        let even = RandomGenerator(seed: 3).normal([6]).scalars
        XCTAssertEqual(odd, Array(even.prefix(5)))
    }

    private func moments(_ values: [Float]) -> (mean: Double, std: Double) {
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)
        return (mean, variance.squareRoot())
    }

    func testUniformStatistics() {
        let values = RandomGenerator(seed: 1).uniform([20_000], low: -2, high: 4).scalars
        XCTAssertTrue(values.allSatisfy { $0 >= -2 && $0 < 4 })
        let (mean, std) = moments(values)
        XCTAssertEqual(mean, 1, accuracy: 0.05)
        XCTAssertEqual(std, 6 / 12.0.squareRoot(), accuracy: 0.03)
    }

    func testNormalStatistics() {
        let values = RandomGenerator(seed: 2).normal([20_000], mean: 3, stddev: 2).scalars
        let (mean, std) = moments(values)
        XCTAssertEqual(mean, 3, accuracy: 0.05)
        XCTAssertEqual(std, 2, accuracy: 0.04)
        let within = values.filter { Swift.abs($0 - 3) < 2 }.count
        XCTAssertEqual(Double(within) / 20_000, 0.6827, accuracy: 0.015, "one standard deviation")
    }

    /// Redrawn beyond two standard deviations: the spread of N(0,1) cut at ±2 is 0.8796.
    func testTruncatedNormalStaysWithinTwoStandardDeviations() {
        let values = RandomGenerator(seed: 4).truncatedNormal([20_000], mean: -1, stddev: 0.5).scalars
        XCTAssertTrue(values.allSatisfy { Swift.abs($0 + 1) <= 1.0 + 1e-6 })
        let (mean, std) = moments(values)
        XCTAssertEqual(mean, -1, accuracy: 0.02)
        XCTAssertEqual(std, 0.5 * 0.8796, accuracy: 0.015)
    }

    func testBernoulliRate() {
        let values = RandomGenerator(seed: 5).bernoulli([20_000], probability: 0.3).scalars
        XCTAssertTrue(values.allSatisfy { $0 == 0 || $0 == 1 })
        XCTAssertEqual(Double(values.reduce(0, +)) / 20_000, 0.3, accuracy: 0.015)
    }

    func testIntegersAndPermutations() {
        let generator = RandomGenerator(seed: 6)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<7_000 { counts[generator.integer(below: 7)] += 1 }
        XCTAssertTrue(counts.allSatisfy { $0 > 850 && $0 < 1_150 }, "roughly uniform: \(counts)")
        let order = generator.permutation(20)
        XCTAssertEqual(order.sorted(), Array(0..<20))
        XCTAssertNotEqual(order, Array(0..<20))
        XCTAssertEqual(generator.permutation(0), [])
        XCTAssertEqual(generator.permutation(1), [0])
    }
}
