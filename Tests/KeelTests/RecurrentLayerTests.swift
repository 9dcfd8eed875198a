import Foundation
import XCTest
import Keel
import KeelTestSupport

/// What the recurrent layers do beyond the Keras parity cases: gradients through masks and
/// initial states against finite differences, a user-written cell inside `RNN`, stateful layers,
/// seeded dropout in training, output masks, and the `.weights.h5` layout Keras writes for them.
final class RecurrentLayerTests: XCTestCase {
    private func sequence(_ shape: [Int], seed: Int) -> Tensor { RandomNormal(seed: seed, stddev: 1)(shape) }

    /// Row 0 valid throughout; row 1 masked at the first step (it repeats the initial state) and
    /// at the last two.
    private let mask = Tensor(shape: [2, 4], scalars: [1, 1, 1, 1, 0, 1, 0, 0])

    func testMaskedLSTMGradientsMatchFiniteDifferences() {
        for zeroOutput in [false, true] {
            let lstm = LSTM(units: 2)
            lstm.returnSequences = true
            lstm.zeroOutputForMask = zeroOutput
            let x = sequence([2, 4, 3], seed: 1)
            lstm.buildIfNeeded(inputShapes: [x.shape])
            let arguments = CallArguments(["mask": .tensor(mask)])
            let problems = FiniteDifferences.problems(inputs: [x], weights: lstm.weights) { xs in
                lstm.callAll([xs[0]], arguments: arguments)[0]
            }
            XCTAssertEqual(problems, [], "zero_output_for_mask \(zeroOutput)")
        }
    }

    func testGRUInitialStateGradientsMatchFiniteDifferences() {
        for resetAfter in [true, false] {
            let gru = GRU(units: 3, resetAfter: resetAfter)
            gru.goBackwards = true
            gru.returnState = true
            let x = sequence([2, 3, 2], seed: 2), h0 = sequence([2, 3], seed: 3)
            gru.buildIfNeeded(inputShapes: [x.shape])
            try? gru.setWeights(gru.weights.enumerated().map { i, w in RandomNormal(seed: 10 + i, stddev: 0.5)(w.shape) })
            let problems = FiniteDifferences.problems(inputs: [x, h0], weights: gru.weights) { xs in
                let outputs = gru.callAll([xs[0]], arguments: CallArguments(["initial_state": .tensors([xs[1]])]))
                return outputs[0] * 2 + outputs[1]
            }
            XCTAssertEqual(problems, [], "reset_after \(resetAfter)")
        }
    }

    /// Without a mask, LSTM's default activations run as one fused op with its own backward pass.
    func testFusedLSTMGradientsMatchFiniteDifferences() {
        for goBackwards in [false, true] {
            let lstm = LSTM(units: 3)
            lstm.returnSequences = true
            lstm.returnState = true
            lstm.goBackwards = goBackwards
            let x = sequence([2, 4, 3], seed: 12), h0 = sequence([2, 3], seed: 13), c0 = sequence([2, 3], seed: 14)
            lstm.buildIfNeeded(inputShapes: [x.shape])
            let problems = FiniteDifferences.problems(inputs: [x, h0, c0], weights: lstm.weights) { xs in
                let outputs = lstm.callAll([xs[0]], arguments: CallArguments(["initial_state": .tensors([xs[1], xs[2]])]))
                return Tensor.concatenate([outputs[0].reshaped([2, 12]), outputs[1], outputs[2] * 3], axis: 1)
            }
            XCTAssertEqual(problems, [], "go_backwards \(goBackwards)")
        }
    }

    /// A subclass may change the step, so it runs the step loop: both give the same values.
    final class SteppedLSTMCell: LSTMCell {}
    final class SteppedGRUCell: GRUCell {}

