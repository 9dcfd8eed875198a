import Foundation

/// Momentum orthogonalized by Newton–Schulz (`keras.optimizers.Muon`): each 2-D variable moves
/// along its (Nesterov) momentum with the singular values pushed towards 1 by a few quintic
/// Newton–Schulz iterations, scaled by √max(rows, columns)·rms_rate (Moonlight's rule, so Adam's
/// learning rate and weight decay carry over). Every other variable (not 2-D, an embedding, or a
/// path matching `exclude_layers`) takes AdamW's step with the `adam_*` settings instead.
@Component(.optimizer)
open class Muon: Optimizer {
    override open class var defaultWeightDecay: Double? { 0.004 }
    /// Keras's Muon takes `weight_decay=None` (no decay for the Muon-stepped variables).
    override open class var requiresWeightDecay: Bool { false }

    @Hyper("adam_beta_1") public var adamBeta1: Double = 0.9
    @Hyper("adam_beta_2") public var adamBeta2: Double = 0.999
    @Hyper("epsilon") public var epsilon: Double = 1e-7
    /// Regular expressions searched in variable paths; a match takes the AdamW step. Keras reads
    /// null as no pattern and writes it back as `[]`.
    @Hyper("exclude_layers", HyperCheck("a list of valid regular expressions") { patterns in
        (patterns ?? []).allSatisfy { (try? NSRegularExpression(pattern: $0)) != nil }
    }) public var excludeLayers: [String]? = []
    /// The Newton–Schulz polynomial a·x + b·x³ + c·x⁵ (in singular values).
    @Hyper("muon_a") public var muonA: Double = 3.4445
    @Hyper("muon_b") public var muonB: Double = -4.7750
    @Hyper("muon_c") public var muonC: Double = 2.0315
    /// The AdamW step's learning rate is this times the learning rate (its weight decay is not).
    @Hyper("adam_lr_ratio") public var adamLearningRateRatio: PythonNumber = 1
    @Hyper("momentum") public var momentum: Double = 0.95
    /// Keras takes any count; a bound keeps a mistyped config from running for hours.
    @Hyper("ns_steps", .inRange(0...1000)) public var newtonSchulzSteps: Int = 5
    @Hyper("nesterov") public var nesterov: Bool = true
    /// Variables whose path contains "embedding" (any case) take the AdamW step.
    @Hyper("exclude_embeddings") public var excludeEmbeddings: Bool = true
    /// The decay of the AdamW-stepped variables (`weight_decay` is the Muon-stepped ones').
    @Hyper("adam_weight_decay") public var adamWeightDecay: Double? = 0.004
    /// nil: no √max(rows, columns) scaling.
    @Hyper("rms_rate") public var rmsRate: Double? = 0.2

    /// The variables the optimizer was built for that take the AdamW step.
    private var adamStepped: Set<ObjectIdentifier> = []

    override open func didConfigure() {
        if excludeLayers == nil { excludeLayers = [] }
    }

    private func takesAdamStep(_ variable: Variable) -> Bool {
        if variable.shape.count != 2 { return true }
        if excludeEmbeddings, variable.path.lowercased().contains("embedding") { return true }
        return (excludeLayers ?? []).contains { variable.path.range(of: $0, options: .regularExpression) != nil }
    }

    /// Keras's order per variable: momentum, then velocity for an AdamW-stepped one.
    override open func build(for variables: [Variable]) {
        adamStepped = []
        for variable in variables {
            addSlots(["momentum"], for: [variable])
            if takesAdamStep(variable) {
                adamStepped.insert(ObjectIdentifier(variable))
                addSlots(["velocity"], for: [variable])
            }
        }
    }

    override open func weightDecay(for variable: Variable) -> Double? {
        adamStepped.contains(ObjectIdentifier(variable)) ? adamWeightDecay : weightDecay
    }

    override open func update(_ variable: Variable, gradient: Tensor, learningRate lr: Float) {
        if adamStepped.contains(ObjectIdentifier(variable)) {
            adamUpdate(variable, gradient: gradient, learningRate: lr * Float(adamLearningRateRatio.value))
        } else {
            muonUpdate(variable, gradient: gradient, learningRate: lr)
        }
    }

    private func muonUpdate(_ variable: Variable, gradient: Tensor, learningRate lr: Float) {
        let momentumSlot = slot("momentum", for: variable)
        // Keras: m += g + m·(μ − 1), with μ − 1 taken as a Python float.
        let mu = Float(momentum), muMinusOne = Float(momentum - 1)
        let nesterov = nesterov
        var direction = Tensor.zeros(variable.shape)
        direction.withUniqueMutableFloats { d in
            updateElements(of: momentumSlot, gradient: gradient) { n, m, g in
                var i = 0
                while i < n {
                    m[i] += g[i] + m[i] * muMinusOne
                    d[i] = nesterov ? g[i] + mu * m[i] : m[i]
                    i &+= 1
                }
            }
        }
        var step = lr * orthogonalized(direction)
        if let rmsRate {
            step = step * Float(max(variable.shape[0], variable.shape[1])).squareRoot() * Float(rmsRate)
        }
        updateElements(of: variable, gradient: step) { n, w, s in
            var i = 0
            while i < n {
                w[i] -= s[i]
                i &+= 1
            }
        }
    }

    /// The quintic Newton–Schulz iteration on a matrix scaled to Frobenius norm (about) 1, run on
    /// the wide orientation (rows ≤ columns) so the Gram matrices are the small ones.
    func orthogonalized(_ matrix: Tensor) -> Tensor {
        let tall = matrix.shape[0] > matrix.shape[1]
        var x = tall ? matrix.transposed() : matrix
        let squares = x.withUnsafeFloats { values in values.reduce(0.0) { $0 + Double($1 * $1) } }
        x = x / (Float(squares.squareRoot()) + 1e-7)
        let a = Float(muonA), b = Float(muonB), c = Float(muonC)
        for _ in 0..<newtonSchulzSteps {
            let gram = x.matmul(x, transposeB: true)
            let polynomial = b * gram + (c * gram).matmul(gram)
            x = a * x + polynomial.matmul(x)
        }
        return tall ? x.transposed() : x
    }

    /// AdamW's step (its decay is the base's, through `weightDecay(for:)`), with Keras's bias
    /// correction folded into the step size.
    private func adamUpdate(_ variable: Variable, gradient: Tensor, learningRate lr: Float) {
        let step = Float(iterations + 1)
        let alpha = lr * (1 - pow(Float(adamBeta2), step)).squareRoot() / (1 - pow(Float(adamBeta1), step))
        let oneMinusBeta1 = Float(1 - adamBeta1), oneMinusBeta2 = Float(1 - adamBeta2), epsilon = Float(epsilon)
        updateElements(of: variable, slot("momentum", for: variable), slot("velocity", for: variable),
                       gradient: gradient) { n, w, m, v, g in
            OptimizerKernels.adamStep(count: n, w: w, m: m, v: v, g: g, alpha: alpha, oneMinusBeta1: oneMinusBeta1,
                                      oneMinusBeta2: oneMinusBeta2, epsilon: epsilon)
        }
    }

}
