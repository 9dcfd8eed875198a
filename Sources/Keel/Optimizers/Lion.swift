/// Evolved sign momentum (`keras.optimizers.Lion`): every element moves by exactly the learning
/// rate, in the direction of the sign of an interpolated momentum.
@Component(.optimizer)
open class Lion: Optimizer {

    @Hyper("beta_1", HyperCheck("a number in (0, 1]") { $0 > 0 && $0 <= 1 }) public var beta1: Double = 0.9
    @Hyper("beta_2") public var beta2: Double = 0.99

    override open func build(for variables: [Variable]) {
        addSlots(["momentum"], for: variables)
    }

    override open func update(_ variable: Variable, gradient: Tensor, learningRate lr: Float) {
        // Keras casts β to float32 first, so 1 − β is computed in float32.
        let beta1 = Float(beta1), beta2 = Float(beta2)
        let oneMinusBeta1 = 1 - beta1, oneMinusBeta2 = 1 - beta2
        updateElements(of: variable, slot("momentum", for: variable), gradient: gradient) { n, w, m, g in
            var i = 0
            while i < n {
                let direction = m[i] * beta1 + g[i] * oneMinusBeta1
                // sign(NaN) stays NaN, so a broken gradient shows in the weights as in Keras.
                let sign: Float = direction > 0 ? 1 : (direction < 0 ? -1 : (direction == 0 ? 0 : direction))
                w[i] -= lr * sign
                m[i] = m[i] * beta2 + g[i] * oneMinusBeta2
                i &+= 1
            }
        }
    }

}
