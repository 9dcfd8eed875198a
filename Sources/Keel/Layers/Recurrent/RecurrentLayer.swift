/// What RNN, SimpleRNN, LSTM and GRU share (Keras's `RNN` base): running a cell over the time
/// axis of (batch, time, features) inputs.
///
/// The cell's input projection for every time step is one product before the loop
/// (`RNNCell.projectSequence`); each step then costs the cell's recurrent product and its
/// elementwise ops. LSTMCell and GRUCell with Keras's default activations (and no recurrent
/// dropout in the call) run the whole loop as one fused op (`lstmSequence`, `gruSequence`) with
/// its own backward pass. Call arguments: `mask` (batch, time) of 0/1 — a masked step keeps the states
/// and outputs the previous output (the first state), or zeros with `zero_output_for_mask` — and
/// `initial_state`, the list of state tensors to start from (gradients flow into them).
open class RecurrentLayer: Layer {
    @Hyper("return_sequences") public var returnSequences = false
    @Hyper("return_state") public var returnState = false
    @Hyper("go_backwards") public var goBackwards = false
    /// Each call starts from the states the previous call ended with (`resetStates()` zeroes them).
    @Hyper("stateful") public var stateful = false
    /// Accepted for Keras's configs; Keel's loop gives the same results either way.
    @Hyper("unroll") public var unroll = false
    @Hyper("zero_output_for_mask") public var zeroOutputForMask = false
    /// tf.keras 2 wrote it (always false for a model it could save): read, not written.
    @Hyper("time_major", .mustBeFalse("Keel's sequences are batch-major"), written: false) public var timeMajor = false

    /// The states a stateful layer carries from one call to the next (nil: zeros).
    public private(set) var carriedStates: [Tensor]?

    /// The cell run at every step. Subclasses hold it.
    open var recurrentCell: RNNCell { OpCheck.fail("\(type(of: self)) must override recurrentCell") }

    open override var sublayers: [Sublayer] { [.one("cell", recurrentCell)] }
    open override var supportsMasking: Bool { true }
    open override var acceptedCallArguments: Set<String> { ["mask", "initial_state"] }
    open override var usesTrainingFlag: Bool { recurrentCell.usesTrainingFlag }

    /// Zeroes the states a stateful layer carries (Keras's `reset_states`).
    public func resetStates() { carriedStates = nil }

