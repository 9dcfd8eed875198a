import Foundation

/// Horovod's `DistributedOptimizer`: returns `optimizer` itself, now averaging every update's
/// gradients over the ranks of the job before applying them (before loss scaling, clipping and
/// weight decay, so N ranks with batch B step like one process with batch N·B). Its config,
/// variables and saved files are the optimizer's own: a checkpoint loads in Keras unchanged.
/// In a job of one rank it changes nothing.
@discardableResult
public func DistributedOptimizer<O: Optimizer>(wrapping optimizer: O) -> O {
    if optimizer.gradientAveraging == nil { optimizer.gradientAveraging = GradientAveraging() }
    return optimizer
}

/// Averages a step's gradients across ranks, fused into few large allreduces (Horovod's fusion
/// buffer): one collective per small tensor would cost a round trip each. `Optimizer.gradients(of:wrt:from:)`
/// reduces them in buckets while the backward pass runs (`GradientBuckets`); `apply` averages
/// gradients computed elsewhere itself, blocking, and leaves the bucketed ones alone.
public final class GradientAveraging {
    /// Bytes per fused allreduce (KEEL_FUSION_THRESHOLD, Horovod's HOROVOD_FUSION_THRESHOLD; 0
    /// reduces every gradient on its own). The default, 1 MiB, is PyTorch DDP's first bucket and
    /// suits the W2-style MLPs (784→512(→512)→10, 1.6–2.7 MB of gradients): the layers after the
    /// first share a small bucket (and a 512×512 kernel gets its own) that reduces while the first
    /// layer's backward pass still runs; only the first layer's kernel, whose gradient is the last
    /// one the pass produces and which no threshold could start earlier, is reduced after it. A
    /// threshold above the whole model (Horovod's 64 MB) would put everything in one bucket that
    /// can start only when the backward pass is over: no overlap. Buckets of a megabyte also keep
    /// the per-collective latency (tens of µs in shared memory, ~0.1 ms over TCP) small beside
    /// the transfer.
    static let defaultFusionBytes = 1 << 20

    private var buckets: GradientBuckets?
    /// Identities of the gradients `gradients(of:wrt:from:)` returned averaged, which `apply`
    /// then passes through.
    private var alreadyAveraged: Set<UInt64> = []
    /// What the last bucketed step did (nil before the first one, and in a job of one rank).
    public private(set) var lastOverlap: GradientOverlapTrace?

    init() {}

    /// KEEL_FUSION_THRESHOLD as a number of bytes, read when a job of several ranks first averages.
    static func fusionBytes() throws -> Int { try configuredFusionBytes.get() }

    private static let configuredFusionBytes: Result<Int, KeelError> = {
        guard let text = ProcessInfo.processInfo.environment["KEEL_FUSION_THRESHOLD"] else { return .success(defaultFusionBytes) }
        guard let bytes = Int(text.trimmingCharacters(in: .whitespaces)), bytes >= 0 else {
            return .failure(KeelError("KEEL_FUSION_THRESHOLD", expected: "a whole number of bytes ≥ 0 (0: no fusion)", found: "'\(text)'"))
        }
        return .success(bytes)
    }()

    /// The gradients of `loss` averaged across ranks, bucket by bucket while `tape` walks back.
    func averagedGradients(of loss: Tensor, wrt variables: [Variable], from tape: GradientTape) -> [Tensor?] {
        let (gradients, trace) = plan(for: variables).averagedGradients(of: loss, wrt: variables, from: tape)
        lastOverlap = trace
        alreadyAveraged = Set(gradients.compactMap { $0?.id })
        return gradients
    }

    /// The bucket plan of the last step when it was made for these variables, else a new one.
    private func plan(for variables: [Variable]) -> GradientBuckets {
        if let buckets, buckets.isPlan(for: variables) { return buckets }
        let plan = Self.agreedPlan(for: variables)
        buckets = plan
        return plan
    }

    /// A bucket plan every rank shares: rank 0's threshold, and a check that every rank made the
    /// same buckets (the same variables), since differing collectives would mix up tensors.
    private static func agreedPlan(for variables: [Variable]) -> GradientBuckets {
        do {
            let own = try fusionBytes()
            let agreed = try Distributed.broadcast(bytes: Array(String(own).utf8), root: 0, name: "fusion threshold")
            let plan = GradientBuckets(variables: variables, fusionBytes: Int(String(decoding: agreed, as: UTF8.self)) ?? own)
            let signature = plan.signature
            let counts = try Distributed.allreduce([Double(signature.count)], op: .max, name: "gradient bucket plan (size)")
            let padded = signature + [Double](repeating: -1, count: max(0, Int(counts[0]) - signature.count))
            let highest = try Distributed.allreduce(padded, op: .max, name: "gradient bucket plan")
            let lowest = try Distributed.allreduce(padded, op: .min, name: "gradient bucket plan")
            guard highest == lowest else {
                throw KeelError("gradient buckets on rank \(Distributed.rank)",
                                expected: "the same trainable variables (count and shapes) on every rank",
                                found: "\(variables.count) variables in \(plan.signature[0]) buckets of \(Int(plan.signature[1])) values "
                                    + "here, another plan on some other rank")
            }
            return plan
        } catch {
            Distributed.fail(error)
        }
    }

    /// The ranks' mean of each gradient of `variables`, through the same buckets as the overlapped
    /// path (blocking: the backward pass is over); nil stays nil (every rank has the same graph,
    /// so the same gradients are missing everywhere). Gradients `gradients(of:wrt:from:)`
    /// averaged already pass through.
    func averaged(_ gradients: [Tensor?], of variables: [Variable]) -> [Tensor?] {
        guard Distributed.isActive else { return gradients }
        let skipped = alreadyAveraged
        alreadyAveraged = []
        let ids = gradients.compactMap { $0?.id }
        if !ids.isEmpty, ids.allSatisfy(skipped.contains) { return gradients }
        return plan(for: variables).averaged(gradients, of: variables)
    }
}

extension Optimizer {
    /// The gradients of `loss` (recorded on `tape`) with respect to `variables`, ready for `apply`.
    /// When the optimizer averages across ranks (`DistributedOptimizer(wrapping:)`) in a job of
    /// several ranks, they come back averaged already: fused in buckets whose allreduce starts
    /// as soon as the backward pass has finished the bucket's gradients, overlapping
    /// communication with the rest of the pass; `apply` recognises them and does not average
    /// them again. Otherwise this is `tape.gradient(of: loss, wrt: variables)`.
    public func gradients(of loss: Tensor, wrt variables: [Variable], from tape: GradientTape) -> [Tensor?] {
        guard let gradientAveraging, Distributed.isActive else { return tape.gradient(of: loss, wrt: variables) }
        return gradientAveraging.averagedGradients(of: loss, wrt: variables, from: tape)
    }
}
