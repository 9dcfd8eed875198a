/// Divides each step by a moving root-mean-square of the gradients (`keras.optimizers.RMSprop`),
/// optionally centered (subtracting the squared mean gradient) and with momentum.
@Component(.optimizer)
open class RMSprop: Optimizer {

    @Hyper("rho") public var rho: Double = 0.9
    @Hyper("momentum") public var momentum: Double = 0
    @Hyper("epsilon") public var epsilon: Double = 1e-7
    @Hyper("centered") public var centered: Bool = false

    /// Keras's order: all velocities, then all momentums, then all average gradients.
    override open func build(for variables: [Variable]) {
        addSlots(["velocity"], for: variables)
        if momentum > 0 { addSlots(["momentum"], for: variables) }
        if centered { addSlots(["average_gradient"], for: variables) }
    }

    override open func update(_ variable: Variable, gradient: Tensor, learningRate lr: Float) {
        let rho = Float(rho), oneMinusRho = Float(1 - self.rho), epsilon = Float(epsilon), mu = Float(momentum)
        let velocity = slot("velocity", for: variable)
        switch (momentum > 0, centered) {
        case (false, false):
            updateElements(of: variable, velocity, gradient: gradient) { n, w, v, g in
                var i = 0
                while i < n {
                    v[i] = rho * v[i] + oneMinusRho * (g[i] * g[i])
                    w[i] -= lr * g[i] / (v[i] + epsilon).squareRoot()
                    i &+= 1
                }
            }
        case (true, false):
            updateElements(of: variable, velocity, slot("momentum", for: variable), gradient: gradient) { n, w, v, m, g in
                var i = 0
                while i < n {
                    v[i] = rho * v[i] + oneMinusRho * (g[i] * g[i])
                    m[i] = mu * m[i] + lr * g[i] / (v[i] + epsilon).squareRoot()
                    w[i] -= m[i]
                    i &+= 1
                }
            }
        case (false, true):
            updateElements(of: variable, velocity, slot("average_gradient", for: variable), gradient: gradient) { n, w, v, a, g in
                var i = 0
                while i < n {
                    v[i] = rho * v[i] + oneMinusRho * (g[i] * g[i])
                    a[i] = rho * a[i] + oneMinusRho * g[i]
                    w[i] -= lr * g[i] / (v[i] - a[i] * a[i] + epsilon).squareRoot()
                    i &+= 1
                }
            }
        case (true, true):
            updateElements(of: variable, velocity, slot("momentum", for: variable), slot("average_gradient", for: variable),
                           gradient: gradient) { n, w, v, m, a, g in
                var i = 0
                while i < n {
                    v[i] = rho * v[i] + oneMinusRho * (g[i] * g[i])
                    a[i] = rho * a[i] + oneMinusRho * g[i]
                    m[i] = mu * m[i] + lr * g[i] / (v[i] - a[i] * a[i] + epsilon).squareRoot()
                    w[i] -= m[i]
                    i &+= 1
                }
            }
        }
    }

}
