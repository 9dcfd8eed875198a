import XCTest
import Keel

/// Layers are found by their Keras class names, including layers registered from outside Keel.
final class LayerRegistryTests: XCTestCase {
    /// A layer the test brings: multiplies its input by a configured factor.
    @Component(.layer)
    final class TestScaleLayer: Layer {
        @Hyper("factor") var factor: Double

        override func call(_ input: Tensor, training: Bool) -> Tensor { input * Float(factor) }
    }

    func testEveryBuiltInLayerIsRegisteredUnderItsKerasClassName() {
        let expected = ["InputLayer", "Dense", "Activation", "Dropout", "Flatten", "Reshape", "Conv2D", "Conv2DTranspose",
                        "MaxPooling2D", "AveragePooling2D", "GlobalMaxPooling2D", "GlobalAveragePooling2D",
                        "BatchNormalization", "Concatenate", "Add", "LeakyReLU", "ReLU", "Softmax", "Embedding",
                        "ActivityRegularization"]
        for className in expected {
            XCTAssertEqual(Registries.layers.entry(named: className)?.className, className)
            XCTAssertEqual(Registries.layers.entry(named: className)?.origin, "Keel")
        }
        XCTAssertFalse(Registries.layers.contains("Input"), "Input is a function in Keras, not a layer class")
        XCTAssertEqual(Registries.layers.entry(named: "MaxPool2D")?.className, "MaxPooling2D")
    }

    func testALayerRegisteredByTheTestIsFoundByName() throws {
        if !Registries.layers.contains("TestScaleLayer") {
            try Registries.layers.register("TestScaleLayer", origin: "test") { try TestScaleLayer(config: $0) }
        }
        XCTAssertEqual(Registries.layers.entry(named: "TestScaleLayer")?.origin, "test")
        let layer = try Registries.layers.make(from: [
            "class_name": "TestScaleLayer", "config": ["name": "scale", "factor": 3.0],
        ])
        XCTAssertEqual(layer.name, "scale")
        XCTAssertEqual(layer(Tensor(shape: [1, 2], scalars: [1, 2])).scalars, [3, 6])
        XCTAssertEqual(type(of: layer).kerasClassName, "TestScaleLayer")
        XCTAssertThrowsError(try Registries.layers.register("TestScaleLayer", origin: "another test") { _ in layer }) { error in
            XCTAssertTrue("\(error)".contains("test"), "the error names who registered it first: \(error)")
        }
    }

    func testAnUnknownLayerNamesTheClosestRegisteredOnes() {
        XCTAssertThrowsError(try Registries.layers.make("Dence", config: [:])) { error in
            XCTAssertTrue("\(error)".contains("Dense"), "\(error)")
        }
    }
}
