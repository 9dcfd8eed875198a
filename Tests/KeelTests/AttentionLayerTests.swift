import Foundation
import XCTest
import Keel

/// What the fixture cases of the attention layers do not show: gradients of a masked causal
/// MultiHeadAttention by finite differences, Keras's two treatments of a query step with nothing
/// to attend to, masks handed over by a graph, and inputs and configs that must be refused.
final class AttentionLayerTests: XCTestCase {
    /// A built MultiHeadAttention with non-zero biases, so every weight takes part.
    private func multiHeadAttention(valueDim: Int = 3, dropout: Double = 0) -> MultiHeadAttention {
        let layer = MultiHeadAttention(numHeads: 2, keyDim: 2, valueDim: valueDim, dropout: dropout,
                                       biasInitializer: RandomNormal(seed: 7, stddev: 0.5))
        layer.buildIfNeeded(inputShapes: [[2, 3, 4], [2, 3, 4]])
        return layer
    }

    /// Value step 0 of the first sample is masked, so with the causal mask its query step 0 has
    /// nothing to attend to; the attention mask hides one more pair.
    private var maskArguments: CallArguments {
        let valueMask = Tensor(shape: [2, 3], scalars: [0, 1, 1, 1, 1, 0])
        var attentionMask = [Float](repeating: 1, count: 18)
        attentionMask[9 + 3 + 0] = 0
        return CallArguments(["use_causal_mask": .bool(true), "value_mask": .tensor(valueMask),
                              "attention_mask": .tensor(Tensor(shape: [2, 3, 3], scalars: attentionMask))])
    }

    func testMaskedCausalMultiHeadAttentionGradientsMatchFiniteDifferences() {
        let layer = multiHeadAttention()
        let query = RandomNormal(seed: 1, stddev: 1)([2, 3, 4]), value = RandomNormal(seed: 2, stddev: 1)([2, 3, 4])
        let arguments = maskArguments
        // The fused path (the output alone) and the explicit one (the scores returned too).
        XCTAssertEqual(FiniteDifferences.problems(inputs: [query, value], weights: layer.weights) { xs in
            layer(xs, arguments: arguments)
        }, [])
        var withScores = arguments
        withScores["return_attention_scores"] = .bool(true)
        XCTAssertEqual(FiniteDifferences.problems(inputs: [query, value], weights: layer.weights) { xs in
            let outputs = layer.callAll(xs, arguments: withScores)
            return outputs[0].sum(axes: [2]) + outputs[1].sum(axes: [1, 3]) * 0.5
        }, [])
    }

    /// Keras's explicit path zeroes the scores of a query step that may attend to nothing, so its
    /// output is the output projection's bias; the fused path leaves the row uniform.
    func testAQueryStepWithNothingToAttendToFollowsKerasPaths() throws {
        let layer = multiHeadAttention()
        let query = RandomNormal(seed: 3, stddev: 1)([2, 3, 4]), value = RandomNormal(seed: 4, stddev: 1)([2, 3, 4])
        let fused = layer([query, value], arguments: maskArguments)
        var withScores = maskArguments
        withScores["return_attention_scores"] = .bool(true)
        let explicit = layer.callAll([query, value], arguments: withScores)
        let scores = explicit[1]
        XCTAssertEqual(scores.shape, [2, 2, 3, 3])
        // Sample 0, both heads, query step 0: all zero.
        for head in 0..<2 { XCTAssertEqual(Array(scores.scalars[(head * 9)..<(head * 9 + 3)]), [0, 0, 0]) }
        let bias = try XCTUnwrap(layer.outputDense?.bias).value.scalars
        XCTAssertEqual(Array(explicit[0].scalars[0..<4]), bias)
        // Fused: the mean of the projected values, so not the bias alone.
        XCTAssertNotEqual(Array(fused.scalars[0..<4]), bias)
        // Every other query step agrees between the paths.
        XCTAssertEqual(Array(fused.scalars[4...]).count, Array(explicit[0].scalars[4...]).count)
        for (a, b) in zip(fused.scalars[4...], explicit[0].scalars[4...]) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        // Each unmasked row of scores sums to one.
        let rows = scores.sum(axes: [3]).scalars
        XCTAssertEqual(rows.filter { abs($0 - 1) < 1e-5 }.count, rows.count - 2)
    }

