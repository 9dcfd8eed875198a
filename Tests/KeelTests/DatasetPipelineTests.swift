import XCTest
import Foundation
import KeelIO
@testable import Keel

/// The tf.data-shaped pipeline: each transformation's elements, orders and errors.
final class DatasetPipelineTests: XCTestCase {
    private func range(_ count: Int) -> Tensor { Tensor(shape: [count], scalars: (0..<count).map(Float.init)) }
    private func values(_ data: Dataset) throws -> [[Float]] { try data.collect().map { try $0.tensor("element").scalars } }
    private func scalars(_ data: Dataset) throws -> [Float] { try values(data).map { $0[0] } }

    func testTensorSlicesOfTuplesAndDictionariesKeepTheirStructure() throws {
        let x = Tensor(shape: [3, 2], scalars: [0, 1, 2, 3, 4, 5])
        let labels = Tensor(shape: [3], int32s: [7, 8, 9])
        let pairs = try Dataset.fromTensorSlices(.tuple([.tensor(x), .tensor(labels)])).collect()
        XCTAssertEqual(pairs.count, 3)
        guard case .tuple(let second) = pairs[1] else { return XCTFail("\(pairs[1].kind)") }
        XCTAssertEqual(try second[0].tensor("x").scalars, [2, 3])
        XCTAssertEqual(try second[1].tensor("y").int32Scalars, [8])
        XCTAssertEqual(second[1].shape, [])
        let named = try Dataset.fromTensorSlices(.dict([(key: "pixels", value: .tensor(x)), (key: "label", value: .tensor(labels))]))
        XCTAssertEqual(named.cardinality, .finite(3))
        XCTAssertEqual(try named.collect()[2]["label"].map { try $0.tensor("label").int32Scalars }, [9])
        XCTAssertThrowsError(try Dataset.fromTensorSlices(.tuple([.tensor(x), .tensor(range(4))]))) {
            XCTAssertTrue("\($0)".contains("the same first dimension"), "\($0)")
        }
    }

    func testMapInParallelKeepsTheOrderAndFilterDrops() throws {
        let source = try Dataset.fromTensorSlices(.tensor(range(50)))
        let doubled = source.map(parallelCalls: 4) { .tensor(try $0.tensor("x") * 2) }
        XCTAssertEqual(try scalars(doubled), (0..<50).map { Float($0 * 2) })
        // The streamed path (after a filter) maps in parallel too, in order.
        let even = source.filter { try $0.tensor("x").scalar.truncatingRemainder(dividingBy: 2) == 0 }
            .map(parallelCalls: 3) { .tensor(try $0.tensor("x") + 1) }
        XCTAssertEqual(try scalars(even), stride(from: 1, to: 50, by: 2).map(Float.init))
        XCTAssertEqual(even.cardinality, .unknown)
        // An error inside a map reaches the consumer.
        let failing = source.map(parallelCalls: 2) { element -> DataElement in
            if try element.tensor("x").scalar == 7 { throw KeelError("element 7", expected: "no failure", found: "one") }
            return element
        }
        XCTAssertThrowsError(try failing.collect()) { XCTAssertTrue("\($0)".contains("element 7"), "\($0)") }
    }

    func testSeededShuffleIsReproducibleAndReshufflesEachIteration() throws {
        let data = try Dataset.fromTensorSlices(.tensor(range(20))).shuffle(bufferSize: 20, seed: 42)
        let first = try scalars(data), second = try scalars(data)
        XCTAssertEqual(first.sorted(), (0..<20).map(Float.init), "a permutation")
        XCTAssertNotEqual(first, (0..<20).map(Float.init))
        XCTAssertNotEqual(first, second, "a new order every iteration")
        let again = try Dataset.fromTensorSlices(.tensor(range(20))).shuffle(bufferSize: 20, seed: 42)
        XCTAssertEqual(try scalars(again), first, "the same seed, the same orders")
        XCTAssertEqual(try scalars(again), second)
        let fixed = try Dataset.fromTensorSlices(.tensor(range(20))).shuffle(bufferSize: 20, seed: 42, reshuffleEachIteration: false)
        XCTAssertEqual(try scalars(fixed), try scalars(fixed))
        XCTAssertThrowsError(try data.shuffle(bufferSize: 0))
    }

