extension Metrics {
    /// Keras `PearsonCorrelation`: the running weighted mean over rows of each row's Pearson
    /// correlation between y_true and y_pred along `axis`.
    @Component(.metric)
    public final class PearsonCorrelation: MeanMetricWrapper {
        public override class var kerasClassName: String { "PearsonCorrelation" }
        public override class var defaultName: String? { "pearson_correlation" }
        @Hyper("axis") public var axis = -1

        public override func checkInputs(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
            try CorrelationFunctions.checkInputs(yTrue, yPred, axis: axis, owner: "PearsonCorrelation '\(name)'")
        }

        public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
            stopOnBadInputs(yTrue: yTrue, yPred: yPred, sampleWeight: nil)
            return CorrelationFunctions.pearson(yTrue, yPred, axis: axis)
        }
    }

    /// Keras `ConcordanceCorrelation`: the running weighted mean over rows of each row's
    /// concordance correlation coefficient along `axis`.
    @Component(.metric)
    public final class ConcordanceCorrelation: MeanMetricWrapper {
        public override class var kerasClassName: String { "ConcordanceCorrelation" }
        public override class var defaultName: String? { "concordance_correlation" }
        @Hyper("axis") public var axis = -1

        public override func checkInputs(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
            try CorrelationFunctions.checkInputs(yTrue, yPred, axis: axis, owner: "ConcordanceCorrelation '\(name)'")
        }

        public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
            stopOnBadInputs(yTrue: yTrue, yPred: yPred, sampleWeight: nil)
            return CorrelationFunctions.concordance(yTrue, yPred, axis: axis)
        }
    }
}

/// Keras's `pearson_correlation` and `concordance_correlation` (correlation_metrics.py).
enum CorrelationFunctions {
    static func checkInputs(_ yTrue: Tensor, _ yPred: Tensor, axis: Int, owner: String) throws {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        guard t.shape == p.shape, p.rank >= 1, axis >= -p.rank, axis < p.rank else {
            throw KeelError("\(owner): y_true and y_pred", expected: "the same shape with an axis \(axis)",
                            found: "y_true \(yTrue.shape), y_pred \(yPred.shape)")
        }
    }

    /// Mean of the product of the standardised values along `axis`.
    static func pearson(_ yTrue: Tensor, _ yPred: Tensor, axis: Int) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        var trueCentered = t - t.mean(axes: [axis], keepDims: true)
        var predCentered = p - p.mean(axes: [axis], keepDims: true)
        trueCentered = trueCentered / trueCentered.variance(axes: [axis], keepDims: true).sqrt()
        predCentered = predCentered / predCentered.variance(axes: [axis], keepDims: true).sqrt()
        return (trueCentered * predCentered).mean(axes: [axis])
    }

    /// Keras's formula as written, including its covariance term (y_true − mean(y_pred))·(y_pred − mean(y_pred)).
    static func concordance(_ yTrue: Tensor, _ yPred: Tensor, axis: Int) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        let trueMean = t.mean(axes: [axis], keepDims: true), predMean = p.mean(axes: [axis], keepDims: true)
        let trueVariance = (t - trueMean).variance(axes: [axis], keepDims: true)
        let predVariance = (p - predMean).variance(axes: [axis], keepDims: true)
        let covariance = (t - predMean) * (p - predMean)
        let norm = trueVariance + predVariance + (trueMean - predMean).squared()
        return (2 * covariance / (norm + LossMath.epsilon)).mean(axes: [axis])
    }
}
