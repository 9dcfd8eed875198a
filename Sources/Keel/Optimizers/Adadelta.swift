/// Steps sized by the ratio of running RMS of past updates to running RMS of gradients
/// (`keras.optimizers.Adadelta`).
@Component(.optimizer)
open class Adadelta: Optimizer {

    @Hyper("rho") public var rho: Double = 0.95
    @Hyper("epsilon") public var epsilon: Double = 1e-7

    override open func build(for variables: [Variable]) {
        addSlots(["accumulated_grad", "accumulated_delta_var"], for: variables)
    }

    override open func update(_ variable: Variable, gradient: Tensor, learningRate lr: Float) {
        let rho = Float(rho), oneMinusRho = Float(1 - self.rho), epsilon = Float(epsilon)
        updateElements(of: variable, slot("accumulated_grad", for: variable),
                       slot("accumulated_delta_var", for: variable), gradient: gradient) { n, w, eg, ed, g in
            var i = 0
            while i < n {
                eg[i] = rho * eg[i] + oneMinusRho * (g[i] * g[i])
                let delta = -((ed[i] + epsilon).squareRoot() * g[i] / (eg[i] + epsilon).squareRoot())
                ed[i] = rho * ed[i] + oneMinusRho * (delta * delta)
                w[i] += lr * delta
                i &+= 1
            }
        }
    }

}