    func testFusedLSTMAndGRUMatchTheStepLoop() throws {
        let pairs: [(String, () -> (RecurrentLayer, RecurrentLayer))] = [
            ("LSTM", { (LSTM(units: 5), RNN(SteppedLSTMCell(units: 5))) }),
            ("GRU", { (GRU(units: 5), RNN(SteppedGRUCell(units: 5))) }),
            ("GRU reset_after false", { (GRU(units: 5, resetAfter: false), RNN(SteppedGRUCell(units: 5, resetAfter: false))) }),
        ]
        for (kind, make) in pairs {
            try checkFusedMatchesStepLoop(kind, make)
        }
    }

    private func checkFusedMatchesStepLoop(_ kind: String, _ make: () -> (RecurrentLayer, RecurrentLayer)) throws {
        let x = sequence([3, 7, 4], seed: 15)
        let rowMasks: [Float] = [1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0]
        for (mask, zeroOutput, returnSequences) in [(nil, false, true), (Tensor(shape: [3, 7], scalars: rowMasks), false, true),
                                                    (Tensor(shape: [3, 7], scalars: rowMasks), true, true),
                                                    (Tensor(shape: [3, 7], scalars: rowMasks), true, false)] {
            let (fused, stepped) = make()
            for layer in [fused, stepped] {
                layer.returnSequences = returnSequences
                layer.returnState = true
                layer.goBackwards = true
                layer.zeroOutputForMask = zeroOutput
                layer.buildIfNeeded(inputShapes: [x.shape])
            }
            try fused.setWeights(fused.weights.enumerated().map { i, w in RandomNormal(seed: 30 + i, stddev: 0.5)(w.shape) })
            try stepped.setWeights(fused.weights.map(\.value))
            let arguments = mask.map { CallArguments(["mask": .tensor($0)]) } ?? .none
            let tape = GradientTape(persistent: true)
            var a: [Tensor] = [], b: [Tensor] = []
            var targetA = Tensor(0), targetB = Tensor(0)
            tape.record {
                tape.watch(x)
                for weight in fused.weights + stepped.weights { tape.watch(weight) }
                a = fused.callAll([x], arguments: arguments)
                b = stepped.callAll([x], arguments: arguments)
                let r = RandomNormal(seed: 16, stddev: 1)(a[0].shape)
                targetA = a.dropFirst().reduce((a[0] * r).sum()) { $0 + ($1 * $1).sum() }
                targetB = b.dropFirst().reduce((b[0] * r).sum()) { $0 + ($1 * $1).sum() }
            }
            let label = "\(kind), mask \(mask != nil), zero_output_for_mask \(zeroOutput), return_sequences \(returnSequences)"
            XCTAssertEqual(a.count, b.count, label)
            for (u, v) in zip(a, b) { assertClose(u, v, "outputs and states, \(label)") }
            let ga = tape.gradient(of: targetA, wrt: [x] + fused.weights.map(\.value))
            let gb = tape.gradient(of: targetB, wrt: [x] + stepped.weights.map(\.value))
            XCTAssertEqual(ga.count, 1 + fused.weights.count)
            for (u, v) in zip(ga, gb) {
                guard let u, let v else { XCTFail("a gradient is missing, \(label)"); continue }
                assertClose(u, v, "gradients, \(label)")
            }
        }
    }

    /// A cell as a plugin writes one: state sizes, build and one step; RNN runs it like its own.
    final class PlainTanhCell: RNNCell {
        var units = 3
        var kernel: Variable!
        var recurrentKernel: Variable!
        override var stateSizes: [Int] { [units] }
        override func build(inputShape: [Int]) {
            kernel = addWeight(name: "kernel", shape: [inputShape[1], units], initializer: GlorotUniform(seed: 1))
            recurrentKernel = addWeight(name: "recurrent_kernel", shape: [units, units], initializer: Orthogonal(seed: 2))
        }
        override func step(_ input: Tensor, states: [Tensor], training: Bool) -> (output: Tensor, states: [Tensor]) {
            let h = (input.matmul(kernel.value) + states[0].matmul(recurrentKernel.value)).tanh()
            return (h, [h])
        }
    }

