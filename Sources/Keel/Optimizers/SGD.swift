/// Gradient descent with optional (Nesterov) momentum (`keras.optimizers.SGD`).
@Component(.optimizer)
open class SGD: Optimizer {
    override open class var defaultLearningRate: Float { 0.01 }

    @Hyper("momentum", .inRange(0...1)) public var momentum: Double = 0
    @Hyper("nesterov") public var nesterov: Bool = false

    override open func build(for variables: [Variable]) {
        if momentum != 0 { addSlots(["momentum"], for: variables) }
    }

    override open func update(_ variable: Variable, gradient: Tensor, learningRate lr: Float) {
        guard momentum != 0 else {
            updateElements(of: variable, gradient: gradient) { n, w, g in
                var i = 0
                while i < n { w[i] -= g[i] * lr; i &+= 1 }
            }
            return
        }
        let mu = Float(momentum)
        let nesterov = nesterov
        updateElements(of: variable, slot("momentum", for: variable), gradient: gradient) { n, w, m, g in
            var i = 0
            while i < n {
                let step = g[i] * lr
                m[i] = m[i] * mu - step
                // Nesterov looks ahead along the new momentum instead of taking it.
                w[i] += nesterov ? m[i] * mu - step : m[i]
                i &+= 1
            }
        }
    }

}