    /// Keras ignores an explicit `query_mask` (its call reads the mask attached to the query
    /// tensor); a graph's mask on the query arrives as the attached one, masks the query steps'
    /// rows and is the output's mask.
    func testTheQueryMaskComesFromTheGraphNotFromTheArgument() throws {
        let layer = multiHeadAttention(dropout: 0.1)
        let query = RandomNormal(seed: 5, stddev: 1)([2, 3, 4]), value = RandomNormal(seed: 6, stddev: 1)([2, 3, 4])
        let queryMask = Tensor(shape: [2, 3], scalars: [1, 1, 0, 1, 1, 1])
        let plain = layer([query, value])
        let explicit = layer([query, value], arguments: CallArguments(["query_mask": .tensor(queryMask)]))
        XCTAssertEqual(plain.scalars, explicit.scalars)
        let handed = layer.maskArguments(for: [queryMask, nil])
        XCTAssertEqual(handed.names, [MultiHeadAttention.attachedQueryMaskArgument])
        let attached = layer(
            [query, value], arguments: CallArguments([MultiHeadAttention.attachedQueryMaskArgument: .tensor(queryMask)]))
        // Step 2 of sample 0 is masked: zero scores (dropout puts the call on the explicit path),
        // so its output is the output projection's bias; the other steps do not change.
        let bias = try XCTUnwrap(layer.outputDense?.bias).value.scalars
        XCTAssertEqual(Array(attached.scalars[8..<12]), bias)
        XCTAssertEqual(Array(attached.scalars[0..<8]), Array(plain.scalars[0..<8]))
        XCTAssertEqual(Array(attached.scalars[12...]), Array(plain.scalars[12...]))
        let masks = layer.outputMasks(for: [query, value], masks: [queryMask, nil], arguments: handed, outputCount: 1)
        XCTAssertEqual(masks.first??.scalars, queryMask.scalars)
        XCTAssertEqual(layer.maskArguments(for: [nil, queryMask, queryMask]).names, ["key_mask", "value_mask"])
    }

    func testDropoutActsInTrainingOnlyAndASeedRepeatsIt() {
        let query = RandomNormal(seed: 8, stddev: 1)([2, 3, 4])
        func outputs(_ seed: Int) -> [[Float]] {
            let layer = MultiHeadAttention(numHeads: 2, keyDim: 2, dropout: 0.5, kernelInitializer: GlorotUniform(seed: 1), seed: seed)
            return [layer([query, query], training: true).scalars, layer([query, query]).scalars]
        }
        let first = outputs(3), again = outputs(3)
        XCTAssertEqual(first, again)
        XCTAssertNotEqual(first[0], first[1])
        let attention = Attention(dropout: 0.5, seed: 2)
        XCTAssertEqual(attention([query, query]).scalars, attention([query, query]).scalars)
        XCTAssertNotEqual(attention([query, query], training: true).scalars, attention([query, query]).scalars)
    }

    func testWeightsSublayersAndPathsAreKeras() {
        let layer = MultiHeadAttention(numHeads: 2, keyDim: 3, valueDim: 2, useGate: true, outputShape: [5], name: "mha")
        layer.buildIfNeeded(inputShapes: [[1, 4, 6], [1, 7, 8]])
        XCTAssertEqual(layer.weights.map(\.path), [
            "mha/query/kernel", "mha/query/bias", "mha/key/kernel", "mha/key/bias", "mha/gate/kernel", "mha/gate/bias",
            "mha/value/kernel", "mha/value/bias", "mha/attention_output/kernel", "mha/attention_output/bias",
        ])
        XCTAssertEqual(layer.weights.map(\.shape), [[6, 2, 3], [2, 3], [8, 2, 3], [2, 3], [6, 2, 2], [2, 2], [8, 2, 2], [2, 2],
                                                    [2, 2, 5], [5]])
        XCTAssertEqual(layer.sublayers.map(\.attribute),
                       ["query_dense", "key_dense", "_gate_dense", "value_dense", "_softmax", "_dropout_layer", "output_dense"])
        XCTAssertEqual(layer.config["attention_axes"], [1], "Keras writes the resolved axes once built")
        XCTAssertEqual(layer.config["value_dim"], 2)
        XCTAssertEqual(MultiHeadAttention(numHeads: 1, keyDim: 4).config["value_dim"], 4, "value_dim defaults to key_dim")
        layer.trainable = false
        XCTAssertTrue(layer.trainableWeights.isEmpty)
    }

    func testSymbolicCallsGiveTheScoresShapes() throws {
        let query = Input(shape: [3, 2, 4]), value = Input(shape: [5, 2, 6])
        let layer = MultiHeadAttention(numHeads: 2, keyDim: 3, attentionAxes: [1])
        let shapes = try layer.checkInputs([query.shape, value.shape],
                                           arguments: CallArguments(["return_attention_scores": .bool(true)]))
        XCTAssertEqual(shapes, [[nil, 3, 2, 4], [nil, 2, 2, 3, 5]])
        let computed = layer.callAll([Tensor.zeros([1, 3, 2, 4]), Tensor.zeros([1, 5, 2, 6])],
                                     arguments: CallArguments(["return_attention_scores": .bool(true)]))
        XCTAssertEqual(computed.map(\.shape), [[1, 3, 2, 4], [1, 2, 2, 3, 5]])
        let attention = Attention()
        XCTAssertEqual(try attention.checkInputs([[nil, 3, 4], [nil, 5, 2], [nil, 5, 4]],
                                                 arguments: CallArguments(["return_attention_scores": .bool(true)])),
                       [[nil, 3, 2], [nil, 3, 5]])
    }