    func testAUserCellRunsInsideRNNAsSimpleRNNWould() throws {
        let x = sequence([2, 5, 4], seed: 4)
        let custom = RNN(PlainTanhCell(name: "plain_tanh_cell"), name: "custom_rnn")
        custom.returnSequences = true
        custom.goBackwards = true
        let simple = SimpleRNN(units: 3, useBias: false)
        simple.returnSequences = true
        simple.goBackwards = true
        custom.buildIfNeeded(inputShapes: [x.shape])
        simple.buildIfNeeded(inputShapes: [x.shape])
        try simple.setWeights(custom.weights.map(\.value))
        XCTAssertEqual(custom.weights.map(\.path), ["custom_rnn/plain_tanh_cell/kernel", "custom_rnn/plain_tanh_cell/recurrent_kernel"])
        let masks = CallArguments(["mask": .tensor(Tensor(shape: [2, 5], scalars: [1, 1, 0, 1, 1, 1, 1, 1, 0, 0]))])
        let a = custom.callAll([x], arguments: masks)[0], b = simple.callAll([x], arguments: masks)[0]
        XCTAssertEqual(a.shape, [2, 5, 3])
        XCTAssertEqual(a.scalars, b.scalars)
        XCTAssertEqual(try custom.checkInputs([[nil, 5, 4]]), [nil, 5, 3])
    }

    func testAStatefulLayerCarriesItsStatesUntilReset() throws {
        let whole = sequence([2, 6, 3], seed: 5)
        let first = whole.slice(begin: [0, 0, 0], size: [2, 3, 3]), second = whole.slice(begin: [0, 3, 0], size: [2, 3, 3])
        let stateful = LSTM(units: 4), plain = LSTM(units: 4)
        stateful.stateful = true
        stateful.buildIfNeeded(inputShapes: [first.shape])
        plain.buildIfNeeded(inputShapes: [whole.shape])
        try plain.setWeights(stateful.weights.map(\.value))
        _ = stateful(first)
        assertClose(stateful(second), plain(whole), "two stateful calls continue one sequence")
        stateful.resetStates()
        assertClose(stateful(second), plain(second), "after resetStates the layer starts from zeros")
    }

    func testSeededDropoutAppliesInTrainingOnly() throws {
        let x = sequence([2, 4, 3], seed: 6)
        func make() throws -> LSTM {
            let lstm = LSTM(units: 3, dropout: 0.5, recurrentDropout: 0.4, seed: 7)
            lstm.buildIfNeeded(inputShapes: [x.shape])
            try lstm.setWeights(lstm.weights.enumerated().map { i, w in RandomNormal(seed: 20 + i, stddev: 0.5)(w.shape) })
            return lstm
        }
        let a = try make(), b = try make()
        let undropped = LSTM(units: 3)
        undropped.buildIfNeeded(inputShapes: [x.shape])
        try undropped.setWeights(a.weights.map(\.value))
        XCTAssertEqual(a(x, training: false).scalars, undropped(x).scalars, "inference passes through")
        let trainedA = a(x, training: true), trainedB = b(x, training: true)
        XCTAssertEqual(trainedA.scalars, trainedB.scalars, "one seed, one mask")
        XCTAssertNotEqual(trainedA.scalars, undropped(x).scalars, "training drops")
        XCTAssertTrue(a.usesTrainingFlag)
    }

    func testOutputMasksFollowKeras() {
        let x = sequence([2, 4, 3], seed: 8)
        let sequences = GRU(units: 2)
        sequences.returnSequences = true
        sequences.returnState = true
        let masks = sequences.outputMasks(for: [x], masks: [mask], arguments: .none, outputCount: 2)
        XCTAssertEqual(masks.count, 2)
        XCTAssertEqual(masks[0]?.scalars, mask.scalars)
        XCTAssertNil(masks[1] ?? nil)
        let last = GRU(units: 2)
        XCTAssertNil(last.outputMasks(for: [x], masks: [mask], arguments: .none, outputCount: 1)[0])
        XCTAssertEqual(Set(last.acceptedCallArguments), ["mask", "initial_state"])
        XCTAssertTrue(last.supportsMasking)
    }

