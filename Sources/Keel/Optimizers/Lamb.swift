import Foundation

/// Layer-wise adaptive moments (`keras.optimizers.Lamb`): Adam's bias-corrected direction, scaled
/// per variable by the trust ratio ‖w‖ / ‖direction‖, so each variable moves in proportion to its
/// own size whatever the scale of its gradients.
@Component(.optimizer)
open class Lamb: Optimizer {

    @Hyper("beta_1") public var beta1: Double = 0.9
    @Hyper("beta_2") public var beta2: Double = 0.999
    @Hyper("epsilon") public var epsilon: Double = 1e-7

    override open func build(for variables: [Variable]) {
        addSlots(["momentum", "velocity"], for: variables)
    }

    override open func update(_ variable: Variable, gradient: Tensor, learningRate lr: Float) {
        let step = Float(iterations + 1)
        // Keras casts β to float32 for the powers but subtracts it from 1 as a Python float.
        let momentumCorrection = 1 - pow(Float(beta1), step), velocityCorrection = 1 - pow(Float(beta2), step)
        let oneMinusBeta1 = Float(1 - beta1), oneMinusBeta2 = Float(1 - beta2), epsilon = Float(epsilon)
        updateElements(of: variable, slot("momentum", for: variable), slot("velocity", for: variable),
                       gradient: gradient) { n, w, m, v, g in
            // The trust ratio needs the whole direction before any weight moves, so it is kept.
            let direction = UnsafeMutablePointer<Float>.allocate(capacity: n)
            defer { direction.deallocate() }
            var weightSquares = 0.0, directionSquares = 0.0
            var i = 0
            while i < n {
                m[i] += (g[i] - m[i]) * oneMinusBeta1
                v[i] += (g[i] * g[i] - v[i]) * oneMinusBeta2
                let d = (m[i] / momentumCorrection) / ((v[i] / velocityCorrection).squareRoot() + epsilon)
                direction[i] = d
                weightSquares += Double(w[i] * w[i])
                directionSquares += Double(d * d)
                i &+= 1
            }
            let weightNorm = Float(weightSquares.squareRoot()), directionNorm = Float(directionSquares.squareRoot())
            // A zero (or NaN) norm on either side leaves the plain Adam-like step, as in Keras.
            let ratio: Float = weightNorm > 0 && directionNorm > 0 ? weightNorm / directionNorm : 1
            let stepSize = ratio * lr
            i = 0
            while i < n {
                w[i] -= stepSize * direction[i]
                i &+= 1
            }
        }
    }

}
