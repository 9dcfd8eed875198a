import Foundation
import XCTest
import Keel

/// What the fixture cases of the reshaping, merging and core layers do not show: the Lambda
/// layer's function registry, its saving and its refusal to save an anonymous closure;
/// EinsumDense equations with batch, summed and reordered letters against a plain einsum;
/// gradients by finite differences; configs and inputs that must be refused.
final class ReshapeMergeLayerTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-reshape-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: Lambda

    func testNamedLambdaSavesAndLoadsInBothFormats() throws {
        let x = Input(shape: [3])
        let y = try Lambda("reshape_tests_scale_shift", name: "scale_shift") { $0 * 3 + 1 }(x)
        let model = try Model(inputs: x, outputs: y)
        let data = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        for format in ["keras", "h5"] {
            let path = directory.appendingPathComponent("lambda.\(format)").path
            try model.save(to: path)
            let loaded = try Model.load(from: path)
            XCTAssertEqual(loaded.forward([data])[0].scalars, [4, 7, 10, 13, 16, 19], format)
            let lambda = try XCTUnwrap(loaded.layers.compactMap { $0 as? Lambda }.first, format)
            XCTAssertEqual(lambda.name, "scale_shift", format)
            XCTAssertEqual(lambda.function.name, "reshape_tests_scale_shift", format)
        }
    }

    func testSavingAnAnonymousLambdaIsRefusedAndWritesNothing() throws {
        let x = Input(shape: [3])
        let y = try Lambda(name: "anonymous_double") { $0 * 2 }(x)
        let model = try Model(inputs: x, outputs: y)
        for format in ["keras", "h5"] {
            let path = directory.appendingPathComponent("anonymous.\(format)").path
            XCTAssertThrowsError(try model.save(to: path), format) { error in
                XCTAssertTrue(error is KeelError, "\(error)")
                XCTAssertTrue("\(error)".contains("Lambda layer 'anonymous_double'"), "\(error)")
                XCTAssertTrue("\(error)".contains("found an anonymous closure"), "\(error)")
                XCTAssertTrue("\(error)".contains("registered by name"), "\(error)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: path), format)
        }
        // Its weights can still be saved, and it still computes in memory.
        try model.saveWeights(to: directory.appendingPathComponent("anonymous.weights.h5").path)
        XCTAssertEqual(model.forward([Tensor(shape: [1, 3], scalars: [1, 2, 3])])[0].scalars, [2, 4, 6])
    }

    func testLambdaConfigIsKerasFormForARegisteredFunction() {
        let layer = Lambda("reshape_tests_double", name: "lambda") { $0 * 2 }
        // What Keras 3.15's get_config() gives for Lambda(f), f registered as "reshape_tests_double".
        let keras = #"{"name": "lambda", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "function": {"module": "builtins", "class_name": "function", "config": "reshape_tests_double", "registered_name": "function"}, "arguments": {}}"#
        XCTAssertEqual(JSONValue.object(layer.config).serialized(), keras)
    }

    func testLoadingALambdaWhoseFunctionIsUnknownNamesTheFunction() {
        let function: JSONValue = ["module": "builtins", "class_name": "function", "config": "reshape_tests_never_registered",
                                   "registered_name": "function"]
        XCTAssertThrowsError(try Registries.layers.make("Lambda", config: ["name": "lost", "function": function])) { error in
            XCTAssertTrue(error is KeelError, "\(error)")
            XCTAssertTrue("\(error)".contains("Lambda layer 'lost': field 'function'"), "\(error)")
            XCTAssertTrue("\(error)".contains("'reshape_tests_never_registered' is not"), "\(error)")
        }
        let pythonLambda: JSONValue = ["class_name": "__lambda__", "config": ["code": "4wEAAAA=", "defaults": nil, "closure": nil]]
        XCTAssertThrowsError(try Registries.layers.make("Lambda", config: ["function": pythonLambda])) { error in
            XCTAssertTrue("\(error)".contains("Python lambda"), "\(error)")
        }
        XCTAssertThrowsError(try Lambda(registered: "reshape_tests_never_registered")) { error in
            XCTAssertTrue(error is KeelError, "\(error)")
        }
    }

    func testKerasPackagePrefixedNameFindsTheFunction() throws {
        LambdaFunctions.register("reshape_tests_negate") { -$0 }
        let layer = try Registries.layers.make("Lambda", config: ["function": ["class_name": "function", "config": "Custom>reshape_tests_negate"]])
        XCTAssertEqual(layer(Tensor(shape: [1, 2], scalars: [1, -2])).scalars, [-1, 2])
    }

    func testLambdaInfersItsOutputShapeOrTakesTheGivenOne() throws {
        let x = Input(shape: [3, 4])
        XCTAssertEqual(try Lambda { $0.sum(axes: [1]) }(x).shape, [nil, 4])
        XCTAssertEqual(try Lambda(outputShape: [12]) { $0.reshaped([$0.shape[0], 12]) }(x).shape, [nil, 12])
        let ids = Input(shape: [3], dtype: .int32)
        XCTAssertEqual(try Lambda { $0.cast(to: .int32) }(Input(shape: [3])).dtype, .int32)
        XCTAssertEqual(try Lambda { $0.cast(to: .float32) * 2 }(ids).dtype, .float32)
        XCTAssertEqual(try Lambda { $0 }(ids).dtype, .int32)
        let reshaped = Lambda(outputShape: [12]) { $0.reshaped([$0.shape[0], 12]) }
        XCTAssertEqual(reshaped.config["output_shape"], [12])
    }

    func testLambdaOfTwoInputs() throws {
        LambdaFunctions.register("reshape_tests_weighted_sum", inputs: 2) { $0[0] + $0[1] * 2 }
        let layer = try Lambda(registered: "reshape_tests_weighted_sum")
        let a = Input(shape: [2]), b = Input(shape: [2])
        XCTAssertEqual(try layer([a, b]).shape, [nil, 2])
        let sum = layer([Tensor(shape: [1, 2], scalars: [1, 2]), Tensor(shape: [1, 2], scalars: [3, 4])])
        XCTAssertEqual(sum.scalars, [7, 10])
        XCTAssertThrowsError(try Lambda(registered: "reshape_tests_weighted_sum")([a])) { error in
            XCTAssertTrue("\(error)".contains("expected 2 inputs"), "\(error)")
        }
    }

    func testLambdaGradientMatchesFiniteDifferences() {
        let layer = Lambda("reshape_tests_cubic") { ($0 * $0 * $0 - $0 * 2).sum(axes: [1], keepDims: true) }
        let x = RandomNormal(seed: 4, stddev: 1)([2, 3])
        XCTAssertEqual(FiniteDifferences.problems(inputs: [x]) { layer($0[0]) }, [])
    }

    // MARK: EinsumDense

    /// Equations the fixtures do not cover: a letter in input, kernel and output (a kernel per
    /// position), an input letter summed away, an output in another order than the operands.
    func testEinsumDenseEquationsMatchAPlainEinsum() throws {
        let cases: [(equation: String, outputShape: PartialShape, biasAxes: String?, input: [Int])] = [
            ("abc,bcd->abd", [nil, 4], "bd", [2, 3, 5]),
            ("abc,cd->ad", [4], "d", [2, 3, 5]),
            ("abc,dc->adb", [4, nil], "b", [2, 3, 5]),
            ("abcd,cde->abe", [nil, 2], nil, [2, 3, 4, 2]),
            // '...' for the leading axes (batch included) and for the trailing ones.
            ("...b,bc->...c", [4], "c", [2, 3, 5]),
            ("...bc,cd->...db", [4, nil], "d", [2, 3, 2, 5]),
            ("ab...,bc->ac...", [4], "c", [2, 3, 5, 2]),
        ]
        for (i, c) in cases.enumerated() {
            let layer = EinsumDense(partialOutputShape: c.outputShape, equation: c.equation, biasAxes: c.biasAxes,
                                    biasInitializer: RandomNormal(seed: 7, stddev: 1))
            let x = RandomNormal(seed: 10 + i, stddev: 1)(c.input)
            let output = layer(x)
            let expected = Self.plainEinsum(Self.spelledOut(c.equation, rank: x.rank), x, layer.kernel.value)
            let withBias = layer.bias.map { expected + $0.value } ?? expected
            XCTAssertEqual(output.shape, withBias.shape, c.equation)
            for (a, b) in zip(output.scalars, withBias.scalars) { XCTAssertEqual(a, b, accuracy: 1e-4, c.equation) }
            XCTAssertEqual(try layer(Input(shape: Array(c.input.dropFirst()))).shape, [nil] + output.shape.dropFirst().map { Optional($0) },
                           c.equation)
            let problems = FiniteDifferences.problems(inputs: [x], weights: layer.weights) { layer($0[0]) }
            XCTAssertEqual(problems, [], c.equation)
        }
    }

    func testEinsumDenseKernelFansFollowTheEquation() {
        // "abc,cde->abde": fan in c = 4, fan out d·e = 64 (not the layout's 4·8 and 4·8).
        let layer = EinsumDense(partialOutputShape: [nil, 8, 8], equation: "abc,cde->abde",
                                kernelInitializer: VarianceScaling(seed: 3, scale: 1, mode: .fanIn, distribution: .uniform))
        _ = layer(Tensor.zeros([1, 2, 4]))
        let limit = Float((3.0 / 4.0).squareRoot())
        let values = layer.kernel.value.scalars
        XCTAssertEqual(layer.kernel.shape, [4, 8, 8])
        XCTAssertTrue(values.allSatisfy { abs($0) <= limit })
        XCTAssertGreaterThan(values.map(abs).max()!, limit * 0.9, "drawn with fan in 4, not 32")
    }

    func testEinsumDenseRefusesBadEquationsAndInputs() throws {
        for equation in ["ab,bc", "...b,bc->c...", "a...b,bc->a...c", "b...,bc->c...", "ab,bz->ac", "aab,bc->ac", "ab,bc->az"] {
            XCTAssertThrowsError(try Registries.layers.make("EinsumDense", config: ["equation": .string(equation), "output_shape": [3]]),
                                 equation) { error in
                XCTAssertTrue(error is KeelError, "\(error)")
                XCTAssertTrue("\(error)".contains("field 'equation'"), "\(equation): \(error)")
            }
        }
        let layer = EinsumDense(partialOutputShape: [3], equation: "ab,bc->ac", biasAxes: "x", name: "mixer")
        XCTAssertThrowsError(try layer(Input(shape: [4]))) { error in
            XCTAssertTrue("\(error)".contains("EinsumDense layer 'mixer'"), "\(error)")
            XCTAssertTrue("\(error)".contains("bias_axes"), "\(error)")
            XCTAssertTrue("\(error)".contains("found input shape (None, 4)"), "\(error)")
        }
        let wrongRank = EinsumDense(partialOutputShape: [3], equation: "ab,bc->ac")
        XCTAssertThrowsError(try wrongRank(Input(shape: [2, 4]))) { error in
            XCTAssertTrue("\(error)".contains("expected an input of rank 2"), "\(error)")
        }
    }

    // MARK: Reshaping and merging

    func testBilinearUpSamplingUsesHalfPixelCentresAndRepeatsTheEdges() {
        let layer = UpSampling2D(size: [1, 2], interpolation: .bilinear)
        let output = layer(Tensor(shape: [1, 1, 2, 1], scalars: [0, 1]))
        XCTAssertEqual(output.shape, [1, 1, 4, 1])
        XCTAssertEqual(output.scalars, [0, 0.25, 0.75, 1])
    }

    func testChannelsFirstReshapingMovesOnlyTheSpatialAxes() {
        let x = RandomNormal(seed: 2, stddev: 1)([1, 2, 3, 4])
        let last = x.transposed([0, 2, 3, 1])
        let pairs: [(Layer, Layer)] = [
            (UpSampling2D(size: [2, 1], dataFormat: .channelsFirst, interpolation: .bilinear), UpSampling2D(size: [2, 1], interpolation: .bilinear)),
            (ZeroPadding2D(padding: SpatialPairs([(1, 0), (0, 2)]), dataFormat: .channelsFirst), ZeroPadding2D(padding: SpatialPairs([(1, 0), (0, 2)]))),
            (Cropping2D(cropping: SpatialPairs([(1, 0), (0, 2)]), dataFormat: .channelsFirst), Cropping2D(cropping: SpatialPairs([(1, 0), (0, 2)]))),
        ]
        for (first, lastFormat) in pairs {
            let a = first(x), b = lastFormat(last).transposed([0, 3, 1, 2])
            XCTAssertEqual(a.shape, b.shape, first.name)
            for (u, v) in zip(a.scalars, b.scalars) { XCTAssertEqual(u, v, accuracy: 1e-6, first.name) }
        }
    }

    func testReshapingLayersRefuseBadConfigs() {
        let refused: [(String, JSONObject, String)] = [
            ("UpSampling2D", ["interpolation": "bicubic"], "field 'interpolation'"),
            ("UpSampling2D", ["size": [2, 0]], "field 'size'"),
            ("UpSampling3D", ["size": [2, 2]], "field 'size'"),
            ("ZeroPadding2D", ["padding": [[1, -1], [0, 0]]], "field 'padding'"),
            ("ZeroPadding3D", ["padding": [1, 2]], "field 'padding'"),
            ("Cropping2D", ["cropping": [[1, 2, 3], [0, 0]]], "field 'cropping'"),
            ("Dot", ["axes": [1, 2, 3]], "field 'axes'"),
            ("Dot", ["axes": 0], "field 'axes'"),
            ("Dot", [:], "field 'axes'"),
        ]
        for (className, config, mention) in refused {
            XCTAssertThrowsError(try Registries.layers.make(className, config: config), "\(className) \(config)") { error in
                XCTAssertTrue(error is KeelError, "\(error)")
                XCTAssertTrue("\(error)".contains(className), "\(error)")
                XCTAssertTrue("\(error)".contains(mention), "\(error)")
            }
        }
    }

    func testShorthandsAndDefaultsAreWrittenAsKerasWritesThem() throws {
        func config(_ className: String, _ given: JSONObject) throws -> JSONObject {
            try Registries.layers.make(className, config: given).config
        }
        XCTAssertEqual(try config("ZeroPadding2D", ["padding": 2])["padding"], [[2, 2], [2, 2]])
        XCTAssertEqual(try config("ZeroPadding2D", ["padding": [1, 3]])["padding"], [[1, 1], [3, 3]])
        XCTAssertEqual(try config("Cropping3D", ["cropping": [1, 0, 2]])["cropping"], [[1, 1], [0, 0], [2, 2]])
        XCTAssertEqual(try config("UpSampling2D", ["size": 3])["size"], [3, 3])
        XCTAssertEqual(try config("EinsumDense", ["equation": "ab,bc->ac", "output_shape": 3])["output_shape"], [3])
        // Keras 3.15's defaults, from get_config() of layers made with no arguments.
        XCTAssertEqual(ZeroPadding2D().config["padding"], [[1, 1], [1, 1]])
        XCTAssertEqual(ZeroPadding3D().config["padding"], [[1, 1], [1, 1], [1, 1]])
        XCTAssertEqual(Cropping2D().config["cropping"], [[0, 0], [0, 0]])
        XCTAssertEqual(Cropping3D().config["cropping"], [[1, 1], [1, 1], [1, 1]])
        XCTAssertEqual(UpSampling2D().config["size"], [2, 2])
        XCTAssertEqual(UpSampling2D().config["interpolation"], "nearest")
        XCTAssertEqual(UpSampling3D().config["size"], [2, 2, 2])
        XCTAssertEqual(Array(Dot(axes: 1).config.keys), ["name", "trainable", "dtype", "axes", "normalize"])
    }

    func testMergeLayersRefuseInputsThatDoNotFit() {
        let a = Input(shape: [3]), b = Input(shape: [4]), c = Input(shape: [3])
        let calls: [(Layer, [SymbolicTensor], String)] = [
            (Multiply(name: "m"), [a, b], "expected inputs of one shape"),
            (Subtract(name: "s"), [a, c, a], "expected 2 inputs"),
            (Maximum(name: "x"), [a], "expected at least 2 inputs"),
            (Dot(axes: 1, name: "d"), [a, b], "expected equal sizes along axes 1 and 1"),
            (Dot(axes: 3, name: "e"), [a, c], "expected axes 3 within the input's rank 2"),
        ]
        for (layer, inputs, mention) in calls {
            XCTAssertThrowsError(try layer(inputs), layer.name) { error in
                XCTAssertTrue(error is KeelError, "\(error)")
                XCTAssertTrue("\(error)".contains(layer.nameForMessages), "\(error)")
                XCTAssertTrue("\(error)".contains(mention), "\(error)")
                XCTAssertTrue("\(error)".contains("found input shape"), "\(error)")
            }
        }
    }

    func testMergeLayersBroadcastAndComputeElementwise() {
        let a = Tensor(shape: [1, 2], scalars: [1, 5]), b = Tensor(shape: [1, 1], scalars: [3])
        XCTAssertEqual(Multiply()([a, b]).scalars, [3, 15])
        XCTAssertEqual(Subtract()([a, b]).scalars, [-2, 2])
        XCTAssertEqual(Average()([a, b]).scalars, [2, 4])
        XCTAssertEqual(Maximum()([a, b]).scalars, [3, 5])
        XCTAssertEqual(Minimum()([a, b]).scalars, [1, 3])
        XCTAssertEqual(IdentityLayer()(a).scalars, [1, 5])
    }

    /// Keras lines a lower-rank input up with the others' last axes (expanding it after the batch axis).
    func testMergeLayersTakeInputsOfLowerRank() throws {
        XCTAssertEqual(try Multiply()([Input(shape: [2, 3]), Input(shape: [3])]).shape, [nil, 2, 3])
        XCTAssertEqual(try Add()([Input(shape: [3]), Input(shape: [4, 2, 1])]).shape, [nil, 4, 2, 3])
        let matrix = Tensor(shape: [1, 2, 3], scalars: [1, 2, 3, 4, 5, 6]), row = Tensor(shape: [1, 3], scalars: [10, 20, 30])
        XCTAssertEqual(Subtract()([matrix, row]).scalars, [-9, -18, -27, -6, -15, -24])
        XCTAssertEqual(Maximum()([row, matrix]).shape, [1, 2, 3])
    }

    // MARK: Helpers

    /// The equation with '...' written as the letters X, Y, Z... for the axes it covers.
    static func spelledOut(_ equation: String, rank: Int) -> String {
        guard equation.contains("...") else { return equation }
        let input = equation.components(separatedBy: ",")[0].replacingOccurrences(of: "...", with: "")
        return equation.replacingOccurrences(of: "...", with: String("XYZW".prefix(rank - input.count)))
    }

    /// einsum by its definition: every assignment of the letters, products summed into the output.
    static func plainEinsum(_ equation: String, _ x: Tensor, _ w: Tensor) -> Tensor {
        let sides = equation.components(separatedBy: "->")
        let operands = sides[0].components(separatedBy: ",").map(Array.init)
        let output = Array(sides[1])
        var sizes: [Character: Int] = [:]
        for (spec, shape) in zip(operands, [x.shape, w.shape]) { for (l, s) in zip(spec, shape) { sizes[l] = s } }
        let letters = Array(sizes.keys)
        let outShape = output.map { sizes[$0]! }
        var result = [Float](repeating: 0, count: outShape.reduce(1, *))
        let xs = x.scalars, ws = w.scalars
        func offset(_ spec: [Character], _ shape: [Int], _ index: [Character: Int]) -> Int {
            zip(spec, shape).reduce(0) { $0 * $1.1 + index[$1.0]! }
        }
        var index = Dictionary(uniqueKeysWithValues: letters.map { ($0, 0) })
        let total = letters.reduce(1) { $0 * sizes[$1]! }
        for _ in 0..<total {
            result[offset(output, outShape, index)] += xs[offset(operands[0], x.shape, index)] * ws[offset(operands[1], w.shape, index)]
            for l in letters {
                index[l]! += 1
                if index[l]! < sizes[l]! { break }
                index[l] = 0
            }
        }
        return Tensor(shape: outShape, scalars: result)
    }
}

/// Gradients of L = Σ f(inputs)·R from the tape against central differences, for inputs and
/// weights, in the way Tests/KeelTensorTests/GradientCheck.swift checks single ops.
enum FiniteDifferences {
    static func problems(inputs: [Tensor], weights: [Variable] = [], epsilon: Float = 1e-2, tolerance: Double = 1e-2,
                         _ function: ([Tensor]) -> Tensor) -> [String] {
        let cotangent = RandomNormal(seed: 99, stddev: 1)(function(inputs).shape)
        func loss(_ xs: [Tensor]) -> Double {
            zip(function(xs).scalars, cotangent.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        let tape = GradientTape()
        var weightValues: [Tensor] = []
        let target = tape.record { () -> Tensor in
            for x in inputs { tape.watch(x) }
            for weight in weights { tape.watch(weight) }
            weightValues = weights.map(\.value)
            return (function(inputs) * cotangent).sum()
        }
        let analytic = tape.gradient(of: target, wrt: inputs + weightValues)
        var problems: [String] = []
        func compare(_ name: String, _ gradient: Tensor?, _ numeric: [Double]) {
            guard let gradient else { problems.append("\(name): no gradient"); return }
            for (j, (a, n)) in zip(gradient.scalars, numeric).enumerated()
            where !(abs(Double(a) - n) <= tolerance * (1 + max(abs(Double(a)), abs(n)))) {
                problems.append("\(name) element \(j): tape \(a), finite differences \(n)")
            }
        }
        for (i, x) in inputs.enumerated() {
            let base = x.scalars
            let numeric = base.indices.map { j -> Double in
                var plus = base, minus = base
                plus[j] += epsilon
                minus[j] -= epsilon
                var shifted = inputs
                shifted[i] = Tensor(shape: x.shape, scalars: plus)
                let high = loss(shifted)
                shifted[i] = Tensor(shape: x.shape, scalars: minus)
                return (high - loss(shifted)) / Double(plus[j] - minus[j])
            }
            compare("input \(i)", analytic[i], numeric)
        }
        for (k, weight) in weights.enumerated() {
            let original = weight.value, base = original.scalars
            let numeric = base.indices.map { j -> Double in
                var plus = base, minus = base
                plus[j] += epsilon
                minus[j] -= epsilon
                weight.assign(Tensor(shape: original.shape, scalars: plus))
                let high = loss(inputs)
                weight.assign(Tensor(shape: original.shape, scalars: minus))
                let low = loss(inputs)
                return (high - low) / Double(plus[j] - minus[j])
            }
            weight.assign(original)
            compare("weight '\(weight.name)'", analytic[inputs.count + k], numeric)
        }
        return problems
    }
}
