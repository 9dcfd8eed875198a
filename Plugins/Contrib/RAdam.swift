import Foundation
import Keel

/// Rectified Adam (Liu et al. 2019, "On the Variance of the Adaptive Learning Rate and Beyond"):
/// Adam whose adaptive step is switched on only once the variance of the second-moment estimate
/// is tractable (ρ_t > `smaThreshold`), and scaled by the rectification term r_t; before that it
/// takes plain momentum steps. Slots and names as Adam's (`<var>_momentum`, `<var>_velocity`).
@Component(.optimizer)
final class RAdam: Optimizer {

    @Hyper("beta_1") var beta1 = 0.9
    @Hyper("beta_2") var beta2 = 0.999
    @Hyper("epsilon") var epsilon = 1e-7
    @Hyper("sma_threshold") var smaThreshold = 5.0

    override func build(for variables: [Variable]) { addSlots(["momentum", "velocity"], for: variables) }

    override func update(_ variable: Variable, gradient: Tensor, learningRate lr: Float) {
        let t = Double(iterations + 1)
        let beta1Power = pow(beta1, t), beta2Power = pow(beta2, t)
        let rhoInfinity = 2 / (1 - beta2) - 1
        let rho = rhoInfinity - 2 * t * beta2Power / (1 - beta2Power)
        let momentumScale = Float(1 / (1 - beta1Power))
        var adaptiveScale: Float = 0
        if rho > smaThreshold {
            let r = ((rho - 4) * (rho - 2) * rhoInfinity / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho)).squareRoot()
            adaptiveScale = Float(r * (1 - beta2Power).squareRoot())
        }
        let b1 = Float(1 - beta1), b2 = Float(1 - beta2), eps = Float(epsilon)
        updateElements(of: variable, slot("momentum", for: variable), slot("velocity", for: variable), gradient: gradient) { n, w, m, v, g in
            var i = 0
            while i < n {
                m[i] += (g[i] - m[i]) * b1
                v[i] += (g[i] * g[i] - v[i]) * b2
                let mHat = m[i] * momentumScale
                w[i] -= adaptiveScale > 0 ? lr * mHat * adaptiveScale / (v[i].squareRoot() + eps) : lr * mHat
                i &+= 1
            }
        }
    }
}