    open override func outputShapes(for inputShapes: [[Int?]], arguments: CallArguments) throws -> [[Int?]] {
        let shape = try singleInput(inputShapes, rank: 3...3, layout: "(batch, time, features)")
        _ = try recurrentCell.checkInputs([[shape[0], shape[2]]])
        if unroll && shape[1] == nil {
            throw invalidInput(expected: "a known number of time steps (unroll is true)", found: inputShapes)
        }
        let cell = recurrentCell
        let output: [Int?] = returnSequences ? [shape[0], shape[1], cell.outputSize] : [shape[0], cell.outputSize]
        guard returnState else { return [output] }
        return [output] + cell.stateSizes.map { [shape[0], $0] }
    }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        try outputShapes(for: inputShapes, arguments: .none)[0]
    }

    open override func build(inputShape: [Int]) {
        let cell = recurrentCell
        cell.buildIfNeeded(inputShapes: [[inputShape[0], inputShape[inputShape.count - 1]]])
        cell.prefixWeightPaths(with: name)
    }

    open override func outputMasks(for inputs: [Tensor], masks: [Tensor?], arguments: CallArguments,
                                   outputCount: Int) -> [Tensor?] {
        let output = returnSequences ? (masks.first ?? nil) : nil
        return [output] + Array(repeating: nil, count: max(outputCount - 1, 0))
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        callOutputs([input], arguments: .none, training: training)[0]
    }

    open override func call(_ inputs: [Tensor], arguments: CallArguments, training: Bool) -> Tensor {
        callOutputs(inputs, arguments: arguments, training: training)[0]
    }

    open override func callOutputs(_ inputs: [Tensor], arguments: CallArguments, training: Bool) -> [Tensor] {
        let sequence = inputs[0]
        opCheck(sequence.rank == 3, "\(nameForMessages): expected (batch, time, features), found shape \(sequence.shape)")
        let mask = arguments.optionalTensors("mask")?.first ?? nil
        let given = arguments.tensors("initial_state") ?? arguments.tensor("initial_state").map { [$0] }
        let result = run(sequence, initialStates: given, mask: mask, training: training)
        if stateful { carriedStates = result.states }
        return returnState ? [result.output] + result.states : [result.output]
    }

    /// The loop: the output (every step's, in the order processed, or the last) and the final states.
    func run(_ sequence: Tensor, initialStates given: [Tensor]?, mask: Tensor?,
             training: Bool) -> (output: Tensor, states: [Tensor]) {
        let cell = recurrentCell
        let (batch, time, features) = (sequence.shape[0], sequence.shape[1], sequence.shape[2])
        var states = startingStates(given, batch: batch)

        cell.beginSequence(batchSize: batch, inputSize: features, training: training)
        defer { cell.endSequence() }
        let projected = cell.projectSequence(sequence, training: training)
        if let lstm = cell as? LSTMCell, lstm.runsFused {
            return fusedLSTM(lstm, projected: projected, states: states, mask: mask)
        }
        if let gru = cell as? GRUCell, gru.runsFused {
            return fusedGRU(gru, projected: projected, states: states, mask: mask)
        }
        let maskColumns = mask.map { stepMasks($0, batch: batch, time: time) }
        let steps = time == 0 ? [] : Self.timeSteps(of: projected.transposed([1, 0, 2]))
        var outputs: [Tensor] = []
        if returnSequences { outputs.reserveCapacity(time) }
        var last = Tensor.zeros([batch, cell.outputSize])
        for index in 0..<time {
            let t = goBackwards ? time - 1 - index : index
            var (output, next) = cell.step(projected: steps[t], states: states, training: training)
            if let column = maskColumns?[t] {
                // Masked rows keep their states and repeat the previous output (or give zeros);
                // a column with every row valid needs no blending.
                output = zeroOutputForMask ? column.kept * output
                    : column.kept * output + column.dropped * cell.previousOutput(in: states)
                for i in next.indices { next[i] = column.kept * next[i] + column.dropped * states[i] }
            }
            states = next
            last = output
            if returnSequences { outputs.append(output) }
        }
        if returnSequences {
            let output = outputs.isEmpty ? Tensor.zeros([batch, 0, cell.outputSize]) : Tensor.stack(outputs, axis: 1)
            return (output, states)
        }
        return (last, states)
    }

    /// The steps of a time-major (time, batch, features) tensor, cut in halves recursively: a
    /// slice's gradient is as large as what it was cut from, so cutting every step from the whole
    /// would cost the backward pass time × the sequence; halving costs log₂(time) × the sequence.
    static func timeSteps(of sequence: Tensor) -> [Tensor] {
        let time = sequence.shape[0]
        if time == 1 { return [sequence.reshaped(Array(sequence.shape.dropFirst()))] }
        let halves = sequence.split(sizes: [time / 2, time - time / 2], axis: 0)
        return timeSteps(of: halves[0]) + timeSteps(of: halves[1])
    }

    /// The whole sequence as one `lstmSequence` op: the same values as the step loop, one tape
    /// entry, and a backward pass over saved gates.
    private func fusedLSTM(_ cell: LSTMCell, projected: Tensor, states: [Tensor],
                           mask: Tensor?) -> (output: Tensor, states: [Tensor]) {
        let (batch, time, units) = (projected.shape[0], projected.shape[1], cell.units)
        if let mask {
            opCheck(mask.shape == [batch, time], "\(nameForMessages): a mask of shape \(mask.shape), expected \([batch, time])")
        }
        let packed = projected.lstmSequence(recurrentKernel: cell.recurrentKernel.value, h0: states[0], c0: states[1],
                                            reversed: goBackwards, mask: mask, zeroOutputForMask: zeroOutputForMask)
        let h = packed.slice(begin: [0, time, 0], size: [batch, 1, units]).reshaped([batch, units])
        let c = packed.slice(begin: [0, time + 1, 0], size: [batch, 1, units]).reshaped([batch, units])
        if returnSequences { return (packed.slice(begin: [0, 0, 0], size: [batch, time, units]), [h, c]) }
        if time == 0 { return (Tensor.zeros([batch, units]), [h, c]) }
        // With a mask the last output is the last step's (h, zeros, or h repeated), not always h.
        let last = mask == nil ? h : packed.slice(begin: [0, time - 1, 0], size: [batch, 1, units]).reshaped([batch, units])
        return (last, [h, c])
    }

    /// The whole sequence as one `gruSequence` op (see `fusedLSTM`).
    private func fusedGRU(_ cell: GRUCell, projected: Tensor, states: [Tensor],
                          mask: Tensor?) -> (output: Tensor, states: [Tensor]) {
        let (batch, time, units) = (projected.shape[0], projected.shape[1], cell.units)
        if let mask {
            opCheck(mask.shape == [batch, time], "\(nameForMessages): a mask of shape \(mask.shape), expected \([batch, time])")
        }
        let packed = cell.fusedSequence(projected, h0: states[0], reversed: goBackwards, mask: mask,
                                        zeroOutputForMask: zeroOutputForMask)
        let h = packed.slice(begin: [0, time, 0], size: [batch, 1, units]).reshaped([batch, units])
        if returnSequences { return (packed.slice(begin: [0, 0, 0], size: [batch, time, units]), [h]) }
        if time == 0 { return (Tensor.zeros([batch, units]), [h]) }
        let last = mask == nil ? h : packed.slice(begin: [0, time - 1, 0], size: [batch, 1, units]).reshaped([batch, units])
        return (last, [h])
    }

    private func startingStates(_ given: [Tensor]?, batch: Int) -> [Tensor] {
        let sizes = recurrentCell.stateSizes
        if let given {
            opCheck(given.count == sizes.count,
                    "\(nameForMessages): initial_state has \(given.count) tensors, the cell has \(sizes.count) states")
            for (state, size) in zip(given, sizes) {
                opCheck(state.shape == [batch, size],
                        "\(nameForMessages): an initial state of shape \(state.shape), expected \([batch, size])")
            }
            return given
        }
        if stateful, let carriedStates {
            opCheck(carriedStates.first?.shape[0] == batch,
                    "\(nameForMessages): a stateful layer's batch size is fixed: its states have \(carriedStates.first?.shape[0] ?? 0) rows, the input \(batch)")
            return carriedStates
        }
        return recurrentCell.initialStates(batchSize: batch)
    }

    /// Per step, the mask as (batch, 1) columns to blend with; nil for a step where every row is
    /// valid.
    private func stepMasks(_ mask: Tensor, batch: Int, time: Int) -> [(kept: Tensor, dropped: Tensor)?] {
        opCheck(mask.shape == [batch, time], "\(nameForMessages): a mask of shape \(mask.shape), expected \([batch, time])")
        let values = mask.cast(to: .float32).scalars
        return (0..<time).map { t in
            let kept = (0..<batch).map { values[$0 * time + t] != 0 ? Float(1) : 0 }
            guard kept.contains(0) else { return nil }
            return (Tensor(shape: [batch, 1], scalars: kept), Tensor(shape: [batch, 1], scalars: kept.map { 1 - $0 }))
        }
    }
}
