import XCTest
import Keel

/// The Functional graph's sequence machinery, with small layers written here: masks made by one
/// layer reach the layers that use them through layers that pass them on, a layer returning
/// several tensors feeds each to its own consumers, call flags reach `call`, and a prediction's
/// mask leaves masked steps out of the compiled loss.
final class FunctionalMaskAndOutputsTests: XCTestCase {
    /// Masks the steps whose features are all zero (as Keras's Masking with mask_value 0).
    final class ZeroStepMask: Layer {
        override var supportsMasking: Bool { true }
        override func call(_ input: Tensor, training: Bool) -> Tensor { input }
        override func outputMasks(for inputs: [Tensor], masks: [Tensor?], arguments: CallArguments, outputCount: Int) -> [Tensor?] {
            [inputs[0].abs().sum(axis: -1).notEqual(Tensor(0))]
        }
    }

    /// Doubles its input; passes the mask on.
    final class Double: Layer {
        override var supportsMasking: Bool { true }
        override func call(_ input: Tensor, training: Bool) -> Tensor { input * 2 }
    }

    /// Adds one; passes the mask on.
    final class PlusOne: Layer {
        override var supportsMasking: Bool { true }
        override func call(_ input: Tensor, training: Bool) -> Tensor { input + 1 }
    }

    /// Sums over time the steps its `mask` keeps (all steps without a mask); `negate` flips the sign.
    final class MaskedTimeSum: Layer {
        override var acceptedCallArguments: Set<String> { ["mask", "negate"] }
        override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] { [inputShapes[0][0], inputShapes[0][2]] }
        override func call(_ inputs: [Tensor], arguments: CallArguments, training: Bool) -> Tensor {
            var x = inputs[0]
            if let mask = arguments.tensor("mask") { x = x * mask.reshaped(mask.shape + [1]) }
            let sum = x.sum(axis: 1)
            return arguments.bool("negate") == true ? sum * -1 : sum
        }
    }

    /// Returns its input and its input times three.
    final class TwoOutputs: Layer {
        override var supportsMasking: Bool { true }
        override func outputShapes(for inputShapes: [[Int?]], arguments: CallArguments) throws -> [[Int?]] {
            [inputShapes[0], inputShapes[0]]
        }
        override func callOutputs(_ inputs: [Tensor], arguments: CallArguments, training: Bool) -> [Tensor] {
            [inputs[0], inputs[0] * 3]
        }
    }

    /// (1, 3, 2): the middle step is all zero, so masked.
    let sequence = Tensor(shape: [1, 3, 2], scalars: [1, 2, 0, 0, 3, 4])

    func testAMaskReachesTheLayerThatUsesItThroughLayersThatPassItOn() throws {
        let input = Input(shape: [3, 2])
        // Doubling then adding one makes the masked step (1, 1): it would count if the mask were lost.
        let shifted = try PlusOne()(try Double()(try ZeroStepMask()(input)))
        let model = try Model(inputs: input, outputs: try MaskedTimeSum()(shifted))
        XCTAssertEqual(model.forward([sequence])[0].scalars, [3 + 7, 5 + 9])
        let (_, masks) = try Model(inputs: input, outputs: shifted).forwardWithMasks([sequence])
        XCTAssertEqual(masks[0]?.scalars, [1, 0, 1])
        let unmasked = try Model(inputs: input, outputs: try MaskedTimeSum()(try PlusOne()(try Double()(input))))
        XCTAssertEqual(unmasked.forward([sequence])[0].scalars, [3 + 1 + 7, 5 + 1 + 9], "no mask: every step counts")
    }

    func testALayerThatDoesNotSupportMaskingDropsTheMask() throws {
        final class Opaque: Layer {
            override func call(_ input: Tensor, training: Bool) -> Tensor { input + 0 }
        }
        let input = Input(shape: [3, 2])
        let opaque = try Opaque()(try ZeroStepMask()(input))
        let model = try Model(inputs: input, outputs: try MaskedTimeSum()(try PlusOne()(opaque)))
        XCTAssertEqual(model.forward([sequence])[0].scalars, [2 + 1 + 4, 3 + 1 + 5], "the mask stopped at Opaque")
        let (_, masks) = try Model(inputs: input, outputs: opaque).forwardWithMasks([sequence])
        XCTAssertNil(masks[0] ?? nil)
    }

    func testSeveralOutputsOfOneCallFeedTheirOwnConsumersAndFlagsReachTheCall() throws {
        let input = Input(shape: [3, 2])
        let outputs = try TwoOutputs().callAll(input)
        XCTAssertEqual(outputs.count, 2)
        XCTAssertEqual(outputs.map(\.tensorIndex), [0, 1])
        let first = try MaskedTimeSum()(outputs[0])
        let second = try MaskedTimeSum()(outputs[1], arguments: CallArguments(["negate": .bool(true)]))
        let model = try Model(inputs: [input], outputs: [first, second])
        let result = model.forward([sequence])
        XCTAssertEqual(result[0].scalars, [4, 6])
        XCTAssertEqual(result[1].scalars, [-12, -18])
        XCTAssertThrowsError(try TwoOutputs()(input), "one output asked of a layer that returns two") { error in
            XCTAssertTrue("\(error)".contains("callAll"), "\(error)")
        }
        XCTAssertThrowsError(try MaskedTimeSum()(input, arguments: CallArguments(["unknown": .bool(true)]))) { error in
            XCTAssertTrue("\(error)".contains("unknown"), "\(error)")
        }
    }

    func testAPredictionsMaskLeavesMaskedStepsOutOfTheLossAsKerasApplyMask() throws {
        // Keras's apply_mask for sum_over_batch_size: valid steps weigh total/valid, so the loss
        // is the mean over the valid steps only. Steps 0 and 2 are valid; errors 1 and 3.
        let input = Input(shape: [3, 1])
        let model = try Model(inputs: input, outputs: try Double()(try ZeroStepMask()(input)))
        try model.compile(optimizer: .name("sgd"), loss: .all(.name("mean_squared_error")))
        let x = Tensor(shape: [1, 3, 1], scalars: [1, 0, 2])
        let y = Tensor(shape: [1, 3, 1], scalars: [1, 50, 1])
        let (predictions, masks) = model.forwardWithMasks([x])
        XCTAssertEqual(masks[0]?.scalars, [1, 0, 1])
        let loss = model.computeLoss(y: [y], yPred: predictions, sampleWeight: nil, masks: masks)
        XCTAssertEqual(loss.scalar, (1 + 9) / 2, accuracy: 1e-6)
        let results = try model.evaluate([x], [y], verbose: .silent)
        XCTAssertEqual(results["loss"] ?? .nan, 5, accuracy: 1e-6)
        let unmasked = model.computeLoss(y: [y], yPred: predictions, sampleWeight: nil)
        XCTAssertGreaterThan(unmasked.scalar, 100, "without the mask the masked step's error counts")
    }
}
