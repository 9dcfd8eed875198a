/// Scales each step by the inverse root of the summed squared gradients (`keras.optimizers.Adagrad`).
@Component(.optimizer)
open class Adagrad: Optimizer {

    @Hyper("initial_accumulator_value") public var initialAccumulatorValue: Double = 0.1
    @Hyper("epsilon") public var epsilon: Double = 1e-7

    override open func build(for variables: [Variable]) {
        addSlots(["accumulator"], for: variables, initialValue: Float(initialAccumulatorValue))
    }

    override open func update(_ variable: Variable, gradient: Tensor, learningRate lr: Float) {
        let epsilon = Float(epsilon)
        updateElements(of: variable, slot("accumulator", for: variable), gradient: gradient) { n, w, acc, g in
            var i = 0
            while i < n {
                acc[i] += g[i] * g[i]
                w[i] -= lr * g[i] / (acc[i] + epsilon).squareRoot()
                i &+= 1
            }
        }
    }

}
