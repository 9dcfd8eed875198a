#if canImport(Glibc)
import Glibc
#endif

/// Keras `CTC` (connectionist temporal classification): −log p(labels | logits), summed over
/// every alignment of the labels to all time steps. y_true holds integer labels (batch,
/// max label length) padded with 0, which is also the blank class, so a sample's label length is
/// its number of non-zero entries (its first that many entries are the labels, as in Keras);
/// y_pred holds logits (batch, time, classes), log-softmaxed here. A sample whose labels cannot
/// be aligned to the time steps has an infinite loss and a zero gradient.
public final class CTC: Loss {
    public override class var kerasClassName: String { "CTC" }
    public override class var defaultName: String { "ctc" }

    public override func checkInputs(yTrue: Tensor, yPred: Tensor) throws {
        let owner = "CTC '\(name)'"
        guard yTrue.rank == 2, yPred.rank == 3, yTrue.shape[0] == yPred.shape[0], yPred.shape[2] >= 1 else {
            throw KeelError("\(owner): y_true and y_pred",
                            expected: "labels (batch, max_length) and logits (batch, time, classes) with the same batch",
                            found: "y_true \(yTrue.shape), y_pred \(yPred.shape)")
        }
        let classes = yPred.shape[2]
        if let bad = LossMath.floats(yTrue).scalars.first(where: { !($0 >= 0 && $0 < Float(classes) && $0 == $0.rounded()) }) {
            throw KeelError("\(owner): y_true", expected: "integer class ids in [0, \(classes))", found: "\(bad)")
        }
    }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        stopOnBadInputs(yTrue: yTrue, yPred: yPred)
        let logProbabilities = stopGradient(yPred).logSoftmax(axis: -1)
        let (losses, gradients) = CTCLattice.lossesAndGradients(labels: LossMath.floats(yTrue),
                                                                 logProbabilities: logProbabilities)
        let logits = yPred
        GradientTape.recordOp(output: losses, inputs: [logits], backward: { upstream in
            [gradients * upstream.reshaped([losses.count, 1, 1])]
        })
        return losses
    }
}

/// The CTC forward-backward recursion over the extended label sequence (blank, l₁, blank, l₂,
/// ..., blank), in log space and double precision: the loss −log p and its gradient with respect
/// to the logits, softmax − posterior occupancy of each class.
enum CTCLattice {
    static func lossesAndGradients(labels: Tensor, logProbabilities: Tensor) -> (Tensor, Tensor) {
        let batch = logProbabilities.shape[0], steps = logProbabilities.shape[1], classes = logProbabilities.shape[2]
        let maxLength = labels.shape[1]
        let ids = labels.scalars, logP = logProbabilities.scalars
        var losses = [Float](repeating: 0, count: batch)
        var gradients = [Float](repeating: 0, count: batch &* steps &* classes)
        logP.withUnsafeBufferPointer { logP in
            gradients.withUnsafeMutableBufferPointer { gradients in
                for b in 0..<batch {
                    let row = ids[(b &* maxLength)..<((b &+ 1) &* maxLength)]
                    let length = row.reduce(0) { $0 &+ ($1 != 0 ? 1 : 0) }
                    let sequence = row.prefix(length).map { Int($0) }
                    let base = b &* steps &* classes
                    losses[b] = sample(sequence, logP: logP, base: base, steps: steps, classes: classes,
                                       gradients: gradients)
                }
            }
        }
        return (Tensor(shape: [batch], scalars: losses), Tensor(shape: [batch, steps, classes], scalars: gradients))
    }

    private static func logAdd(_ a: Double, _ b: Double) -> Double {
        if a == -.infinity { return b }
        if b == -.infinity { return a }
        return Swift.max(a, b) + Glibc.log1p(Glibc.exp(-Swift.abs(a - b)))
    }

    /// One sample: writes its gradient at `base` and returns its loss.
    private static func sample(_ labels: [Int], logP: UnsafeBufferPointer<Float>, base: Int, steps: Int, classes: Int,
                               gradients: UnsafeMutableBufferPointer<Float>) -> Float {
        let states = 2 &* labels.count &+ 1
        func symbol(_ s: Int) -> Int { s & 1 == 0 ? 0 : labels[s >> 1] }
        /// Whether state s may be entered from s − 2 (a label different from the previous one).
        func canSkip(_ s: Int) -> Bool { s & 1 == 1 && s >= 2 && labels[s >> 1] != labels[(s >> 1) &- 1] }
        func emission(_ t: Int, _ s: Int) -> Double { Double(logP[base &+ t &* classes &+ symbol(s)]) }

        var alpha = [Double](repeating: -.infinity, count: steps &* states)
        var beta = alpha
        guard steps > 0 else { return labels.isEmpty ? 0 : .infinity }
        alpha[0] = emission(0, 0)
        if states > 1 { alpha[1] = emission(0, 1) }
        for t in 1..<Swift.max(steps, 1) {
            for s in 0..<states {
                var total = alpha[(t &- 1) &* states &+ s]
                if s >= 1 { total = logAdd(total, alpha[(t &- 1) &* states &+ s &- 1]) }
                if canSkip(s) { total = logAdd(total, alpha[(t &- 1) &* states &+ s &- 2]) }
                alpha[t &* states &+ s] = total == -.infinity ? total : total + emission(t, s)
            }
        }
        let last = (steps &- 1) &* states
        beta[last &+ states &- 1] = 0
        if states > 1 { beta[last &+ states &- 2] = 0 }
        for t in stride(from: steps &- 2, through: 0, by: -1) {
            for s in 0..<states {
                let next = (t &+ 1) &* states
                var total = beta[next &+ s] + emission(t &+ 1, s)
                if s &+ 1 < states { total = logAdd(total, beta[next &+ s &+ 1] + emission(t &+ 1, s &+ 1)) }
                if s &+ 2 < states && canSkip(s &+ 2) { total = logAdd(total, beta[next &+ s &+ 2] + emission(t &+ 1, s &+ 2)) }
                beta[t &* states &+ s] = total
            }
        }
        var logLikelihood = alpha[last &+ states &- 1]
        if states > 1 { logLikelihood = logAdd(logLikelihood, alpha[last &+ states &- 2]) }
        guard logLikelihood > -.infinity else { return .infinity }
        var occupancy = [Double](repeating: 0, count: classes)
        for t in 0..<steps {
            let offset = base &+ t &* classes
            for k in 0..<classes { occupancy[k] = 0 }
            for s in 0..<states {
                let logOccupancy = alpha[t &* states &+ s] + beta[t &* states &+ s] - logLikelihood
                if logOccupancy > -.infinity { occupancy[symbol(s)] += Glibc.exp(logOccupancy) }
            }
            for k in 0..<classes {
                gradients[offset &+ k] = Float(Glibc.exp(Double(logP[offset &+ k])) - occupancy[k])
            }
        }
        return Float(-logLikelihood)
    }
}
