import Foundation
import XCTest
import Keel
import KeelTestSupport

/// What layers_sequence.json does not cover of MultiHeadAttention's masks, computed by Keras
/// 3.15.1 at test time: a mask attached to the query tensor (as a graph attaches one) together
/// with value, key and attention masks, with and without the causal mask, on Keras's fused path
/// (a query step with nothing to attend to gets uniform weights) and its explicit one (scores
/// returned or dropout set: such a step gets zero scores), on inputs of rank 3 and 4.
final class MultiHeadAttentionMaskParityTests: XCTestCase {
    struct Case {
        var id: String
        var dropout = 0.0
        var returnScores = false
        var causal = false
        var queryMask: [Float]? = [1, 1, 0, 1, 1, 1]
        var valueMask: [Float]? = [0, 1, 1, 1, 1, 0]
        var keyMask: [Float]? = nil
        /// (batch, query steps, value steps).
        var attentionMask: [Float]? = nil
        var inputShape = [2, 3, 4]
        var attentionAxes: [Int]? = nil
    }

    static let cases: [Case] = [
        Case(id: "fused"),
        Case(id: "explicit_scores", returnScores: true),
        Case(id: "explicit_dropout_causal", dropout: 0.1, causal: true),
        Case(id: "fused_causal_key_mask", causal: true, keyMask: [1, 0, 1, 1, 1, 1]),
        Case(id: "fused_attention_mask_row", queryMask: nil, valueMask: nil,
             attentionMask: [1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0]),
        Case(id: "explicit_attention_mask_row", returnScores: true, queryMask: nil, valueMask: nil,
             attentionMask: [1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0]),
        Case(id: "rank4_axes_1", queryMask: nil, valueMask: nil, inputShape: [2, 3, 2, 4], attentionAxes: [1]),
    ]

    func testMasksMatchKeras() throws {
        var layers: [MultiHeadAttention] = [], inputs: [[Tensor]] = [], jobs: [JSONValue] = []
        for (i, testCase) in Self.cases.enumerated() {
            let layer = MultiHeadAttention(numHeads: 2, keyDim: 2, dropout: testCase.dropout,
                                           attentionAxes: testCase.attentionAxes.map { IntList($0) },
                                           biasInitializer: RandomNormal(seed: 10 + i, stddev: 0.5))
            let shape = testCase.inputShape
            let x = [RandomNormal(seed: 20 + i, stddev: 1)(shape), RandomNormal(seed: 40 + i, stddev: 1)(shape),
                     RandomNormal(seed: 60 + i, stddev: 1)(shape)]
            layer.buildIfNeeded(inputShapes: x.map(\.shape))
            layers.append(layer)
            inputs.append(x)
            func numbers(_ values: [Float]?) -> JSONValue { values.map { .array($0.map { .double(Double($0)) }) } ?? .null }
            jobs.append([
                "id": .string(testCase.id), "dropout": .double(testCase.dropout), "return_scores": .bool(testCase.returnScores),
                "causal": .bool(testCase.causal), "shape": .array(shape.map { .int($0) }),
                "attention_axes": testCase.attentionAxes.map { .array($0.map { .int($0) }) } ?? .null,
                "inputs": .array(x.map { numbers($0.scalars) }),
                "weights": .array(layer.weights.map { ["shape": .array($0.shape.map { .int($0) }), "value": numbers($0.value.scalars)] }),
                "query_mask": numbers(testCase.queryMask), "value_mask": numbers(testCase.valueMask),
                "key_mask": numbers(testCase.keyMask), "attention_mask": numbers(testCase.attentionMask),
            ])
        }
        let results = try KerasScriptResults.run(Self.script, cases: .array(jobs), marker: Self.marker, what: "MultiHeadAttention masks")
        XCTAssertEqual(results.count, Self.cases.count)
        for ((testCase, layer), (x, result)) in zip(zip(Self.cases, layers), zip(inputs, results)) {
            var arguments = CallArguments()
            let (batch, steps) = (testCase.inputShape[0], testCase.inputShape[1])
            if let mask = testCase.queryMask {
                arguments[MultiHeadAttention.attachedQueryMaskArgument] = .tensor(Tensor(shape: [batch, steps], scalars: mask))
            }
            if let mask = testCase.valueMask { arguments["value_mask"] = .tensor(Tensor(shape: [batch, steps], scalars: mask)) }
            if let mask = testCase.keyMask { arguments["key_mask"] = .tensor(Tensor(shape: [batch, steps], scalars: mask)) }
            if let mask = testCase.attentionMask {
                arguments["attention_mask"] = .tensor(Tensor(shape: [batch, steps, steps], scalars: mask))
            }
            if testCase.causal { arguments["use_causal_mask"] = .bool(true) }
            if testCase.returnScores { arguments["return_attention_scores"] = .bool(true) }
            let outputs = layer.callAll(x, arguments: arguments)
            let expected = result["outputs"]?.arrayValue ?? []
            XCTAssertEqual(outputs.count, expected.count, testCase.id)
            for (i, (output, values)) in zip(outputs, expected).enumerated() {
                let numbers = values.arrayValue?.compactMap(\.doubleValue) ?? []
                XCTAssertEqual(output.count, numbers.count, "\(testCase.id) output \(i)")
                let worst = zip(output.scalars, numbers).map { abs(Double($0) - $1) }.max() ?? 0
                XCTAssertLessThanOrEqual(worst, 1e-5, "\(testCase.id) output \(i)")
            }
        }
    }

    static let marker = "KEEL-MHA-MASKS "

    static let script = """
    import json, os, sys
    os.environ["KERAS_BACKEND"] = "jax"
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import numpy as np
    import keras
    from keras import ops
    from keras.src import backend
    assert keras.__version__ == "3.15.1", keras.__version__

    results = []
    for case in json.load(open(sys.argv[1])):
        keras.utils.clear_session()
        shape = case["shape"]
        query, value, key = [np.array(x, dtype="float32").reshape(shape) for x in case["inputs"]]
        axes = case["attention_axes"]
        layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=2, dropout=case["dropout"],
                                                attention_axes=tuple(axes) if axes else None)
        layer(query, value, key)
        layer.set_weights([np.array(w["value"], dtype="float32").reshape(w["shape"]) for w in case["weights"]])
        steps = (shape[0], shape[1])
        def mask(name, size=steps):
            return None if case[name] is None else ops.convert_to_tensor(np.array(case[name]).reshape(size) > 0.5)
        # The query's mask attached to the tensor, as a graph attaches it; `call` reads it there.
        query = ops.convert_to_tensor(query)
        backend.set_keras_mask(query, mask("query_mask"))
        outputs = layer.call(query, value, key, value_mask=mask("value_mask"), key_mask=mask("key_mask"),
                             attention_mask=mask("attention_mask", (shape[0], shape[1], shape[1])),
                             return_attention_scores=case["return_scores"], use_causal_mask=case["causal"],
                             training=False)
        outputs = list(outputs) if case["return_scores"] else [outputs]
        results.append({"id": case["id"], "outputs": [np.asarray(o).reshape(-1).astype("float64").tolist() for o in outputs]})
    print("KEEL-MHA-MASKS " + json.dumps(results))
    """
}
