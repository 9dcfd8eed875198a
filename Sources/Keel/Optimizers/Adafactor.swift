import Foundation

/// Adafactor (`keras.optimizers.Adafactor`): Adam-like steps without a first moment, whose second
/// moment of a matrix (the last two axes of a variable of rank 2 or more) is kept as its row and
/// column means only, rebuilt as their outer product. Steps are relative to the variable's root
/// mean square and clipped by the update's own root mean square.
@Component(.optimizer)
open class Adafactor: Optimizer {

    /// The second-moment decay at step t is 1 − t^beta_2_decay.
    @Hyper("beta_2_decay") public var beta2Decay: Double = -0.8
    /// Added to each squared gradient.
    @Hyper("epsilon_1") public var epsilon1: Double = 1e-30
    /// The smallest root mean square a variable's step is relative to.
    @Hyper("epsilon_2") public var epsilon2: Double = 1e-3
    @Hyper("clip_threshold", .positive) public var clipThreshold: Double = 1.0
    /// Caps a constant learning rate at 1/√t.
    @Hyper("relative_step") public var relativeStep: Bool = true

    /// The row and column statistics of each factored variable, by the variable's identity.
    private var factoredStatistics: [ObjectIdentifier: (rows: Variable, columns: Variable)] = [:]

    /// Keras's order per variable: r, c (both named after the variable, not its path), velocity.
    /// A variable of rank below 2 is not factored, but Keras still creates r and c for it as
    /// int32 scalars that are never read, so the saved state lines up.
    override open func build(for variables: [Variable]) {
        factoredStatistics = [:]
        for variable in variables {
            let shape = variable.shape
            if shape.count < 2 {
                _ = addOptimizerVariable(name: variable.name, value: Tensor(repeatingInt32: 0, shape: []))
                _ = addOptimizerVariable(name: variable.name, value: Tensor(repeatingInt32: 0, shape: []))
            } else {
                let rows = addOptimizerVariable(name: variable.name, value: .zeros(Array(shape.dropLast())))
                let columns = addOptimizerVariable(name: variable.name,
                                                   value: .zeros(Array(shape.dropLast(2)) + [shape[shape.count - 1]]))
                factoredStatistics[ObjectIdentifier(variable)] = (rows, columns)
            }
            addSlots(["velocity"], for: [variable])
        }
    }

    override open func update(_ variable: Variable, gradient: Tensor, learningRate: Float) {
        guard gradient.count > 0 else { return }
        let step = Float(iterations + 1)
        let inverseRootStep = 1 / step.squareRoot()
        var lr = learningRate
        // Keras leaves a schedule's rate alone here (it is callable); rho below caps it anyway.
        if relativeStep, case .constant = self.learningRate { lr = min(lr, inverseRootStep) }
        let rho = min(lr, inverseRootStep)
        let decay = 1 - pow(step, Float(beta2Decay))
        let velocity = slot("velocity", for: variable)
        if let statistics = factoredStatistics[ObjectIdentifier(variable)] {
            updateFactoredVelocity(velocity, statistics, gradient: gradient, decay: decay)
        } else {
            let epsilon1 = Float(epsilon1), oneMinusDecay = 1 - decay
            updateElements(of: velocity, gradient: gradient) { n, v, g in
                var i = 0
                while i < n {
                    v[i] = decay * v[i] + oneMinusDecay * (g[i] * g[i] + epsilon1)
                    i &+= 1
                }
            }
        }
        let epsilon2 = Float(epsilon2), clipThreshold = Float(clipThreshold)
        updateElements(of: variable, velocity, gradient: gradient) { n, w, v, g in
            // First pass: the root mean squares of the weights and of the unclipped update g/√v.
            var weightSquares = 0.0, updateSquares = 0.0
            var i = 0
            while i < n {
                let u = g[i] / v[i].squareRoot()
                weightSquares += Double(w[i] * w[i])
                updateSquares += Double(u * u)
                i &+= 1
            }
            let count = Double(n)
            let alpha = max(epsilon2, Float((weightSquares / count).squareRoot())) * rho
            let clipDivisor = max(1, Float((updateSquares / count).squareRoot()) / clipThreshold)
            i = 0
            while i < n {
                w[i] -= alpha * ((g[i] / v[i].squareRoot()) / clipDivisor)
                i &+= 1
            }
        }
    }

    /// r ← d·r + (1 − d)·rowmean(g² + ε₁), c ← d·c + (1 − d)·colmean(g² + ε₁), then
    /// v = (r / mean(r)) ⊗ c, for each matrix of the last two axes.
    private func updateFactoredVelocity(_ velocity: Variable, _ statistics: (rows: Variable, columns: Variable),
                                        gradient: Tensor, decay: Float) {
        let shape = gradient.shape
        let rowCount = shape[shape.count - 2], columnCount = shape[shape.count - 1]
        let matrixSize = rowCount &* columnCount
        guard matrixSize > 0 else { return }
        let matrices = gradient.count / matrixSize
        let epsilon1 = Float(epsilon1), oneMinusDecay = 1 - decay
        let rowsDivisor = Float(rowCount), columnsDivisor = Float(columnCount)
        gradient.withUnsafeFloats { gradientBuffer in
            let g = gradientBuffer.baseAddress!
            statistics.rows.updateInPlace { rowBuffer in
                statistics.columns.updateInPlace { columnBuffer in
                    velocity.updateInPlace { velocityBuffer in
                        let r = rowBuffer.baseAddress!, c = columnBuffer.baseAddress!, v = velocityBuffer.baseAddress!
                        for matrix in 0..<matrices {
                            let base = matrix &* matrixSize
                            let rowBase = matrix &* rowCount, columnBase = matrix &* columnCount
                            var rowSum: Float = 0
                            for row in 0..<rowCount {
                                var sum: Float = 0
                                for column in 0..<columnCount {
                                    let x = g[base &+ row &* columnCount &+ column]
                                    sum += x * x + epsilon1
                                }
                                r[rowBase &+ row] = decay * r[rowBase &+ row] + oneMinusDecay * (sum / columnsDivisor)
                                rowSum += r[rowBase &+ row]
                            }
                            for column in 0..<columnCount {
                                var sum: Float = 0
                                for row in 0..<rowCount {
                                    let x = g[base &+ row &* columnCount &+ column]
                                    sum += x * x + epsilon1
                                }
                                c[columnBase &+ column] = decay * c[columnBase &+ column] + oneMinusDecay * (sum / rowsDivisor)
                            }
                            let rowMean = rowSum / rowsDivisor
                            for row in 0..<rowCount {
                                let rowScale = r[rowBase &+ row] / rowMean
                                for column in 0..<columnCount {
                                    v[base &+ row &* columnCount &+ column] = rowScale * c[columnBase &+ column]
                                }
                            }
                        }
                    }
                }
            }
        }
    }

}
