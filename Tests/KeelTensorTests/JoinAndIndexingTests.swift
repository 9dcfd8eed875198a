import XCTest
@testable import KeelTensor

/// Concatenate, split, stack, slice, pad, gather, one-hot and tile against the naive kernels.
final class JoinAndIndexingTests: XCTestCase {
    func testConcatenateAlongEveryAxis() {
        for axis in 0..<3 {
            var first = [2, 3, 4], second = [2, 3, 4]
            second[axis] = 1
            first[axis] = 2
            let a = Tensor.iota(first), b = Tensor.iota(second, start: 100), c = Tensor.iota(first, start: 200)
            assertClose(Tensor.concatenate([a, b, c], axis: axis),
                        Ref.concatenate([RefArray(a), RefArray(b), RefArray(c)], axis: axis), "axis \(axis)")
            assertClose(Tensor.concatenate([a, b], axis: axis - 3),
                        Ref.concatenate([RefArray(a), RefArray(b)], axis: axis), "axis \(axis - 3)")
        }
        let ints = Tensor.concatenate([Tensor(shape: [2], int32s: [1, 2]), Tensor(shape: [1], int32s: [3])], axis: 0)
        XCTAssertEqual(ints.dtype, .int32)
        XCTAssertEqual(ints.int32Scalars, [1, 2, 3])
    }

    func testSplitIntoSizesAndEqualCounts() {
        let x = Tensor.iota([2, 5, 3])
        let pieces = x.split(sizes: [1, 0, 3, 1], axis: 1)
        XCTAssertEqual(pieces.map(\.shape), [[2, 1, 3], [2, 0, 3], [2, 3, 3], [2, 1, 3]])
        var begin = 0
        for piece in pieces {
            assertClose(piece, Ref.slice(RefArray(x), begin: [0, begin, 0], size: piece.shape), "piece at \(begin)")
            begin += piece.shape[1]
        }
        let thirds = x.split(count: 3, axis: -1)
        for (i, piece) in thirds.enumerated() {
            assertClose(piece, Ref.slice(RefArray(x), begin: [0, 0, i], size: [2, 5, 1]), "third \(i)")
        }
    }

    func testStackAndUnstackAlongEveryAxis() {
        let parts = [Tensor.iota([2, 3]), Tensor.iota([2, 3], start: 10), Tensor.iota([2, 3], start: 20)]
        for axis in 0...2 {
            let stacked = Tensor.stack(parts, axis: axis)
            let expanded = parts.map { p -> RefArray in
                var shape = p.shape
                shape.insert(1, at: axis)
                return RefArray(shape: shape, values: p.scalars)
            }
            assertClose(stacked, Ref.concatenate(expanded, axis: axis), "stack axis \(axis)")
            let unstacked = stacked.unstacked(axis: axis)
            XCTAssertEqual(unstacked.map(\.scalars), parts.map(\.scalars), "unstack axis \(axis)")
            XCTAssertEqual(unstacked.map(\.shape), parts.map(\.shape))
        }
        XCTAssertEqual(Tensor.stack(parts, axis: -1).shape, [2, 3, 3])
    }

    func testSliceWithExplicitAndToTheEndSizes() {
        let x = Tensor.iota([3, 4, 5])
        assertClose(x.slice(begin: [1, 0, 2], size: [2, 4, 2]), Ref.slice(RefArray(x), begin: [1, 0, 2], size: [2, 4, 2]))
        assertClose(x.slice(begin: [0, 1, 3], size: [-1, 2, -1]), Ref.slice(RefArray(x), begin: [0, 1, 3], size: [3, 2, 2]))
        XCTAssertEqual(x.slice(begin: [0, 0, 0], size: [3, 0, 5]).shape, [3, 0, 5])
        let ints = Tensor(shape: [4], int32s: [5, 6, 7, 8]).slice(begin: [1], size: [2])
        XCTAssertEqual(ints.int32Scalars, [6, 7])
    }

    func testPadWithZerosAndWithAValue() {
        let x = Tensor.iota([2, 3], start: 1)
        assertClose(x.padded([(1, 0), (2, 1)]), Ref.pad(RefArray(x), [(1, 0), (2, 1)], value: 0))
        let cube = Tensor.iota([2, 2, 2], start: 1)
        assertClose(cube.padded([(0, 1), (1, 1), (0, 0)], value: -3),
                    Ref.pad(RefArray(cube), [(0, 1), (1, 1), (0, 0)], value: -3))
        let ints = Tensor(shape: [2], int32s: [4, 5]).padded([(1, 2)], value: 9)
        XCTAssertEqual(ints.int32Scalars, [9, 4, 5, 9, 9])
    }

    func testGatherAlongEveryAxisWithMultiDimensionalIndices() {
        let x = Tensor.iota([3, 4, 2])
        let indexCases: [([Int], [Int32])] = [([3], [2, 0, 2]), ([2, 2], [1, 0, 1, 1]), ([1], [1])]
        for axis in 0..<3 {
            for (indexShape, ids) in indexCases {
                let clipped = ids.map { Int($0) % x.shape[axis] }
                let indices = Tensor(shape: indexShape, int32s: clipped.map { Int32($0) })
                assertClose(x.gathering(indices, axis: axis),
                            Ref.gather(RefArray(x), indices: clipped, indexShape: indexShape, axis: axis),
                            "axis \(axis) indices \(indexShape)")
            }
        }
        let labels = Tensor(shape: [4], int32s: [7, 8, 9, 10])
        XCTAssertEqual(labels.gathering(Tensor(shape: [2], int32s: [3, 0])).int32Scalars, [10, 7])
    }

    /// Out-of-range ids give a row of `off` values (TensorFlow's one_hot).
    func testOneHot() {
        let ids = Tensor(shape: [2, 2], int32s: [0, 2, -1, 3])
        let encoded = ids.oneHot(depth: 3)
        XCTAssertEqual(encoded.shape, [2, 2, 3])
        XCTAssertEqual(encoded.scalars, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(Tensor(shape: [2], int32s: [1, 0]).oneHot(depth: 2, on: 0.9, off: 0.1).scalars, [0.1, 0.9, 0.9, 0.1])
    }

    func testTile() {
        let x = Tensor.iota([2, 3])
        for multiples in [[1, 1], [2, 1], [1, 3], [3, 2], [0, 2]] {
            assertClose(x.tiled(multiples), Ref.tile(RefArray(x), multiples), "multiples \(multiples)")
        }
        let cube = Tensor.iota([2, 1, 2])
        assertClose(cube.tiled([2, 3, 1]), Ref.tile(RefArray(cube), [2, 3, 1]))
    }
}
