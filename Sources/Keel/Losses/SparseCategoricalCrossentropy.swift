/// Keras `SparseCategoricalCrossentropy`: categorical crossentropy against integer class ids
/// (a trailing dimension of 1 on y_true is dropped). With `ignoreClass`, positions labelled with
/// that id contribute 0 and are masked out, so the default reduction averages over the valid
/// positions only.
@Component(.loss)
public final class SparseCategoricalCrossentropy: Loss {
    public override class var kerasClassName: String { "SparseCategoricalCrossentropy" }
    public override class var defaultName: String { "sparse_categorical_crossentropy" }

    @Hyper("from_logits") public var fromLogits = false
    @Hyper("ignore_class") public var ignoreClass: Int? = nil

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let labels = classIDs(yTrue, yPred)
        let valid = validPositions(labels)
        // Ignored positions get class 0 so the one-hot stays well defined; `where` then zeroes
        // their loss and their gradient (Keras also zeroes their predictions; that changes
        // nothing at valid positions and only adds 0/0 at ignored ones).
        let ids = (valid.map { labels * $0 } ?? labels).cast(to: .int32)
        let target = ids.oneHot(depth: yPred.shape.last ?? 1)
        let losses = LossMath.categoricalCrossentropy(target: target, output: yPred, fromLogits: fromLogits, axis: -1)
        guard let valid else { return losses }
        return `where`(valid.reshaped(losses.shape), losses, Tensor(0))
    }

    public override func checkInputs(yTrue: Tensor, yPred: Tensor) throws {
        var labels = yTrue.shape
        if labels.count == yPred.rank && labels.last == 1 { labels.removeLast() }
        guard yPred.rank >= 1, labels == Array(yPred.shape.dropLast()) else {
            throw KeelError("\(Self.kerasClassName) '\(name)': y_true",
                            expected: "class ids shaped like y_pred without its class axis \(Array(yPred.shape.dropLast()))",
                            found: "shape \(yTrue.shape)")
        }
    }

    public override func mask(yTrue: Tensor, yPred: Tensor) -> Tensor? {
        validPositions(classIDs(yTrue, yPred)).map { $0.reshaped(Array(yPred.shape.dropLast())) }
    }

    /// Class ids as float32, shaped like y_pred without its class axis.
    private func classIDs(_ yTrue: Tensor, _ yPred: Tensor) -> Tensor {
        var labels = LossMath.floats(yTrue)
        if labels.rank == yPred.rank && labels.shape.last == 1 { labels = labels.squeezed(axes: [-1]) }
        opCheck(labels.shape == Array(yPred.shape.dropLast()),
                     "\(Self.kerasClassName): labels of shape \(yTrue.shape) do not match predictions of shape \(yPred.shape)")
        return labels
    }

    /// 1 where the label is not `ignoreClass`; nil when no class is ignored.
    private func validPositions(_ labels: Tensor) -> Tensor? {
        ignoreClass.map { labels.notEqual(Tensor(Float($0))) }
    }
}
