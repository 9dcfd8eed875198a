import XCTest
import Keel

/// `Dataset.shard` (Horovod's): N shards drawing the same order each take every N-th sample, so
/// together their batch k is exactly the one-process batch k of size N·B.
final class DatasetShardTests: XCTestCase {
    private func ids(_ count: Int) -> Tensor { Tensor(shape: [count, 1], scalars: (0..<count).map(Float.init)) }

    private func rows(_ data: Dataset) throws -> [[Float]] { try data.collect().map { try $0.tensor("batch").scalars } }

    private func shuffled(_ count: Int) throws -> Dataset {
        try Dataset.fromTensorSlices(.tensor(ids(count))).shuffle(bufferSize: count, seed: 7)
    }

    func testShardsTogetherMakeTheOneProcessBatchesOfNTimesTheSize() throws {
        let count = 23, shards = 3, batch = 2
        // 23 samples on 3 shards: 7 each, 2 left out, so every shard takes the same steps.
        let reference = try rows(try shuffled(count).take(21).batch(batch * shards))
        var perShard: [[[Float]]] = []
        for index in 0..<shards {
            let part = try shuffled(count).take(21).shard(count: shards, index: index).batch(batch)
            XCTAssertEqual(part.cardinality, .finite(4))
            perShard.append(try rows(part))
        }
        // Equal step counts on every shard: a rank with one more step would wait forever for the others.
        XCTAssertEqual(Set(perShard.map(\.count)), [4])
        for step in 0..<3 {
            let together = (0..<batch).flatMap { row in (0..<shards).map { perShard[$0][step][row] } }
            XCTAssertEqual(together, reference[step], "step \(step)")
        }
        // The last, short batch: 7 = 3·2 + 1 per shard, the sample after the full batches.
        XCTAssertEqual((0..<shards).map { perShard[$0][3] }, (0..<shards).map { [reference[3][$0]] })
    }

    func testUnshuffledShardsInterleave() throws {
        let shard = try Dataset.fromTensorSlices(.tensor(ids(10))).shard(count: 4, index: 1).batch(4)
        XCTAssertEqual(try rows(shard), [[1, 5, 9]])
        // A streamed source shards the same way.
        let streamed = try Dataset.fromTensorSlices(.tensor(ids(10))).filter { _ in true }.shard(count: 4, index: 1).batch(4)
        XCTAssertEqual(try rows(streamed), [[1, 5, 9]])
    }

    func testOneShardIsTheWholeDataset() throws {
        let data = try shuffled(9)
        XCTAssertEqual(try rows(try data.shard(count: 1, index: 0).batch(4)), try rows(try shuffled(9).batch(4)))
    }

    func testBadShardsAreErrors() throws {
        let data = try Dataset.fromTensorSlices(.tensor(ids(4)))
        XCTAssertThrowsError(try data.shard(count: 2, index: 2)) { XCTAssertTrue("\($0)".contains("index < count"), "\($0)") }
        XCTAssertThrowsError(try data.shard(count: 0, index: 0))
    }

    func testWarmupRampsFromRateOverSizeToRate() {
        let warmup = LearningRateWarmup(initialLearningRate: 0.8, warmupEpochs: 2)
        XCTAssertEqual(warmup.rate(epoch: 0, batch: 0, steps: 10, size: 4), 0.8 / 4 * (0.1 * 3 / 2 + 1), accuracy: 1e-12)
        XCTAssertEqual(warmup.rate(epoch: 1, batch: 4, steps: 10, size: 4), 0.8 / 4 * (1.5 * 3 / 2 + 1), accuracy: 1e-12)
        XCTAssertEqual(warmup.rate(epoch: 1, batch: 9, steps: 10, size: 4), 0.8, accuracy: 1e-12)
        XCTAssertEqual(warmup.rate(epoch: 0, batch: 3, steps: 10, size: 1), 0.8)
        XCTAssertEqual(Distributed.scaledLearningRate(0.01), 0.01 * Double(Distributed.size))
    }
}
