import XCTest
import Keel

/// What a new user hit while building models (issue 11): each mistake is a KeelError thrown at
/// the line that calls the layer on its inputs, naming the layer and the shapes, as Keras raises
/// in `build`/`compute_output_shape`. Nothing traps and nothing computes on zeros.
final class ModelBuildingErrorTests: XCTestCase {
    private func assertBuildFails<T>(_ build: @autoclosure () throws -> T, mentioning fragments: [String],
                                     line: UInt = #line) {
        XCTAssertThrowsError(try build(), line: line) { error in
            XCTAssertTrue(error is KeelError, "not a KeelError: \(error)", line: line)
            for fragment in fragments {
                XCTAssertTrue("\(error)".contains(fragment), "'\(fragment)' missing from: \(error)", line: line)
            }
        }
    }

    func testAddOfDifferentSizes() {
        let a = Input(shape: [8]), b = Input(shape: [5])
        assertBuildFails(try Add(name: "sum")([a, b]), mentioning: ["Add layer 'sum'", "expected inputs of one shape",
                                                                    "found input shapes (None, 8), (None, 5)"])
    }

    func testReshapeThatDoesNotHoldTheInputsValues() {
        let x = Input(shape: [12])
        assertBuildFails(try Reshape(targetShape: [5, 5], name: "grid")(x),
                         mentioning: ["Reshape layer 'grid'", "12 values", "[5, 5]", "holds 25", "found input shape (None, 12)"])
    }

    func testConcatenateOfShapesThatDifferOutsideTheAxis() {
        let a = Input(shape: [8, 3]), b = Input(shape: [5, 2])
        assertBuildFails(try Concatenate(name: "join")([a, b]),
                         mentioning: ["Concatenate layer 'join'", "equal outside axis -1", "found input shapes (None, 8, 3), (None, 5, 2)"])
    }

    /// A weight no machine could hold is refused while the model is built, naming its shape and
    /// bytes, instead of failing to allocate inside a non-throwing op.
    func testWeightsTooLargeForMemoryAreRefusedWithTheirSize() {
        let wide = Input(shape: [1 << 20])
        assertBuildFails(try Dense(units: 1 << 24, name: "huge")(wide),
                         mentioning: ["Dense layer 'huge'", "kernel", "[1048576, 16777216]", "70368744177664 bytes"])
        let ids = Input(shape: [4], dtype: .int32)
        assertBuildFails(try Embedding(inputDim: 1 << 26, outputDim: 1 << 16, name: "table")(ids),
                         mentioning: ["Embedding layer 'table'", "embeddings matrix", "[67108864, 65536]"])
        let image = Input(shape: [8, 8, 1 << 16])
        assertBuildFails(try Conv2D(filters: 1 << 16, kernelSize: [1024, 1024], padding: .same, name: "wide_conv")(image),
                         mentioning: ["Conv2D layer 'wide_conv'", "kernel", "[1024, 1024, 65536, 65536]"])
    }

    func testMergeLayersWithOneInput() {
        let x = Input(shape: [8])
        assertBuildFails(try Concatenate(name: "lonely_join")([x]),
                         mentioning: ["Concatenate layer 'lonely_join'", "expected at least 2 inputs", "found input shape (None, 8)"])
        assertBuildFails(try Add(name: "lonely_sum")(x),
                         mentioning: ["Add layer 'lonely_sum'", "expected at least 2 inputs", "found input shape (None, 8)"])
    }

    func testConvolutionKernelLargerThanItsInput() {
        let image = Input(shape: [2, 2, 1])
        assertBuildFails(try Conv2D(filters: 2, kernelSize: 5, name: "conv")(image),
                         mentioning: ["Conv2D layer 'conv'", "kernel window (5) no larger than the input (2)",
                                      "found input shape (None, 2, 2, 1)"])
        // Same padding keeps the size, as in Keras.
        XCTAssertEqual(try Conv2D(filters: 2, kernelSize: 5, padding: .same)(image).shape, [nil, 2, 2, 2])
    }