    func testASmallShuffleBufferOnlyMovesElementsLocally() throws {
        let data = try Dataset.fromTensorSlices(.tensor(range(100))).shuffle(bufferSize: 4, seed: 1)
        let order = try scalars(data)
        XCTAssertEqual(order.sorted(), (0..<100).map(Float.init))
        XCTAssertNotEqual(order, (0..<100).map(Float.init))
        // With 4 in the buffer, the i-th element handed out was among the first i + 4 read.
        for (i, value) in order.enumerated() { XCTAssertLessThan(Int(value), i + 4) }
    }

    func testBatchUnbatchRepeatTakeSkip() throws {
        let source = try Dataset.fromTensorSlices(.tensor(range(7)))
        XCTAssertEqual(try values(try source.batch(3)), [[0, 1, 2], [3, 4, 5], [6]])
        XCTAssertEqual(try values(try source.batch(3, dropRemainder: true)), [[0, 1, 2], [3, 4, 5]])
        XCTAssertEqual(try source.batch(3, dropRemainder: true).cardinality, .finite(2))
        XCTAssertEqual(try scalars(try source.batch(3).unbatch()), (0..<7).map(Float.init))
        XCTAssertEqual(try scalars(source.skip(2).take(3)), [2, 3, 4])
        XCTAssertEqual(source.skip(2).take(3).cardinality, .finite(3))
        XCTAssertEqual(try scalars(try source.take(2).repeat(3)), [0, 1, 0, 1, 0, 1])
        XCTAssertEqual(try source.repeat().cardinality, .infinite)
        XCTAssertEqual(try scalars(try source.repeat().take(9)), [0, 1, 2, 3, 4, 5, 6, 0, 1])
        // A shuffle before a repeat draws a new order for every repetition.
        let twice = try scalars(try source.shuffle(bufferSize: 7, seed: 3).repeat(2))
        XCTAssertEqual(Array(twice[0..<7]).sorted(), Array(twice[7...]).sorted())
        XCTAssertNotEqual(Array(twice[0..<7]), Array(twice[7...]))
        XCTAssertThrowsError(try source.batch(0))
        XCTAssertThrowsError(try source.repeat(-1))
        // Elements of different shapes cannot share a batch.
        let ragged = Dataset.fromSequence([.tensor(range(2)), .tensor(range(3))])
        XCTAssertThrowsError(try ragged.batch(2).collect()) { XCTAssertTrue("\($0)".contains("one shape"), "\($0)") }
    }

    func testZipConcatenateAndGenerators() throws {
        let a = try Dataset.fromTensorSlices(.tensor(range(3)))
        let b = Dataset.fromGenerator(cardinality: 5) {
            var i: Float = 10
            return AnyIterator { i < 15 ? { defer { i += 1 }; return .tensor(Tensor(i)) }() : nil }
        }
        let zipped = try Dataset.zip([a, b])
        XCTAssertEqual(zipped.cardinality, .finite(3))
        let pairs = try zipped.collect().map { element -> [Float] in
            guard case .tuple(let items) = element else { return [] }
            return try items.map { try $0.tensor("item").scalar }
        }
        XCTAssertEqual(pairs, [[0, 10], [1, 11], [2, 12]])
        XCTAssertEqual(try scalars(a.concatenate(b)), [0, 1, 2, 10, 11, 12, 13, 14])
        XCTAssertEqual(a.concatenate(b).cardinality, .finite(8))
        let other = try Dataset.fromTensorSlices(.tuple([.tensor(range(2)), .tensor(range(2))]))
        XCTAssertThrowsError(try a.concatenate(other).collect()) { XCTAssertTrue("\($0)".contains("one structure"), "\($0)") }
    }

