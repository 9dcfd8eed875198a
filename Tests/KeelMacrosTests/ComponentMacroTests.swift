import SwiftSyntaxMacros
import SwiftSyntaxMacrosTestSupport
import XCTest
import KeelMacros

/// `@Component(.family)` expansions, on syntax alone (no Keel types needed).
final class ComponentMacroTests: XCTestCase {
    private let macros: [String: Macro.Type] = ["Component": ComponentMacro.self]

    func testOptimizerInfersLiteralTypesAndKeepsDeclarationOrder() {
        assertMacroExpansion(
            """
            @Component(.optimizer)
            open class Adam: Optimizer {
                @Hyper("beta_1", .inRange(0...1)) public var beta1 = 0.9
                @Hyper("beta_2") public var beta2: Double = 0.999
                @Hyper("epsilon") public var epsilon = 1e-7
                @Hyper("amsgrad") public var amsgrad = false
                var moments: [Tensor] = []
                static let shared = 1
                override func step() {}
            }
            """,
            expandedSource: """
            open class Adam: Optimizer {
                @Hyper("beta_1", .inRange(0...1)) public var beta1 = 0.9
                @Hyper("beta_2") public var beta2: Double = 0.999
                @Hyper("epsilon") public var epsilon = 1e-7
                @Hyper("amsgrad") public var amsgrad = false
                var moments: [Tensor] = []
                static let shared = 1
                override func step() {}

                public convenience init(learningRate: LearningRate? = nil, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-7, amsgrad: Bool = false, weightDecay: Double? = nil, clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil, lossScaleFactor: Double? = nil, name: String? = nil) {
                    self.init(learningRate: learningRate, weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm, lossScaleFactor: lossScaleFactor, name: name)
                    self.beta1 = beta1
                    self.beta2 = beta2
                    self.epsilon = epsilon
                    self.amsgrad = amsgrad
                    self.didConfigure()
                }
            }
            """,
            macros: macros)
    }

    func testLayerWithRequiredParameterAndAnnotatedDefaults() {
        assertMacroExpansion(
            """
            @Component(.layer)
            open class Dense: Layer {
                @Hyper("units", .size) public var units: Int
                @Hyper("activation") public var activation: Activation = .linear
                @Hyper("use_bias") public var useBias = true
                @Hyper("kernel_initializer") public var kernelInitializer: Initializer = GlorotUniform()
                @Hyper("kernel_regularizer") public var kernelRegularizer: Regularizer? = nil
                public var kernel: Tensor?
            }
            """,
            expandedSource: """
            open class Dense: Layer {
                @Hyper("units", .size) public var units: Int
                @Hyper("activation") public var activation: Activation = .linear
                @Hyper("use_bias") public var useBias = true
                @Hyper("kernel_initializer") public var kernelInitializer: Initializer = GlorotUniform()
                @Hyper("kernel_regularizer") public var kernelRegularizer: Regularizer? = nil
                public var kernel: Tensor?

                public convenience init(units: Int, activation: Activation = .linear, useBias: Bool = true, kernelInitializer: Initializer = GlorotUniform(), kernelRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil, inputShape: [Int?]? = nil, name: String? = nil, trainable: Bool = true) {
                    self.init(inputShape: inputShape, name: name, trainable: trainable)
                    self.activityRegularizer = activityRegularizer
                    self.units = units
                    self.activation = activation
                    self.useBias = useBias
                    self.kernelInitializer = kernelInitializer
                    self.kernelRegularizer = kernelRegularizer
                    self.didConfigure()
                }
            }
            """,
            macros: macros)
    }

    func testLossIsInternalForAnInternalClass() {
        assertMacroExpansion(
            """
            @Component(.loss)
            final class Huber: Loss {
                @Hyper("delta", .positive, written: false) var delta = 1.0
            }
            """,
            expandedSource: """
            final class Huber: Loss {
                @Hyper("delta", .positive, written: false) var delta = 1.0

                convenience init(delta: Double = 1.0, reduction: Reduction = .sumOverBatchSize, name: String? = nil) {
                    self.init(reduction: reduction, name: name)
                    self.delta = delta
                    self.didConfigure()
                }
            }
            """,
            macros: macros)
    }

    func testMetricWithStringAndNegativeLiterals() {
        assertMacroExpansion(
            """
            @Component(.metric)
            public class TopK: Metric {
                @Hyper("k") public var k = 5
                @Hyper("mode") public var mode = "max"
                @Hyper("offset") public var offset = -1
            }
            """,
            expandedSource: """
            public class TopK: Metric {
                @Hyper("k") public var k = 5
                @Hyper("mode") public var mode = "max"
                @Hyper("offset") public var offset = -1

                public convenience init(k: Int = 5, mode: String = "max", offset: Int = -1, name: String? = nil) {
                    self.init(name: name)
                    self.k = k
                    self.mode = mode
                    self.offset = offset
                    self.didConfigure()
                }
            }
            """,
            macros: macros)
    }

