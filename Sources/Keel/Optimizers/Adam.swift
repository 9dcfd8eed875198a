import Foundation

/// Adaptive moment estimation (`keras.optimizers.Adam`), optionally AMSGrad (never letting the
/// second-moment estimate decrease).
@Component(.optimizer)
open class Adam: Optimizer {

    @Hyper("beta_1") public var beta1 = 0.9
    @Hyper("beta_2") public var beta2 = 0.999
    @Hyper("epsilon") public var epsilon = 1e-7
    @Hyper("amsgrad") public var amsgrad = false

    /// Keras's order: momentum and velocity interleaved per variable, then all velocity maxima.
    override open func build(for variables: [Variable]) {
        addSlots(["momentum", "velocity"], for: variables)
        if amsgrad { addSlots(["velocity_hat"], for: variables) }
    }

    override open func update(_ variable: Variable, gradient: Tensor, learningRate lr: Float) {
        let step = Float(iterations + 1)
        // Bias correction folded into the step size; epsilon stays uncorrected ("epsilon hat").
        let alpha = lr * (1 - pow(Float(beta2), step)).squareRoot() / (1 - pow(Float(beta1), step))
        let oneMinusBeta1 = Float(1 - beta1), oneMinusBeta2 = Float(1 - beta2), epsilon = Float(epsilon)
        let momentum = slot("momentum", for: variable), velocity = slot("velocity", for: variable)
        guard amsgrad else {
            return updateElements(of: variable, momentum, velocity, gradient: gradient) { n, w, m, v, g in
                OptimizerKernels.adamStep(count: n, w: w, m: m, v: v, g: g, alpha: alpha, oneMinusBeta1: oneMinusBeta1,
                                          oneMinusBeta2: oneMinusBeta2, epsilon: epsilon)
            }
        }
        updateElements(of: variable, momentum, velocity, slot("velocity_hat", for: variable), gradient: gradient) { n, w, m, v, vHat, g in
            for i in 0..<n {
                m[i] += (g[i] - m[i]) * oneMinusBeta1
                v[i] += (g[i] * g[i] - v[i]) * oneMinusBeta2
                vHat[i] = max(vHat[i], v[i])
                w[i] -= m[i] * alpha / (vHat[i].squareRoot() + epsilon)
            }
        }
    }
}
