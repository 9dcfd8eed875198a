import Foundation

/// A step's gradients averaged across ranks in fused buckets, each bucket's allreduce started as
/// soon as its last gradient is final, so communication overlaps the rest of the backward pass
/// (Horovod's fusion buffer, PyTorch DDP's buckets).
///
/// The plan is made once per variable list and is the same on every rank: variables in reverse
/// order (the order the backward pass finishes their gradients: the last layer's first), grouped
/// up to the fusion threshold. Buckets start strictly in plan order, a bucket that fills early
/// waiting for the ones before it, so every rank issues the same collectives in the same order
/// whatever order its tape reports gradients in. Each bucket owns a buffer reused every step.
final class GradientBuckets {
    private struct Bucket {
        /// Variable indices, in plan order.
        let members: [Int]
        /// Float offset of each member's gradient in `buffer`.
        let offsets: [Int]
        let buffer: UnsafeMutablePointer<Float>
        let count: Int
    }

    /// The variables the plan was made for (object identity and shape), to tell when a caller
    /// passes another list.
    private let identities: [ObjectIdentifier]
    private let shapes: [[Int]]
    private let sizes: [Int]
    private let buckets: [Bucket]
    /// Per variable: its bucket and its offset in that bucket's buffer.
    private let placement: [(bucket: Int, offset: Int)]

    /// Makes the plan for `variables` with buckets of at most `fusionBytes` (a variable larger than
    /// that gets a bucket of its own; 0 puts every variable in its own bucket).
    init(variables: [Variable], fusionBytes: Int) {
        identities = variables.map { ObjectIdentifier($0) }
        shapes = variables.map(\.shape)
        let sizes = variables.map { $0.shape.reduce(1, *) }
        self.sizes = sizes
        var buckets: [Bucket] = []
        var placement = [(bucket: Int, offset: Int)](repeating: (0, 0), count: variables.count)
        var members: [Int] = [], offsets: [Int] = [], count = 0
        func close() {
            guard !members.isEmpty else { return }
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
            buffer.initialize(repeating: 0, count: max(count, 1))
            buckets.append(Bucket(members: members, offsets: offsets, buffer: buffer, count: count))
            members = []; offsets = []; count = 0
        }
        for index in variables.indices.reversed() {
            let size = sizes[index]
            if !members.isEmpty, (count + size) * 4 > fusionBytes { close() }
            placement[index] = (buckets.count, count)
            members.append(index)
            offsets.append(count)
            count += size
        }
        close()
        self.buckets = buckets
        self.placement = placement
    }

    deinit {
        for bucket in buckets { bucket.buffer.deallocate() }
    }

    func isPlan(for variables: [Variable]) -> Bool {
        variables.count == identities.count
            && zip(variables, identities).allSatisfy { ObjectIdentifier($0) == $1 }
            && zip(variables, shapes).allSatisfy { $0.shape == $1 }
    }

    /// Numbers every rank must agree on before the plan's first step: a rank with another
    /// threshold or other variables would issue collectives of other sizes.
    var signature: [Double] {
        [Double(buckets.count), Double(buckets.reduce(0) { $0 + $1.count })] + buckets.map { Double($0.members.count) }
    }

    /// The ranks' mean gradients of `loss` from `tape`, each bucket reduced while the tape's
    /// reverse walk goes on; and what the step did, for `GradientOverlapTrace`. A collective that
    /// fails ends the process (`Distributed.fail`): nothing here can throw.
    func averagedGradients(of loss: Tensor, wrt variables: [Variable], from tape: GradientTape)
        -> (gradients: [Tensor?], trace: GradientOverlapTrace) {
        average(variables) { deliver in _ = tape.gradient(of: loss, wrt: variables, whenReady: deliver) }
    }

    /// The ranks' mean of gradients computed already (`Optimizer.apply` of gradients that did not
    /// come from `Optimizer.gradients(of:wrt:from:)`): the same buckets, filled last variable
    /// first so the first buckets start while the rest are copied.
    func averaged(_ gradients: [Tensor?], of variables: [Variable]) -> [Tensor?] {
        average(variables) { deliver in
            for index in gradients.indices.reversed() { deliver(index, gradients[index]) }
        }.gradients
    }

    /// Runs `produce`, which hands over every variable's gradient (or nil) exactly once, copying
    /// each into its bucket and starting each bucket's reduction, in plan order, once it is full;
    /// then waits for them all and returns the averages.
    private func average(_ variables: [Variable], _ produce: ((Int, Tensor?) -> Void) -> Void)
        -> (gradients: [Tensor?], trace: GradientOverlapTrace) {
        var waiting = buckets.map(\.members.count)
        var present = [Bool](repeating: false, count: variables.count)
        var tickets: [MPIChannel.Ticket?] = []
        tickets.reserveCapacity(buckets.count)
        var final = 0
        var unfinishedAtStart: [Int] = []
        unfinishedAtStart.reserveCapacity(buckets.count)

        func start(_ index: Int) {
            let bucket = buckets[index]
            do {
                tickets.append(try Distributed.startReduction(bucket.buffer, count: bucket.count, op: .average,
                                                              name: "gradient bucket \(index + 1) of \(buckets.count)"))
            } catch {
                Distributed.fail(error)
            }
            unfinishedAtStart.append(variables.count - final)
        }

        produce { index, gradient in
            let (bucketIndex, offset) = placement[index]
            let bucket = buckets[bucketIndex]
            let size = sizes[index]
            if let gradient {
                gradient.withUnsafeFloats { (bucket.buffer + offset).update(from: $0.baseAddress!, count: size) }
                present[index] = true
            } else {
                // Every rank runs the same graph, so the same gradients are missing everywhere;
                // zeros keep the bucket's layout.
                (bucket.buffer + offset).update(repeating: 0, count: size)
            }
            final += 1
            waiting[bucketIndex] -= 1
            while tickets.count < buckets.count, waiting[tickets.count] == 0 { start(tickets.count) }
        }
        // Every variable was handed over exactly once, so every bucket has started.
        opCheck(tickets.count == buckets.count, "gradient buckets: \(tickets.count) of \(buckets.count) buckets started")
        for ticket in tickets {
            do { try ticket?.wait() } catch { Distributed.fail(error) }
        }
        var result = [Tensor?](repeating: nil, count: variables.count)
        for index in variables.indices where present[index] {
            let (bucketIndex, offset) = placement[index]
            var averaged = Tensor(uninitializedShape: variables[index].shape)
            averaged.withUniqueMutableFloats { $0.baseAddress!.update(from: buckets[bucketIndex].buffer + offset, count: $0.count) }
            result[index] = averaged
        }
        let trace = GradientOverlapTrace(variablesPerBucket: buckets.map(\.members.count),
                                         unfinishedGradientsAtStart: unfinishedAtStart)
        return (result, trace)
    }
}

/// What the last overlapped step did, for tests and tuning (counts only, no timing): how the
/// variables were bucketed and, for each bucket in the order its reduction started, how many of
/// the step's gradients were not final yet. A positive count means that reduction started while
/// the backward pass still had work left: communication overlapped computation.
public struct GradientOverlapTrace: Sendable, Equatable {
    public let variablesPerBucket: [Int]
    public let unfinishedGradientsAtStart: [Int]
}
