import Foundation

/// Follow The Regularized Leader (`keras.optimizers.Ftrl`), with online L1/L2 regularization and
/// L2 shrinkage.
@Component(.optimizer)
open class Ftrl: Optimizer {

    @Hyper("learning_rate_power", .atMost(0)) public var learningRatePower: Double = -0.5
    @Hyper("initial_accumulator_value", .nonNegative) public var initialAccumulatorValue: Double = 0.1
    @Hyper("l1_regularization_strength", .nonNegative) public var l1RegularizationStrength: Double = 0
    @Hyper("l2_regularization_strength", .nonNegative) public var l2RegularizationStrength: Double = 0
    @Hyper("l2_shrinkage_regularization_strength", .nonNegative) public var l2ShrinkageRegularizationStrength: Double = 0
    @Hyper("beta") public var beta: Double = 0

    override open func build(for variables: [Variable]) {
        addSlots([("accumulator", Float(initialAccumulatorValue)), ("linear", 0)], for: variables)
    }

    override open func update(_ variable: Variable, gradient: Tensor, learningRate lr: Float) {
        let negativePower = Float(-learningRatePower)
        let l1 = Float(l1RegularizationStrength)
        let l2 = Float(l2RegularizationStrength) + Float(beta) / (2 * lr)
        let shrinkage = Float(2 * l2ShrinkageRegularizationStrength)
        updateElements(of: variable, slot("accumulator", for: variable), slot("linear", for: variable),
                       gradient: gradient) { n, w, accumulator, linear, g in
            var i = 0
            while i < n {
                let adjustedGradient = g[i] + shrinkage * w[i]
                let newAccumulator = accumulator[i] + g[i] * g[i]
                let poweredNew = pow(newAccumulator, negativePower)
                linear[i] += adjustedGradient - (poweredNew - pow(accumulator[i], negativePower)) / lr * w[i]
                let quadratic = poweredNew / lr + 2 * l2
                let clipped = min(max(linear[i], -l1), l1)
                w[i] = (clipped - linear[i]) / quadratic
                accumulator[i] = newAccumulator
                i &+= 1
            }
        }
    }

}
