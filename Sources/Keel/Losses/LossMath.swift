/// The numerical building blocks Keras's loss functions share (keras/src/losses/losses.py and
/// the JAX backend's `nn.py`), written with differentiable tensor ops. Metrics reuse them.
enum LossMath {
    /// Keras's `backend.epsilon()`.
    static let epsilon: Float = 1e-7
    /// `1 - epsilon` rounded once to float32 (0.99999988), as Keras's float32 clip bound.
    static let oneMinusEpsilon = Float(1.0 - 1e-7)

    /// Integer labels as float32 (Keras casts y_true to y_pred's dtype).
    static func floats(_ tensor: Tensor) -> Tensor {
        tensor.dtype == .float32 ? tensor : tensor.cast(to: .float32)
    }

    /// y_true as float32 and both brought to one rank, as `LossFunctionWrapper.call` does.
    static func aligned(_ yTrue: Tensor, _ yPred: Tensor) -> (yTrue: Tensor, yPred: Tensor) {
        let (t, p) = squeezeOrExpandToSameRank(floats(yTrue), yPred)
        return (t, p)
    }

    /// Label smoothing towards 0.5 (binary losses): y·(1−ls) + 0.5·ls. The constants are formed
    /// in double precision and rounded once, as Python does before JAX sees them.
    static func smoothedBinaryLabels(_ yTrue: Tensor, _ labelSmoothing: Double) -> Tensor {
        guard labelSmoothing != 0 else { return yTrue }
        return yTrue * Float(1 - labelSmoothing) + Float(0.5 * labelSmoothing)
    }

    /// Label smoothing towards uniform (categorical losses): y·(1−ls) + ls/num_classes, where
    /// num_classes is the last dimension (also when another axis is the class axis, as Keras).
    static func smoothedCategoricalLabels(_ yTrue: Tensor, _ labelSmoothing: Double) -> Tensor {
        guard labelSmoothing != 0 else { return yTrue }
        let classes = Float(yTrue.shape.last ?? 1)
        return yTrue * Float(1 - labelSmoothing) + Float(labelSmoothing) / classes
    }

    /// Elementwise binary crossentropy, the JAX backend's: log-sigmoids for logits, otherwise
    /// probabilities clipped to [ε, 1−ε] (no ε added inside the log).
    static func binaryCrossentropy(target: Tensor, output: Tensor, fromLogits: Bool) -> Tensor {
        if fromLogits {
            return -(target * output.logSigmoid()) - (1 - target) * (-output).logSigmoid()
        }
        let p = output.clipped(min: epsilon, max: oneMinusEpsilon)
        return -(target * p.log() + (1 - target) * (1 - p).log())
    }

    /// Log-probabilities along `axis`: log-softmax of logits, or the log of probabilities first
    /// renormalised to sum to one and then clipped to [ε, 1−ε].
    static func logProbabilities(_ output: Tensor, fromLogits: Bool, axis: Int) -> Tensor {
        if fromLogits { return output.logSoftmax(axis: axis) }
        return normalisedProbabilities(output, axis: axis).log()
    }

    /// Probabilities renormalised along `axis` and clipped to [ε, 1−ε], as Keras's categorical
    /// crossentropies prepare them.
    static func normalisedProbabilities(_ output: Tensor, axis: Int) -> Tensor {
        (output / output.sum(axes: [axis], keepDims: true)).clipped(min: epsilon, max: oneMinusEpsilon)
    }

    /// −Σ target·log p along `axis`.
    static func categoricalCrossentropy(target: Tensor, output: Tensor, fromLogits: Bool, axis: Int) -> Tensor {
        -(target * logProbabilities(output, fromLogits: fromLogits, axis: axis)).sum(axes: [axis])
    }

    /// Keras's `convert_binary_labels_to_hinge`: labels that are all 0 or 1 become −1 or 1;
    /// anything else is left as it is.
    static func hingeLabels(_ yTrue: Tensor) -> Tensor {
        let isBinary = yTrue.withUnsafeFloats { labels in labels.allSatisfy { $0 == 0 || $0 == 1 } }
        return isBinary ? yTrue * 2 - 1 : yTrue
    }

    /// Keras's `normalize(x, axis, order=2)`: x · min(rsqrt(Σx²), 1/ε).
    static func l2Normalized(_ x: Tensor, axis: Int) -> Tensor {
        let inverseNorm = x.squared().sum(axes: [axis], keepDims: true).rsqrt()
        return x * inverseNorm.minimum(Tensor(1 / epsilon))
    }
}