    func testPlainFamilyCopiesDefaultExpressionsAsWritten() {
        assertMacroExpansion(
            """
            @Component(.plain)
            public final class L1L2: Regularizer {
                @Hyper("l1") public var l1: Double = L1L2.defaultStrength * 2
                @Hyper("l2") public var l2: Double
            }
            """,
            expandedSource: """
            public final class L1L2: Regularizer {
                @Hyper("l1") public var l1: Double = L1L2.defaultStrength * 2
                @Hyper("l2") public var l2: Double

                public convenience init(l1: Double = L1L2.defaultStrength * 2, l2: Double) {
                    self.init()
                    self.l1 = l1
                    self.l2 = l2
                    self.didConfigure()
                }
            }
            """,
            macros: macros)
    }

    func testClassWithoutHyperGetsNothing() {
        assertMacroExpansion(
            """
            @Component(.layer)
            open class Flatten: Layer {
                var cache: Int = 0
                static var count = 0
                override func build() {}
            }
            """,
            expandedSource: """
            open class Flatten: Layer {
                var cache: Int = 0
                static var count = 0
                override func build() {}
            }
            """,
            macros: macros)
    }

    func testOwnParameterReplacesTheBaseOneOfTheSameName() {
        assertMacroExpansion(
            """
            @Component(.layer)
            class Named: Layer {
                @Hyper("name") var name: String? = "named"
                @Hyper("activity_regularizer") var activityRegularizer: Regularizer? = nil
            }
            """,
            expandedSource: """
            class Named: Layer {
                @Hyper("name") var name: String? = "named"
                @Hyper("activity_regularizer") var activityRegularizer: Regularizer? = nil

                convenience init(name: String? = "named", activityRegularizer: Regularizer? = nil, inputShape: [Int?]? = nil, trainable: Bool = true) {
                    self.init(inputShape: inputShape, name: name, trainable: trainable)
                    self.name = name
                    self.activityRegularizer = activityRegularizer
                    self.didConfigure()
                }
            }
            """,
            macros: macros)
    }

    func testPrivateClassGetsFileprivateInitialiser() {
        assertMacroExpansion(
            """
            @Component(.plain)
            private class Constant {
                @Hyper("value") var value = 0.0
            }
            """,
            expandedSource: """
            private class Constant {
                @Hyper("value") var value = 0.0

                fileprivate convenience init(value: Double = 0.0) {
                    self.init()
                    self.value = value
                    self.didConfigure()
                }
            }
            """,
            macros: macros)
    }

    func testUnannotatedNonLiteralDefaultIsAnError() {
        assertMacroExpansion(
            """
            @Component(.layer)
            open class Dense: Layer {
                @Hyper("units") public var units = 3
                @Hyper("kernel_initializer") public var kernelInitializer = GlorotUniform()
            }
            """,
            expandedSource: """
            open class Dense: Layer {
                @Hyper("units") public var units = 3
                @Hyper("kernel_initializer") public var kernelInitializer = GlorotUniform()
            }
            """,
            diagnostics: [
                DiagnosticSpec(
                    message: "@Hyper property 'kernelInitializer' needs a type annotation: its default 'GlorotUniform()' is not a literal, so @Component cannot tell the initialiser parameter's type (write 'var kernelInitializer: <Type> = GlorotUniform()')",
                    line: 4, column: 45),
            ],
            macros: macros)
    }

    func testUnannotatedNilIsAnError() {
        assertMacroExpansion(
            """
            @Component(.layer)
            open class Dense: Layer {
                @Hyper("kernel_regularizer") public var kernelRegularizer = nil
            }
            """,
            expandedSource: """
            open class Dense: Layer {
                @Hyper("kernel_regularizer") public var kernelRegularizer = nil
            }
            """,
            diagnostics: [
                DiagnosticSpec(
                    message: "@Hyper property 'kernelRegularizer' defaults to nil, so it needs an optional type annotation (write 'var kernelRegularizer: <Type>? = nil')",
                    line: 3, column: 45),
            ],
            macros: macros)
    }

    func testOnlyClassesAreComponents() {
        assertMacroExpansion(
            """
            @Component(.plain)
            struct Settings {
                @Hyper("x") var x = 1
            }
            """,
            expandedSource: """
            struct Settings {
                @Hyper("x") var x = 1
            }
            """,
            diagnostics: [
                DiagnosticSpec(message: "@Component applies to a class (a Keel component), not to this struct", line: 1, column: 1),
            ],
            macros: macros)
    }
}