    func testAttentionMasksFollowKeras() {
        let query = RandomNormal(seed: 9, stddev: 1)([2, 3, 4]), value = RandomNormal(seed: 10, stddev: 1)([2, 4, 4])
        let queryMask = Tensor(shape: [2, 3], scalars: [1, 1, 0, 1, 1, 1])
        let valueMask = Tensor(shape: [2, 4], scalars: [1, 1, 0, 0, 1, 1, 1, 1])
        let layer = Attention()
        let outputs = layer.callAll([query, value], arguments: CallArguments([
            "mask": .optionalTensors([queryMask, valueMask]), "return_attention_scores": .bool(true),
        ]))
        // Masked value steps get no weight; a masked query step outputs zeros.
        let weights = outputs[1].scalars
        for row in 0..<3 { XCTAssertEqual(Array(weights[(row * 4 + 2)..<(row * 4 + 4)]), [0, 0]) }
        XCTAssertEqual(Array(outputs[0].scalars[8..<12]), [0, 0, 0, 0])
        let masks = layer.outputMasks(for: [query, value], masks: [nil, nil],
                                      arguments: CallArguments(["mask": .optionalTensors([queryMask, valueMask])]), outputCount: 2)
        XCTAssertEqual(masks[0]?.scalars, queryMask.scalars)
        XCTAssertNil(masks[1] ?? nil)
        // With the causal mask too, query step 0 sees value step 0 only.
        let causal = layer.callAll([query, value], arguments: CallArguments([
            "mask": .optionalTensors([nil, valueMask]), "use_causal_mask": .bool(true), "return_attention_scores": .bool(true),
        ]))[1].scalars
        XCTAssertEqual(Array(causal[0..<4]), [1, 0, 0, 0])
    }

    func testRefusesConfigsAndInputsKerasRefuses() throws {
        XCTAssertThrowsError(try Registries.layers.make("MultiHeadAttention", config: ["num_heads": 0, "key_dim": 2]))
        XCTAssertThrowsError(try Registries.layers.make("MultiHeadAttention", config: ["num_heads": 2, "key_dim": 2, "value_dim": 0]))
        XCTAssertThrowsError(try Registries.layers.make("MultiHeadAttention", config: [
            "num_heads": 2, "key_dim": 2, "dropout": 0.1, "flash_attention": true,
        ]))
        XCTAssertThrowsError(try Registries.layers.make("MultiHeadAttention", config: ["num_heads": 2, "key_dim": 2, "sliding_window": 0]))
        XCTAssertThrowsError(try Registries.layers.make("Attention", config: ["score_mode": "Dot"]))
        XCTAssertThrowsError(try Registries.layers.make("AdditiveAttention", config: ["score_mode": "Dot"]))
        let additive = try Registries.layers.make("AdditiveAttention", config: ["score_mode": "concat"])
        XCTAssertNil(additive.config["score_mode"], "Keras's AdditiveAttention takes score_mode and leaves it out of its config")
        let layer = MultiHeadAttention(numHeads: 2, keyDim: 2, attentionAxes: [3])
        XCTAssertThrowsError(try layer.checkInputs([[nil, 3, 4], [nil, 3, 4]], arguments: .none)) { error in
            XCTAssertTrue("\(error)".contains("attention_axes"), "\(error)")
        }
        XCTAssertThrowsError(try MultiHeadAttention(numHeads: 2, keyDim: 2).checkInputs([[nil, 4], [nil, 4]], arguments: .none))
        XCTAssertThrowsError(try MultiHeadAttention(numHeads: 2, keyDim: 2).checkInputs([[nil, 3, 4], [nil, 3, 2, 4]], arguments: .none))
        XCTAssertThrowsError(try AdditiveAttention().checkInputs([[nil, 3, 4], [nil, 5, 3]], arguments: .none))
    }

    func testSlidingWindowKeepsABand() {
        let layer = MultiHeadAttention(numHeads: 1, keyDim: 2, slidingWindow: 2)
        let x = RandomNormal(seed: 11, stddev: 1)([1, 4, 3])
        let scores = layer.callAll([x, x], arguments: CallArguments(["return_attention_scores": .bool(true)]))[1].scalars
        for row in 0..<4 {
            for column in 0..<4 where abs(row - column) >= 2 { XCTAssertEqual(scores[row * 4 + column], 0) }
        }
    }
}
