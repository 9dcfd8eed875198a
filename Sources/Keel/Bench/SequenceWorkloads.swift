/// The sequence workloads of issue 13, trained with `fit` as a Keras user would: `lstm_step`
/// (batch 64, 100 steps of 32 features, LSTM(128), Dense(10)) and `mha_step` (batch 32, sequence
/// 128 of width 128, MultiHeadAttention with 4 heads of 32 as self-attention, average pooling,
/// Dense(10)). The figure is the median gap between consecutive batch ends after 5 warm-up
/// steps. Their peers are the same models in Keras-JAX and PyTorch (`bench/peers/sequence_bench.py`);
/// a "faster than" holds only side by side in one run on one machine.
enum SequenceWorkloads {
    static func lstmStep() throws -> [BenchFigure] {
        KeelRandom.setSeed(1341)
        let batches = 24, batch = 64
        let input = Input(shape: [100, 32])
        let output = try Dense(units: 10)(try LSTM(units: 128)(input))
        let model = try Model(inputs: input, outputs: output, name: "lstm_step")
        let seconds = try fitStep(model, x: KeelRandom.generator.normal([batches * batch, 100, 32]), classes: 10, batchSize: batch)
        return [BenchFigure(name: "lstm_step", value: seconds, unit: "ms/step", higherIsBetter: false,
                            reference: "none (peers: make bench-peers)", referenceValue: nil, target: "faster than Keras-JAX and PyTorch"),
                peakRSS("lstm_peak_rss")]
    }

    static func mhaStep() throws -> [BenchFigure] {
        KeelRandom.setSeed(1342)
        let batches = 24, batch = 32
        let input = Input(shape: [128, 128])
        let attended = try MultiHeadAttention(numHeads: 4, keyDim: 32)([input, input])
        let output = try Dense(units: 10)(try GlobalAveragePooling1D()(attended))
        let model = try Model(inputs: input, outputs: output, name: "mha_step")
        let seconds = try fitStep(model, x: KeelRandom.generator.normal([batches * batch, 128, 128]), classes: 10, batchSize: batch)
        return [BenchFigure(name: "mha_step", value: seconds, unit: "ms/step", higherIsBetter: false,
                            reference: "none (peers: make bench-peers)", referenceValue: nil, target: "faster than Keras-JAX and PyTorch"),
                peakRSS("mha_peak_rss")]
    }

    private static func peakRSS(_ name: String) -> BenchFigure {
        BenchFigure(name: name, value: PeerWorkloads.peakRSSMegabytes, unit: "MB", higherIsBetter: false,
                    reference: "none", referenceValue: nil, target: "lower is better")
    }

    /// One epoch of `fit` (Adam, sparse categorical cross-entropy from logits) on random labels.
    private static func fitStep(_ model: Model, x: Tensor, classes: Int, batchSize: Int) throws -> Double {
        let count = x.shape[0]
        let y = Tensor(shape: [count], int32s: (0..<count).map { Int32($0 % classes) })
        try model.compile(optimizer: .optimizer(Adam()), loss: .all(.loss(SparseCategoricalCrossentropy(fromLogits: true))))
        let timer = BatchGapTimer(warmUp: 5)
        try model.fit(x, y, batchSize: batchSize, epochs: 1, verbose: 0, callbacks: [timer], shuffle: false)
        return timer.medianMilliseconds
    }
}