    func testConvolutionAndPoolingOnARankTwoInput() {
        let vector = Input(shape: [8])
        assertBuildFails(try Conv2D(filters: 2, kernelSize: 3, name: "conv_on_vector")(vector),
                         mentioning: ["Conv2D layer 'conv_on_vector'", "rank 4 (batch, height, width, channels)",
                                      "found input shape (None, 8)"])
        assertBuildFails(try MaxPooling2D(name: "pool_on_vector")(vector),
                         mentioning: ["MaxPooling2D layer 'pool_on_vector'", "rank 4", "found input shape (None, 8)"])
    }

    func testDenseWithoutUnits() {
        assertBuildFails(try Dense(units: 0, name: "empty")(Input(shape: [4])),
                         mentioning: ["Dense layer 'empty'", "field 'units'", "expected an integer from 1", "found 0"])
    }

    func testDenseWithAnUnknownActivation() {
        let layer = Dense(units: 8, activation: "relux", name: "typo")
        assertBuildFails(try layer(Input(shape: [4])),
                         mentioning: ["Dense layer 'typo'", "field 'activation'", "relux", "closest: relu"])
        XCTAssertTrue(layer.inboundNodes.isEmpty, "a refused call records no node")
    }

    func testSequentialChecksEachLayerItAddsOnceItsInputIsKnown() throws {
        let model = try Sequential([InputLayer(batchShape: [nil, 8])], name: "stack")
        try model.add(Dense(units: 4))
        XCTAssertThrowsError(try model.add(Conv2D(filters: 2, kernelSize: 3, name: "misplaced"))) { error in
            XCTAssertTrue("\(error)".contains("Conv2D layer 'misplaced'"), "\(error)")
            XCTAssertTrue("\(error)".contains("(None, 4)"), "\(error)")
        }
        XCTAssertEqual(model.layers.count, 1, "the refused layer is not kept")
        XCTAssertEqual(model.outputs.first?.shape, [nil, 4])
    }

    func testWeightsComeFromTheInferredShapesWithoutComputing() throws {
        final class Untouchable: Layer {
            var calls = 0
            override func call(_ input: Tensor, training: Bool) -> Tensor {
                calls += 1
                return input
            }
        }
        let untouchable = Untouchable()
        let features = try untouchable(Input(shape: [3, 5]))
        let dense = Dense(units: 2)
        let output = try dense(features)
        XCTAssertEqual(untouchable.calls, 0, "calling on symbolic inputs runs no forward pass")
        XCTAssertEqual(output.shape, [nil, 3, 2])
        XCTAssertEqual(dense.kernel.shape, [5, 2])
    }

    func testIntegerInputsKeepIntegerDTypesThroughLayersThatOnlyMoveValues() throws {
        let ids = Input(shape: [2, 3], dtype: .int32)
        let flat = try Flatten()(ids)
        XCTAssertEqual(flat.dtype, .int32)
        XCTAssertEqual(try Reshape(targetShape: [3, 2])(ids).dtype, .int32)
        XCTAssertEqual(try Concatenate()([flat, try Flatten()(ids)]).dtype, .int32)
        XCTAssertEqual(try Embedding(inputDim: 10, outputDim: 4)(flat).dtype, .float32)
        XCTAssertEqual(try Concatenate()([flat, try Flatten()(Input(shape: [6]))]).dtype, .float32)
    }

    func testModelsCalledOnSymbolicInputsInferTheirShapeThroughTheirLayers() throws {
        let features = Input(shape: [4])
        let inner = try Model(inputs: features, outputs: Dense(units: 3, name: "inner_dense")(features), name: "inner")
        XCTAssertEqual(try inner(Input(shape: [4])).shape, [nil, 3])
        assertBuildFails(try inner(Input(shape: [5])), mentioning: ["Dense layer 'inner_dense'", "(None, 5)"])

        let stack = try Sequential([Dense(units: 6), Reshape(targetShape: [2, 3])], name: "unbuilt")
        let output = try stack(Input(shape: [4]))
        XCTAssertEqual(output.shape, [nil, 2, 3])
        XCTAssertEqual(stack.weights.map(\.shape), [[4, 6], [6]], "the symbolic call builds the stack's layers")
        let outer = try Model(inputs: output.node!.inputs, outputs: [output])
        XCTAssertEqual(outer.forward([Tensor.ones([2, 4])])[0].shape, [2, 2, 3])
    }
}
