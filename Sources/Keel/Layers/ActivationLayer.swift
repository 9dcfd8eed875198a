/// Keras's `Activation` layer: applies an activation function by name. (The Swift name differs
/// because `Activation` is the function type itself.)
@Component(.layer)
open class ActivationLayer: Layer {
    open override class var kerasClassName: String { "Activation" }

    @Hyper("activation") public var activation: Activation

    /// Most functions keep the shape; GLU halves the last axis and refuses an odd one.
    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        guard let rule = activation.shapeRule else { return inputShapes[0] }
        guard let shape = rule.outputShape(inputShapes[0]) else {
            throw invalidInput(expected: rule.requirement, found: inputShapes)
        }
        return shape
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor { activation(input) }
}
