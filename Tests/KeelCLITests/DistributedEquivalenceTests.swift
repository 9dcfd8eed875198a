import Foundation
import XCTest

/// Data-parallel training on this host (mpirun) against one process: the same weights
/// (DistributedEquivalence says what is compared, and why the BN reference averages sub-batch
/// gradients), and gradient buckets whose reductions start during the backward pass.
final class DistributedEquivalenceTests: XCTestCase {
    /// 2 ranks with the default fusion threshold (the tiny models fit one bucket), 3 ranks with a
    /// threshold of 64 bytes, so each model's gradients go in several buckets.
    func testRanksWithBatchBTrainLikeOneProcessWithBatchNB() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let equivalence = try DistributedEquivalence(keel: keel)
        for (ranks, threshold) in [(2, nil), (3, 64)] as [(Int, Int?)] {
            let reference = try equivalence.referenceRun(ranks: ranks)
            let distributed = try equivalence.distributedRun(launcher: DistributedEquivalence.localMPIRun(ranks: ranks),
                                                             ranks: ranks, fusionThreshold: threshold)
            DistributedEquivalence.assertEquivalent(distributed, reference)
            XCTAssertEqual(distributed.traces.keys.sorted(), ["bn", "dense"], "the steps did not go through the bucketed path")
            if threshold == nil {
                XCTAssertEqual(distributed.traces["dense"]?.variablesPerBucket, [6], "one bucket holds the whole small model")
            }
        }
    }

    /// With several buckets, the first bucket's reduction starts while gradients of earlier layers
    /// are still to come: communication overlaps the backward pass (shown by counts, not timing).
    func testTheFirstBucketStartsBeforeTheBackwardPassEnds() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let equivalence = try DistributedEquivalence(keel: keel)
        let outcome = try equivalence.distributedRun(launcher: DistributedEquivalence.localMPIRun(ranks: 2), ranks: 2,
                                                     steps: 2, fusionThreshold: 64)
        for model in ["dense", "bn"] {
            guard let trace = outcome.traces[model] else { XCTFail("no bucket trace for \(model)"); continue }
            XCTAssertGreaterThan(trace.variablesPerBucket.count, 1, "\(model): \(trace)")
            XCTAssertEqual(trace.unfinishedGradientsAtStart.count, trace.variablesPerBucket.count, "\(model): \(trace)")
            XCTAssertGreaterThan(trace.unfinishedGradientsAtStart.first ?? 0, 0,
                                 "\(model): the first bucket started only after the whole backward pass: \(trace)")
            XCTAssertEqual(trace.unfinishedGradientsAtStart.last, 0, "\(model): \(trace)")
        }
        // The dense model's buckets, last layer first: d3's bias (8 B) and kernel (40 B) together;
        // d2's bias (20 B), d2's kernel (160 B), d1's bias (32 B) and kernel (192 B) each alone.
        XCTAssertEqual(outcome.traces["dense"]?.variablesPerBucket, [2, 1, 1, 1, 1])
    }

    /// A threshold that is not a number of bytes stops every rank with an error naming it,
    /// rather than falling back to some default on some ranks.
    func testAnUnreadableFusionThresholdStopsTheJobNamingIt() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let equivalence = try DistributedEquivalence(keel: keel)
        let (result, _) = try equivalence.launch(launcher: DistributedEquivalence.localMPIRun(ranks: 2), ranks: 2,
                                                 steps: 1, fusionThreshold: "1MB")
        assertFails(result, mentioning: ["KEEL_FUSION_THRESHOLD", "'1MB'"])
    }
}