    func testUnrollGivesTheSameResults() throws {
        let x = sequence([2, 4, 3], seed: 9)
        let rolled = SimpleRNN(units: 2), unrolled = SimpleRNN(units: 2)
        unrolled.unroll = true
        rolled.buildIfNeeded(inputShapes: [x.shape])
        unrolled.buildIfNeeded(inputShapes: [x.shape])
        try unrolled.setWeights(rolled.weights.map(\.value))
        XCTAssertEqual(rolled(x).scalars, unrolled(x).scalars)
        XCTAssertThrowsError(try unrolled.checkInputs([[nil, nil, 3]]), "unroll needs a known number of steps")
    }

    func testBidirectionalMakesItsBackwardLayerAsKerasDoes() throws {
        let forward = LSTM(units: 2, name: "encoder")
        forward.returnSequences = true
        let layer = Bidirectional(forward, mergeMode: "sum", name: "both_ways")
        XCTAssertEqual(layer.forwardLayer.name, "forward_encoder")
        XCTAssertEqual(layer.backwardLayer.name, "backward_encoder")
        XCTAssertTrue(layer.backwardLayer.goBackwards)
        XCTAssertTrue(layer.forwardLayer.zeroOutputForMask, "forced when returning sequences")
        XCTAssertEqual(Array(layer.config.keys), ["name", "trainable", "dtype", "merge_mode", "layer", "backward_layer"])
        let x = sequence([2, 4, 3], seed: 10)
        let output = layer(x)
        XCTAssertEqual(output.shape, [2, 4, 2])
        XCTAssertEqual(layer.weights.map(\.path).first, "both_ways/forward_encoder/lstm_cell/kernel")
        let sameGoBackwards = LSTM(units: 2)
        XCTAssertThrowsError(try Bidirectional(forward, backwardLayer: sameGoBackwards).checkInputs([[nil, 4, 3]]))
    }

