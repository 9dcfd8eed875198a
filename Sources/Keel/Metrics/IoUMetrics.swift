extension Metrics {
    /// The shared state and arithmetic of Keras's IoU metrics (iou_metrics.py): a confusion
    /// matrix `total_confusion_matrix` (rows = true class, columns = predicted class) accumulated
    /// over updates, and the mean over target classes of tp / (tp + fp + fn), counting only classes
    /// that occurred. Keras's default dtype is "int": sample weights are then truncated to whole
    /// numbers, as Keras casts them to int32. A subclass declares the Keras fields and their order.
    public class IoUMetric: Metric {
        public override class var defaultDType: String { "int32" }
        public override class var acceptedDTypes: [String] { ["int32", "float32"] }
        /// The config keys Keras writes before `name` and `dtype`.
        class var keysBeforeName: [String] { [] }

        var numClassesSetting: Int { 2 }
        var targetClassIDsSetting: [Int] { [] }
        var ignoreClassSetting: Int? { nil }
        var sparseYTrueSetting: Bool { true }
        var sparseYPredSetting: Bool { true }
        var axisSetting: Int { -1 }

        private var confusionMatrix: Variable?

        public override func check() throws {
            try super.check()
            let owner = "\(Self.kerasClassName) '\(name)'"
            if let outside = targetClassIDsSetting.first(where: { $0 < 0 || $0 >= numClassesSetting }) {
                throw KeelError("\(owner): field 'target_class_ids'",
                                expected: "class ids in [0, \(numClassesSetting))", found: "\(outside)")
            }
            if targetClassIDsSetting.isEmpty {
                throw KeelError("\(owner): field 'target_class_ids'", expected: "at least one class id", found: "none")
            }
        }

        public override func didConfigure() {
            super.didConfigure()
            confusionMatrix = nil
            guard configurationIsValid else { return }
            confusionMatrix = addVariable(name: "total_confusion_matrix", shape: [numClassesSetting, numClassesSetting])
        }

        public override var config: JSONObject {
            let written = super.config
            var ordered = JSONObject()
            for key in Self.keysBeforeName + ["name", "dtype"] { ordered[key] = written[key] }
            for (key, value) in written where ordered[key] == nil { ordered[key] = value }
            return ordered
        }

        /// Class ids of y_true and y_pred (after argmax where they are not sparse), flattened.
        func classIDs(yTrue: Tensor, yPred: Tensor) -> (truth: Tensor, predicted: Tensor) {
            let truth = sparseYTrueSetting ? yTrue : LossMath.floats(yTrue).argmax(axis: axisSetting)
            let predicted = sparseYPredSetting ? yPred : LossMath.floats(yPred).argmax(axis: axisSetting)
            return (LossMath.floats(truth).flattened(), LossMath.floats(predicted).flattened())
        }

        public override func checkInputs(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
            let owner = "\(Self.kerasClassName) '\(name)'"
            for (tensor, sparse, what) in [(yTrue, sparseYTrueSetting, "y_true"), (yPred, sparseYPredSetting, "y_pred")]
            where !sparse && (tensor.rank == 0 || tensor.shape.last == 0 || axisSetting < -tensor.rank || axisSetting >= tensor.rank) {
                throw KeelError("\(owner): \(what)", expected: "scores along axis \(axisSetting) to take the argmax of",
                                found: "shape \(tensor.shape)")
            }
            let (truth, predicted) = classIDs(yTrue: yTrue, yPred: yPred)
            guard truth.count == predicted.count else {
                throw KeelError("\(owner): y_true and y_pred", expected: "one class id each per position",
                                found: "\(truth.count) true and \(predicted.count) predicted ids (shapes \(yTrue.shape), \(yPred.shape))")
            }
            if let sampleWeight, sampleWeight.count != 1 && sampleWeight.count != truth.count {
                throw KeelError("\(owner): sample_weight", expected: "one weight per position (\(truth.count)) or one",
                                found: "shape \(sampleWeight.shape)")
            }
        }

        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) {
            guard let confusionMatrix else { stopForInvalidConfiguration() }
            stopOnBadInputs(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight)
            let (truthIDs, predictedIDs) = classIDs(yTrue: stopGradient(yTrue), yPred: stopGradient(yPred))
            accumulate(truth: truthIDs.scalars, predicted: predictedIDs.scalars,
                       weights: sampleWeight.map { LossMath.floats(stopGradient($0)).scalars }, into: confusionMatrix)
        }

        /// Adds each position's weight at [true id][predicted id]. Positions whose ids fall outside
        /// [0, num_classes) or whose true id is `ignore_class` count nothing. With dtype int32 ids
        /// and weights are truncated towards zero first, as Keras's casts do.
        func accumulate(truth: [Float], predicted: [Float], weights: [Float]?, into variable: Variable) {
            let integral = dtype == "int32"
            let classes = numClassesSetting, ignored = ignoreClassSetting.map { Float($0) }
            let n = truth.count
            var delta = [Float](repeating: 0, count: classes &* classes)
            truth.withUnsafeBufferPointer { t in
                predicted.withUnsafeBufferPointer { p in
                    delta.withUnsafeMutableBufferPointer { cm in
                        for i in 0..<n {
                            var y = t[i], yHat = p[i]
                            var w: Float = weights.map { $0.count == 1 ? $0[0] : $0[i] } ?? 1
                            if integral { y = y.rounded(.towardZero); yHat = yHat.rounded(.towardZero); w = w.rounded(.towardZero) }
                            guard y >= 0, y < Float(classes), yHat >= 0, yHat < Float(classes), y != ignored else { continue }
                            cm[Int(y) &* classes &+ Int(yHat)] += w
                        }
                    }
                }
            }
            variable.assignAdd(Tensor(shape: [classes, classes], scalars: delta))
        }

        public override func result() -> Tensor {
            guard let confusionMatrix else { stopForInvalidConfiguration() }
            let classes = numClassesSetting, cm = confusionMatrix.value.scalars
            var iouSum: Float = 0, validCount: Float = 0
            for id in targetClassIDsSetting {
                var predictedTotal: Float = 0, trueTotal: Float = 0
                for k in 0..<classes {
                    predictedTotal += cm[k &* classes &+ id]
                    trueTotal += cm[id &* classes &+ k]
                }
                let truePositives = cm[id &* classes &+ id]
                let denominator = predictedTotal + trueTotal - truePositives
                guard denominator > 1e-9 else { continue }
                validCount += 1
                iouSum += truePositives / (denominator + LossMath.epsilon)
            }
            return Tensor(iouSum / (validCount + LossMath.epsilon))
        }
    }

    /// Keras `IoU`: intersection over union for the classes `target_class_ids`, averaged, from
    /// integer class ids (or scores, with `sparse_y_true`/`sparse_y_pred` false).
    @Component(.metric)
    public final class IoU: IoUMetric {
        public override class var kerasClassName: String { "IoU" }

        @Hyper("num_classes", .size) public var numClasses: Int
        @Hyper("target_class_ids") public var targetClassIDs: [Int]
        @Hyper("ignore_class") public var ignoreClass: Int? = nil
        @Hyper("sparse_y_true") public var sparseYTrue = true
        @Hyper("sparse_y_pred") public var sparseYPred = true
        @Hyper("axis") public var axis = -1

        override var numClassesSetting: Int { numClasses }
        override var targetClassIDsSetting: [Int] { targetClassIDs }
        override var ignoreClassSetting: Int? { ignoreClass }
        override var sparseYTrueSetting: Bool { sparseYTrue }
        override var sparseYPredSetting: Bool { sparseYPred }
        override var axisSetting: Int { axis }
    }

    /// Keras `MeanIoU`: `IoU` over every class.
    @Component(.metric)
    public final class MeanIoU: IoUMetric {
        public override class var kerasClassName: String { "MeanIoU" }
        override class var keysBeforeName: [String] { ["num_classes"] }

        @Hyper("num_classes", .size) public var numClasses: Int
        @Hyper("ignore_class") public var ignoreClass: Int? = nil
        @Hyper("sparse_y_true") public var sparseYTrue = true
        @Hyper("sparse_y_pred") public var sparseYPred = true
        @Hyper("axis") public var axis = -1

        override var numClassesSetting: Int { numClasses }
        override var targetClassIDsSetting: [Int] { Array(0..<numClasses) }
        override var ignoreClassSetting: Int? { ignoreClass }
        override var sparseYTrueSetting: Bool { sparseYTrue }
        override var sparseYPredSetting: Bool { sparseYPred }
        override var axisSetting: Int { axis }
    }

    /// Keras `BinaryIoU`: `IoU` over two classes, a score counting as class 1 when it is at least
    /// `threshold`.
    @Component(.metric)
    public final class BinaryIoU: IoUMetric {
        public override class var kerasClassName: String { "BinaryIoU" }
        override class var keysBeforeName: [String] { ["target_class_ids", "threshold"] }

        @Hyper("target_class_ids") public var targetClassIDs: [Int] = [0, 1]
        @Hyper("threshold") public var threshold = 0.5

        override var numClassesSetting: Int { 2 }
        override var targetClassIDsSetting: [Int] { targetClassIDs }

        override func classIDs(yTrue: Tensor, yPred: Tensor) -> (truth: Tensor, predicted: Tensor) {
            let predicted = LossMath.floats(yPred).greaterEqual(Tensor(Float(threshold)))
            return (LossMath.floats(yTrue).flattened(), predicted.flattened())
        }
    }

    /// Keras `OneHotIoU`: `IoU` with one-hot y_true (and scores as y_pred unless `sparse_y_pred`).
    @Component(.metric)
    public final class OneHotIoU: IoUMetric {
        public override class var kerasClassName: String { "OneHotIoU" }
        override class var keysBeforeName: [String] { ["num_classes", "target_class_ids"] }

        @Hyper("num_classes", .size) public var numClasses: Int
        @Hyper("target_class_ids") public var targetClassIDs: [Int]
        @Hyper("ignore_class") public var ignoreClass: Int? = nil
        @Hyper("sparse_y_pred") public var sparseYPred = false
        @Hyper("axis") public var axis = -1

        override var numClassesSetting: Int { numClasses }
        override var targetClassIDsSetting: [Int] { targetClassIDs }
        override var ignoreClassSetting: Int? { ignoreClass }
        override var sparseYTrueSetting: Bool { false }
        override var sparseYPredSetting: Bool { sparseYPred }
        override var axisSetting: Int { axis }
    }

    /// Keras `OneHotMeanIoU`: `MeanIoU` with one-hot y_true (and scores as y_pred unless `sparse_y_pred`).
    @Component(.metric)
    public final class OneHotMeanIoU: IoUMetric {
        public override class var kerasClassName: String { "OneHotMeanIoU" }
        override class var keysBeforeName: [String] { ["num_classes"] }

        @Hyper("num_classes", .size) public var numClasses: Int
        @Hyper("ignore_class") public var ignoreClass: Int? = nil
        @Hyper("sparse_y_pred") public var sparseYPred = false
        @Hyper("axis") public var axis = -1

        override var numClassesSetting: Int { numClasses }
        override var targetClassIDsSetting: [Int] { Array(0..<numClasses) }
        override var ignoreClassSetting: Int? { ignoreClass }
        override var sparseYTrueSetting: Bool { false }
        override var sparseYPredSetting: Bool { sparseYPred }
        override var axisSetting: Int { axis }
    }
}
