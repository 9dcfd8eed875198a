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
/// buffer): one collective per small tensor would cost a round trip each.
public final class GradientAveraging {
    /// Bytes per fused allreduce (KEEL_FUSION_THRESHOLD, Horovod's HOROVOD_FUSION_THRESHOLD).
    let fusionBytes: Int

    init() {
        let text = ProcessInfo.processInfo.environment["KEEL_FUSION_THRESHOLD"] ?? ""
        fusionBytes = Int(text).map { max(4096, $0) } ?? (4 << 20)
    }

    /// The ranks' mean of each gradient; nil stays nil (every rank has the same graph, so the
    /// same gradients are missing everywhere).
    func averaged(_ gradients: [Tensor?]) -> [Tensor?] {
        guard Distributed.isActive else { return gradients }
        var result = gradients
        var group: [Int] = []
        var groupCount = 0
        func flush() {
            guard !group.isEmpty else { return }
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: groupCount)
            defer { buffer.deallocate() }
            var offset = 0
            for index in group {
                let gradient = gradients[index]!
                gradient.withUnsafeFloats { (buffer + offset).update(from: $0.baseAddress!, count: $0.count) }
                offset += gradient.count
            }
            do {
                try Distributed.startReduction(buffer, count: groupCount, op: .average, name: "gradient allreduce")?.wait()
            } catch {
                Distributed.fail(error)
            }
            offset = 0
            for index in group {
                let gradient = gradients[index]!
                var averagedGradient = Tensor(uninitializedShape: gradient.shape)
                averagedGradient.withUniqueMutableFloats { $0.baseAddress!.update(from: buffer + offset, count: gradient.count) }
                result[index] = averagedGradient
                offset += gradient.count
            }
            group = []
            groupCount = 0
        }
        for (index, gradient) in gradients.enumerated() {
            guard let gradient else { continue }
            if groupCount > 0, (groupCount + gradient.count) * 4 > fusionBytes { flush() }
            group.append(index)
            groupCount += gradient.count
        }
        flush()
        return result
    }
}