    private func assertClose(_ a: Tensor, _ b: Tensor, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.shape, b.shape, message, file: file, line: line)
        let worst = zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, 1e-5, message, file: file, line: line)
    }

    /// The groups and datasets Keras 3.15.1 writes for the same model (`model.save_weights`,
    /// listed with h5py): nested layers under their attribute names, top-level layers under their
    /// class names made unique, each `vars` group naming its layer.
    static let kerasLayout = """
        G layers
        G layers/bidirectional
        G layers/bidirectional/backward_layer
        G layers/bidirectional/backward_layer/cell
        G layers/bidirectional/backward_layer/cell/vars @lstm_cell
        D layers/bidirectional/backward_layer/cell/vars/0 [2, 8]
        D layers/bidirectional/backward_layer/cell/vars/1 [2, 8]
        D layers/bidirectional/backward_layer/cell/vars/2 [8]
        G layers/bidirectional/backward_layer/vars @backward_lstm
        G layers/bidirectional/forward_layer
        G layers/bidirectional/forward_layer/cell
        G layers/bidirectional/forward_layer/cell/vars @lstm_cell
        D layers/bidirectional/forward_layer/cell/vars/0 [2, 8]
        D layers/bidirectional/forward_layer/cell/vars/1 [2, 8]
        D layers/bidirectional/forward_layer/cell/vars/2 [8]
        G layers/bidirectional/forward_layer/vars @forward_lstm
        G layers/bidirectional/vars @bidirectional
        G layers/gru
        G layers/gru/cell
        G layers/gru/cell/vars @gru_cell
        D layers/gru/cell/vars/0 [4, 9]
        D layers/gru/cell/vars/1 [3, 9]
        D layers/gru/cell/vars/2 [2, 9]
        G layers/gru/vars @gru
        G layers/input_layer
        G layers/input_layer/vars @features
        G layers/lstm
        G layers/lstm/cell
        G layers/lstm/cell/vars @lstm_cell
        D layers/lstm/cell/vars/0 [3, 16]
        D layers/lstm/cell/vars/1 [4, 16]
        D layers/lstm/cell/vars/2 [16]
        G layers/lstm/vars @lstm
        G layers/rnn
        G layers/rnn/cell
        G layers/rnn/cell/cells
        G layers/rnn/cell/cells/gru_cell
        G layers/rnn/cell/cells/gru_cell/vars @gru_cell
        D layers/rnn/cell/cells/gru_cell/vars/0 [2, 6]
        D layers/rnn/cell/cells/gru_cell/vars/1 [2, 6]
        D layers/rnn/cell/cells/gru_cell/vars/2 [2, 6]
        G layers/rnn/cell/cells/lstm_cell
        G layers/rnn/cell/cells/lstm_cell/vars @lstm_cell
        D layers/rnn/cell/cells/lstm_cell/vars/0 [3, 8]
        D layers/rnn/cell/cells/lstm_cell/vars/1 [2, 8]
        D layers/rnn/cell/cells/lstm_cell/vars/2 [8]
        G layers/rnn/cell/vars @stacked_rnn_cells
        G layers/rnn/vars @rnn_1
        G vars @recurrent
        """

    func testWeightsFileHasKerasLayoutForRecurrentLayers() throws {
        let input = Input(shape: [5, 3], name: "features")
        let lstm = LSTM(units: 4, name: "lstm")
        lstm.returnSequences = true
        let gru = GRU(units: 3, name: "gru")
        gru.returnSequences = true
        let cells = StackedRNNCells([LSTMCell(units: 2, name: "lstm_cell"), GRUCell(units: 2, name: "gru_cell")],
                                    name: "stacked_rnn_cells")
        let stacked = RNN(cells, name: "rnn_1")
        stacked.returnSequences = true
        let both = Bidirectional(LSTM(units: 2, name: "lstm"), name: "bidirectional")
        let output = try both(stacked(gru(lstm(input))))
        let model = try Model(inputs: [input], outputs: [output], name: "recurrent")

        let directory = ProjectPaths.temporaryDirectory("keel-recurrent-layout")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("recurrent.weights.h5").path
        try model.saveWeights(to: path)
        let file = try HDF5File(path)
        defer { try? file.close() }
        var lines: [String] = []
        func walk(_ group: HDF5Group, _ prefix: String) throws {
            for child in try group.children() {
                let path = prefix.isEmpty ? child.name : "\(prefix)/\(child.name)"
                if child.kind == .dataset {
                    lines.append("D \(path) \(try group.dataset(child.name).shape)")
                } else {
                    let sub = try group.group(child.name)
                    let name = try sub.hasAttribute("name") ? " @\(try sub.attributeString("name"))" : ""
                    lines.append("G \(path)\(name)")
                    try walk(sub, path)
                }
            }
        }
        try walk(file.root, "")
        XCTAssertEqual(lines.sorted().joined(separator: "\n"),
                       Self.kerasLayout.split(separator: "\n").map(String.init).sorted().joined(separator: "\n"))

        // And the weights come back into a model built the same way.
        let before = model.forward([RandomNormal(seed: 11, stddev: 1)([2, 5, 3])])[0]
        for weight in model.weights { weight.assign(Tensor.zeros(weight.shape)) }
        try model.loadWeights(from: path)
        XCTAssertEqual(model.forward([RandomNormal(seed: 11, stddev: 1)([2, 5, 3])])[0].scalars, before.scalars)
    }

    func testSharedOptionsAreSetWhereTheLayerIsMade() throws {
        let gru = GRU(units: 2).with(returnSequences: true, returnState: true, goBackwards: true)
        XCTAssertEqual(gru.config["return_sequences"], true)
        XCTAssertEqual(gru.config["return_state"], true)
        XCTAssertEqual(gru.config["go_backwards"], true)
        XCTAssertEqual(gru.config["stateful"], false)
        let outputs = try gru.callAll(Input(shape: [4, 3]))
        XCTAssertEqual(outputs.map(\.shape), [[nil, 4, 2], [nil, 2]])
    }

}