    func testMemoryCacheReplaysTheFirstIteration() throws {
        var calls = 0
        let data = try Dataset.fromTensorSlices(.tensor(range(5))).map { calls += 1; return $0 }.cache()
        XCTAssertEqual(try scalars(data), [0, 1, 2, 3, 4])
        XCTAssertEqual(try scalars(data), [0, 1, 2, 3, 4])
        XCTAssertEqual(calls, 5, "the map ran once")
        // A shuffle after the cache reorders the cached elements.
        XCTAssertEqual(try scalars(try data.shuffle(bufferSize: 5, seed: 1)).sorted(), [0, 1, 2, 3, 4])
        XCTAssertEqual(calls, 5)
    }

    func testFileCacheIsWrittenWholeAndReadByLaterDatasets() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("train.cache").path
        let element = DataElement.dict([
            (key: "pixels", value: .bytes(try ByteArray(shape: [3, 2], bytes: [1, 2, 3, 4, 250, 255]))),
            (key: "text", value: .strings(StringArray(["a", "bé", ""]))),
            (key: "label", value: .tensor(Tensor(shape: [3], int32s: [4, 5, 6]))),
            (key: "weight", value: .tensor(Tensor(shape: [3], scalars: [0.5, 1, 2]))),
        ])
        // An interrupted first pass leaves no cache behind.
        let partial = try Dataset.fromTensorSlices(element).cache(file: path)
        XCTAssertEqual(try partial.take(1).collect().count, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        let written = try partial.collect()
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        var sourceCalls = 0
        let reread = try Dataset.fromTensorSlices(element).map { sourceCalls += 1; return $0 }.cache(file: path).collect()
        XCTAssertEqual(sourceCalls, 0, "read from the file")
        XCTAssertEqual(reread.map(\.kind), written.map(\.kind))
        XCTAssertEqual(reread[1]["text"].flatMap { if case .strings(let s) = $0 { return s.strings } else { return nil } }, ["bé"])
        XCTAssertEqual(reread[2]["pixels"].flatMap { if case .bytes(let b) = $0 { return b.bytes } else { return nil } }, [UInt8]([250, 255]))
        XCTAssertEqual(try reread[2]["label"]?.tensor("label").int32Scalars, [6])
        XCTAssertEqual(try reread[0]["weight"]?.tensor("weight").scalars, [0.5])
        // A damaged cache is an error naming the file, at every cut and with flipped bytes.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for cut in stride(from: 0, to: bytes.count, by: 7) {
            try bytes.prefix(cut).write(to: URL(fileURLWithPath: path))
            do {
                _ = try Dataset.fromSequence([]).cache(file: path).collect()
                XCTFail("a \(cut)-byte file was read as a cache")
            } catch {
                XCTAssertTrue("\(error)".contains(path), "\(error)")
            }
        }
        var flipped = [UInt8](bytes)
        for i in stride(from: 22, to: flipped.count, by: 5) { flipped[i] ^= 0xA5 }
        try Data(flipped).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Dataset.fromSequence([]).cache(file: path).collect()) {
            XCTAssertTrue("\($0)".contains("CRC-32"), "\($0)")
        }
    }

    func testPrefetchGivesTheSameElementsAndErrors() throws {
        let source = try Dataset.fromTensorSlices(.tensor(range(30))).filter { _ in true }
        XCTAssertEqual(try scalars(try source.prefetch(3)), (0..<30).map(Float.init))
        let iterator = try source.prefetch(2).makeIterator()
        XCTAssertEqual(try iterator.next().map { try $0.tensor("x").scalar }, 0)
        XCTAssertEqual(try iterator.skip(10), 10)
        XCTAssertEqual(try iterator.next().map { try $0.tensor("x").scalar }, 11)
        XCTAssertEqual(iterator.position, 12)
        let failing = try source.map { element -> DataElement in
            if try element.tensor("x").scalar == 4 { throw KeelError("element 4", expected: "no failure", found: "one") }
            return element
        }.prefetch(2)
        XCTAssertThrowsError(try failing.collect()) { XCTAssertTrue("\($0)".contains("element 4"), "\($0)") }
        // An iteration abandoned half way stops its producer (nothing hangs or leaks a running thread).
        for _ in 0..<20 { _ = try source.prefetch(2).makeIterator().next() }
    }

    func testBytesStayBytesUntilABatchFeedsAModel() throws {
        let pixels = try ByteArray(shape: [4, 2], bytes: [0, 255, 10, 20, 30, 40, 50, 60])
        let data = try Dataset.fromTensorSlices(.tuple([.bytes(pixels), .tensor(Tensor(shape: [4], scalars: [0, 1, 0, 1]))])).batch(3)
        guard case .tuple(let items) = try data.collect()[0], case .bytes(let batch) = items[0] else { return XCTFail("bytes kept") }
        XCTAssertEqual(batch.shape, [3, 2])
        let batches = try data.batches(generator: RandomGenerator(seed: 1))
        let first = try XCTUnwrap(try batches.next())
        XCTAssertEqual(first.x[0].scalars, [0, 255, 10, 20, 30, 40])
        XCTAssertEqual(first.y[0].scalars, [0, 1, 0])
        XCTAssertEqual(try batches.next()?.size, 1)
        XCTAssertNil(try batches.next())
        XCTAssertThrowsError(try ByteArray(shape: [2, 2], bytes: [1, 2, 3]))
        let text = try Dataset.fromTensorSlices(.strings(StringArray(["a", "b"]))).batch(2)
        XCTAssertThrowsError(try text.batches().next()) { XCTAssertTrue("\($0)".contains("an array of numbers"), "\($0)") }
    }

    /// Mutated cache files whose checksum is made to match again (so the decoder, not the
    /// checksum, meets the damage): every one is read or rejected with an error, none crashes.
    func testMutatedCacheFilesWithValidChecksumsAreReadOrRejected() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-cache-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("seed.cache").path
        let element = DataElement.tuple([
            .dict([(key: "image", value: .bytes(try ByteArray(shape: [4, 2, 2], bytes: (0..<16).map(UInt8.init)))),
                   (key: "caption", value: .strings(StringArray(["one", "two", "three", "four"])))]),
            .tensor(Tensor(shape: [4, 3], scalars: (0..<12).map(Float.init))),
            .tensor(Tensor(shape: [4], int32s: [1, 2, 3, 4])),
        ])
        _ = try Dataset.fromTensorSlices(element).batch(3).cache(file: path).collect()
        let seed = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var random = SystemRandomNumberGenerator()
        var read = 0, rejected = 0
        for _ in 0..<400 {
            var bytes = Array(seed.dropLast(4))
            switch Int.random(in: 0..<4, using: &random) {
            case 0: for _ in 0..<Int.random(in: 1...4, using: &random) { bytes[Int.random(in: 21..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random) }
            case 1: bytes.removeSubrange(Int.random(in: 21..<bytes.count, using: &random)..<bytes.count)
            case 2: bytes.insert(contentsOf: (0..<Int.random(in: 1...9, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) },
                                 at: Int.random(in: 21..<bytes.count, using: &random))
            default: bytes[Int.random(in: 21..<bytes.count, using: &random)] = [0, 1, 0xFF, 0x7F, 0x80][Int.random(in: 0..<5, using: &random)]
            }
            let crc = bytes.withUnsafeBytes { CRC32.checksum($0) }
            withUnsafeBytes(of: crc.littleEndian) { bytes.append(contentsOf: $0) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                _ = try Dataset.fromSequence([]).cache(file: path).collect()
                read += 1
            } catch {
                XCTAssertTrue("\(error)".contains(path), "\(error)")
                rejected += 1
            }
        }
        XCTAssertGreaterThan(rejected, 100, "most mutations break the structure")
        XCTAssertEqual(read + rejected, 400)
    }
}
