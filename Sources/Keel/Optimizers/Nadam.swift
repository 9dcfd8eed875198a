import Foundation

/// Adam with Nesterov momentum and a momentum schedule (`keras.optimizers.Nadam`). The product of
/// the scheduled momenta so far is one optimizer-wide float32 variable, created last and unnamed
/// in Keras (so it is called `variable`).
@Component(.optimizer)
open class Nadam: Optimizer {

    @Hyper("beta_1") public var beta1: Double = 0.9
    @Hyper("beta_2") public var beta2: Double = 0.999
    @Hyper("epsilon") public var epsilon: Double = 1e-7

    private var momentumProduct: Variable?

    override open func build(for variables: [Variable]) {
        addSlots(["momentum", "velocity"], for: variables)
        momentumProduct = addOptimizerVariable(name: "variable", value: Tensor(1))
    }

    /// The scheduled momentum at 1-based step `t`: β₁(1 − ½·0.96ᵗ).
    private func scheduledMomentum(_ t: Float) -> Float {
        Float(beta1) * (1 - 0.5 * pow(Float(0.96), t))
    }

    override open func beginStep() {
        guard let momentumProduct else { return }
        let t = Float(iterations + 1)
        let product = momentumProduct.value.scalar * Float(beta1) * (1 - 0.5 * pow(Float(0.96), t))
        momentumProduct.assign(Tensor(product))
    }

    override open func update(_ variable: Variable, gradient: Tensor, learningRate lr: Float) {
        let t = Float(iterations + 1)
        let momentumNow = scheduledMomentum(t), momentumNext = scheduledMomentum(t + 1)
        let product = momentumProduct?.value.scalar ?? 1
        let productNext = product * momentumNext
        let beta2Power = pow(Float(beta2), t)
        // Keras casts β to float32 before subtracting here (unlike Adam), so 1 − β is float32 math.
        let oneMinusBeta1 = 1 - Float(beta1), oneMinusBeta2 = 1 - Float(beta2), epsilon = Float(epsilon)
        let gradientWeight = 1 - momentumNow, gradientDivisor = 1 - product
        let momentumDivisor = 1 - productNext, velocityDivisor = 1 - beta2Power
        updateElements(of: variable, slot("momentum", for: variable), slot("velocity", for: variable),
                       gradient: gradient) { n, w, m, v, g in
            var i = 0
            while i < n {
                m[i] += (g[i] - m[i]) * oneMinusBeta1
                v[i] += (g[i] * g[i] - v[i]) * oneMinusBeta2
                let mHat = momentumNext * m[i] / momentumDivisor + gradientWeight * g[i] / gradientDivisor
                let vHat = v[i] / velocityDivisor
                w[i] -= mHat * lr / (vHat.squareRoot() + epsilon)
                i &+= 1
            }
        }
    }

}
