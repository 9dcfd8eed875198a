import XCTest
import Keel

/// `Dataset.shard` (Horovod's): N shards drawing the same order each take every N-th sample, so
/// together their batch k is exactly the one-process batch k of size N·B.
final class DatasetShardTests: XCTestCase {
    private func ids(_ count: Int) -> Tensor { Tensor(shape: [count, 1], scalars: (0..<count).map(Float.init)) }

    func testShardsTogetherMakeTheOneProcessBatchesOfNTimesTheSize() throws {
        let count = 23, shards = 3, batch = 2
        let whole = Dataset(x: [ids(count)], batchSize: batch * shards, shuffle: true)
        let reference = whole.epoch(generator: RandomGenerator(seed: 7)).map { $0.x[0].scalars }
        var perShard: [[[Float]]] = []
        for index in 0..<shards {
            var parts = Dataset(x: [ids(count)], batchSize: batch, shuffle: true)
            parts = try parts.shard(count: shards, index: index)
            XCTAssertEqual(parts.shardSampleCount, 7, "23 samples on 3 shards: 7 each, 2 left out")
            XCTAssertEqual(parts.batchCount, 4)
            perShard.append(parts.epoch(generator: RandomGenerator(seed: 7)).map { $0.x[0].scalars })
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
        let shard = try Dataset(x: [ids(10)], batchSize: 4).shard(count: 4, index: 1)
        XCTAssertEqual(shard.epoch(generator: RandomGenerator(seed: 1)).map { $0.x[0].scalars }, [[1, 5]])
    }

    func testOneShardIsTheWholeDataset() throws {
        let data = Dataset(x: [ids(9)], batchSize: 4, shuffle: true)
        let shard = try data.shard(count: 1, index: 0)
        XCTAssertEqual(shard.epoch(generator: RandomGenerator(seed: 3)).map { $0.x[0].scalars },
                       data.epoch(generator: RandomGenerator(seed: 3)).map { $0.x[0].scalars })
    }

    func testBadShardsAreErrors() throws {
        let data = Dataset(x: [ids(4)])
        XCTAssertThrowsError(try data.shard(count: 2, index: 2)) { XCTAssertTrue("\($0)".contains("index < count"), "\($0)") }
        XCTAssertThrowsError(try data.shard(count: 0, index: 0))
        XCTAssertThrowsError(try data.shard(count: 2, index: 0).shard(count: 2, index: 1))
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
