/// W1 of the peer benchmarks: the Keras guide's GradientTape loop (MLP 784-64-64-10 on logits,
/// SGD 1e-3, sparse categorical cross-entropy from logits, batch 64), one epoch of 782 steps
/// (781 × 64 + 1 × 16) on random data, written with the engine's tensors and tape directly.
struct CustomLoopBenchmark {
    let steps = 782
    let layers: [(kernel: Variable, bias: Variable)]
    let batches: [(x: Tensor, y: Tensor)]
    let learningRate: Float = 1e-3

    init(seed: UInt64 = 1337) {
        let generator = RandomGenerator(seed: seed)
        let sizes = [784, 64, 64, 10]
        layers = (0..<3).map { i in
            let limit = (6 / Float(sizes[i] + sizes[i + 1])).squareRoot()
            return (Variable(generator.uniform([sizes[i], sizes[i + 1]], low: -limit, high: limit), name: "kernel"),
                    Variable(Tensor.zeros([sizes[i + 1]]), name: "bias"))
        }
        // A few distinct batches, cycled: the cost of a step does not depend on the values.
        batches = (0..<8).map { i in
            let n = i == 7 ? 16 : 64
            let labels = (0..<n).map { _ in Int32(generator.integer(below: 10)) }
            return (generator.uniform([n, 784]), Tensor(shape: [n], int32s: labels))
        }
    }

    /// One training step; returns the loss and the number of correct predictions.
    @discardableResult
    func step(_ x: Tensor, _ y: Tensor) -> (loss: Float, correct: Int) {
        let tape = GradientTape()
        let (loss, logits) = tape.record { () -> (Tensor, Tensor) in
            var h = x
            for (i, layer) in layers.enumerated() {
                h = h.matmul(layer.kernel.value) + layer.bias.value
                if i < layers.count - 1 { h = h.relu() }
            }
            let perSample = -(h.logSoftmax() * y.oneHot(depth: 10)).sum(axes: [1])
            return (perSample.mean(), h)
        }
        let variables = layers.flatMap { [$0.kernel, $0.bias] }
        let gradients = tape.gradient(of: loss, wrt: variables)
        for (variable, gradient) in zip(variables, gradients) {
            guard let gradient else { continue }
            let rate = learningRate
            gradient.withUnsafeFloats { g in
                variable.updateInPlace { w in
                    for i in 0..<w.count { w[i] -= rate * g[i] }
                }
            }
        }
        let predictions = logits.argmax(axis: 1)
        var correct = 0
        predictions.withUnsafeInt32s { p in y.withUnsafeInt32s { t in
            for i in 0..<p.count where p[i] == t[i] { correct += 1 }
        } }
        return (loss.scalar, correct)
    }

    func epoch() {
        for s in 0..<steps {
            let batch = s == steps - 1 ? batches[7] : batches[s % 7]
            step(batch.x, batch.y)
        }
    }

    func run() -> [BenchFigure] {
        for s in 0..<100 { step(batches[s % 8].x, batches[s % 8].y) }
        let before = BufferPool.shared.statistics.systemAllocations
        let seconds = Stopwatch.median(repetitions: 3) { epoch() }
        let after = BufferPool.shared.statistics.systemAllocations
        let allocationsPerStep = Double(after - before) / Double(3 * steps)
        return [
            BenchFigure(name: "w1_custom_loop", value: seconds / Double(steps) * 1000, unit: "ms/step",
                        higherIsBetter: false, reference: "Keras-JAX", referenceValue: 0.30, target: "≤ 0.15"),
            BenchFigure(name: "w1_allocs_per_step", value: allocationsPerStep, unit: "buffers/step",
                        higherIsBetter: false, reference: "none", referenceValue: nil, target: "0"),
        ]
    }
}
