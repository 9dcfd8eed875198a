import Foundation

/// Adam with the infinity norm in place of the second moment (`keras.optimizers.Adamax`).
@Component(.optimizer)
open class Adamax: Optimizer {

    @Hyper("beta_1") public var beta1: Double = 0.9
    @Hyper("beta_2") public var beta2: Double = 0.999
    @Hyper("epsilon") public var epsilon: Double = 1e-7

    override open func build(for variables: [Variable]) {
        addSlots(["momentum", "norm"], for: variables)
    }

    override open func update(_ variable: Variable, gradient: Tensor, learningRate lr: Float) {
        let beta1Power = pow(Float(beta1), Float(iterations + 1))
        let oneMinusBeta1 = Float(1 - beta1), beta2 = Float(beta2), epsilon = Float(epsilon)
        let correction = 1 - beta1Power
        updateElements(of: variable, slot("momentum", for: variable), slot("norm", for: variable),
                       gradient: gradient) { n, w, m, u, g in
            var i = 0
            while i < n {
                m[i] += (g[i] - m[i]) * oneMinusBeta1
                u[i] = max(beta2 * u[i], abs(g[i]))
                w[i] -= lr * m[i] / (correction * (u[i] + epsilon))
                i &+= 1
            }
        }
    }

}
