import Foundation
import XCTest
@testable import Keel

/// The preprocessing layers in training, where they really transform (the Keras fixtures cover
/// inference, where the random ones pass their input through): each transform is checked by a
/// property that holds for every draw, or by a draw pinned with a degenerate factor range.
/// Also Normalization's `adapt` over batches and datasets, and the resampler's gradient.
final class PreprocessingLayerTests: XCTestCase {
    private func images(_ shape: [Int], seed: Int = 1, low: Float = 0, high: Float = 1) -> Tensor {
        RandomGenerator(seed: UInt64(seed)).uniform(shape, low: low, high: high)
    }

    /// image[b, y, x, c] of a channels-last batch.
    private func pixel(_ t: Tensor, _ b: Int, _ y: Int, _ x: Int, _ c: Int) -> Float {
        let s = t.shape
        return t.scalars[((b * s[1] + y) * s[2] + x) * s[3] + c]
    }

    private func assertClose(_ a: Tensor, _ b: Tensor, tolerance: Float = 1e-5, _ what: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.shape, b.shape, what, file: file, line: line)
        for (i, (x, y)) in zip(a.scalars, b.scalars).enumerated() where abs(x - y) > tolerance {
            return XCTFail("\(what): element \(i) is \(x), expected \(y)", file: file, line: line)
        }
    }

    func testRandomFlipMirrorsWholeImagesOrLeavesThem() {
        let x = images([16, 3, 4, 2])
        let output = RandomFlip(seed: 7, mode: .horizontal)(x, training: true)
        var flipped = 0
        for b in 0..<16 {
            let same = (0..<3).allSatisfy { y in (0..<4).allSatisfy { i in (0..<2).allSatisfy { c in
                pixel(output, b, y, i, c) == pixel(x, b, y, i, c) } } }
            let mirrored = (0..<3).allSatisfy { y in (0..<4).allSatisfy { i in (0..<2).allSatisfy { c in
                pixel(output, b, y, i, c) == pixel(x, b, y, 3 - i, c) } } }
            XCTAssertTrue(same || mirrored, "image \(b) is neither itself nor its mirror")
            if mirrored { flipped += 1 }
        }
        XCTAssertTrue(flipped > 0 && flipped < 16, "\(flipped) of 16 images flipped: the draw is not per image")
    }

    func testRandomLayersPassInputsThroughInInference() throws {
        let x = images([2, 5, 5, 2], low: 0, high: 255)
        let layers: [Layer] = [RandomFlip(), RandomRotation(factor: 0.3), RandomZoom(heightFactor: 0.3),
                               RandomTranslation(heightFactor: 0.2, widthFactor: 0.2), RandomContrast(factor: 0.5),
                               RandomBrightness(factor: 0.5), RandomCrop(height: 2, width: 2)]
        for layer in layers {
            XCTAssertEqual(layer(x, training: false).scalars, x.scalars, "\(layer.name) changed its input in inference")
            // A flip may leave both images as they are; the others change every image.
            if layer is RandomFlip { continue }
            XCTAssertNotEqual(layer(x, training: true).scalars, x.scalars, "\(layer.name) left its input unchanged in training")
        }
    }

    func testRandomTranslationShiftsByTheDrawnPixelsAndFillsAsAsked() throws {
        let x = images([1, 4, 4, 1])
        // A degenerate range pins the draw: one row down (0.25 · 4), no horizontal shift.
        let reflect = RandomTranslation(heightFactor: [0.25, 0.25], widthFactor: 0.0)(x, training: true)
        let constant = RandomTranslation(heightFactor: [0.25, 0.25], widthFactor: 0.0, fillMode: .constant,
                                         fillValue: -3)(x, training: true)
        for i in 0..<4 {
            XCTAssertEqual(pixel(reflect, 0, 0, i, 0), pixel(x, 0, 0, i, 0), accuracy: 1e-6, "reflect repeats the edge row")
            XCTAssertEqual(pixel(constant, 0, 0, i, 0), -3, accuracy: 1e-6, "constant fills the row shifted in")
            for y in 1..<4 {
                XCTAssertEqual(pixel(reflect, 0, y, i, 0), pixel(x, 0, y - 1, i, 0), accuracy: 1e-6)
                XCTAssertEqual(pixel(constant, 0, y, i, 0), pixel(x, 0, y - 1, i, 0), accuracy: 1e-6)
            }
        }
        // Wrap reads the bottom row back in at the top.
        let wrap = RandomTranslation(heightFactor: [0.25, 0.25], widthFactor: 0.0, fillMode: .wrap)(x, training: true)
        for i in 0..<4 { XCTAssertEqual(pixel(wrap, 0, 0, i, 0), pixel(x, 0, 3, i, 0), accuracy: 1e-6) }
    }

    func testRandomRotationByAQuarterTurnRotatesTheImage() {
        let x = images([2, 4, 4, 3])
        let rotated = RandomRotation(factor: [0.25, 0.25])(x, training: true)
        // 90° about the centre: output (y, x) reads input (row x, column 3 − y).
        for b in 0..<2 { for y in 0..<4 { for i in 0..<4 { for c in 0..<3 {
            XCTAssertEqual(pixel(rotated, b, y, i, c), pixel(x, b, i, 3 - y, c), accuracy: 1e-5)
        } } } }
    }

    func testRandomZoomScalesAboutTheCentre() {
        let x = images([1, 5, 5, 1])
        // Factor −0.5 zooms in twice: output column i reads input column 0.5·i + 1.
        let zoomed = RandomZoom(heightFactor: [-0.5, -0.5], interpolation: .bilinear)(x, training: true)
        XCTAssertEqual(pixel(zoomed, 0, 2, 2, 0), pixel(x, 0, 2, 2, 0), accuracy: 1e-6, "the centre stays")
        XCTAssertEqual(pixel(zoomed, 0, 0, 0, 0), pixel(x, 0, 1, 1, 0), accuracy: 1e-6)
        XCTAssertEqual(pixel(zoomed, 0, 4, 4, 0), pixel(x, 0, 3, 3, 0), accuracy: 1e-6)
        let between = (pixel(x, 0, 2, 1, 0) + pixel(x, 0, 2, 2, 0)) / 2
        XCTAssertEqual(pixel(zoomed, 0, 2, 1, 0), between, accuracy: 1e-6, "half-way columns interpolate")
    }

    func testRandomContrastSpreadsChannelsAboutTheirMeanByOneFactorPerImage() {
        let x = images([6, 4, 4, 3], low: 100, high: 150)
        let output = RandomContrast(factor: 0.5, seed: 3)(x, training: true)
        let inMean = x.mean(axes: [1, 2], keepDims: true), outMean = output.mean(axes: [1, 2], keepDims: true)
        assertClose(outMean, inMean, tolerance: 1e-3, "channel means")
        var factors: Set<Int> = []
        for b in 0..<6 {
            // The factor read off the value farthest from its channel mean, then checked on all.
            var (best, factor): (Float, Float) = (0, 1)
            for y in 0..<4 { for i in 0..<4 { for c in 0..<3 {
                let deviation = pixel(x, b, y, i, c) - pixel(inMean, b, 0, 0, c)
                if abs(deviation) > best { (best, factor) = (abs(deviation), (pixel(output, b, y, i, c) - pixel(outMean, b, 0, 0, c)) / deviation) }
            } } }
            XCTAssertTrue(factor >= 0.5 - 1e-3 && factor <= 1.5 + 1e-3, "factor \(factor) outside [0.5, 1.5]")
            for y in 0..<4 { for i in 0..<4 { for c in 0..<3 {
                let expected = (pixel(x, b, y, i, c) - pixel(inMean, b, 0, 0, c)) * factor + pixel(inMean, b, 0, 0, c)
                XCTAssertEqual(pixel(output, b, y, i, c), expected, accuracy: 1e-3, "one factor per image")
            } } }
            factors.insert(Int(factor * 1000))
        }
        XCTAssertGreaterThan(factors.count, 1, "every image got the same factor")
        let clipped = RandomContrast(factor: [1.0, 1.0], valueRange: [100, 125])(x, training: true)
        XCTAssertTrue(clipped.scalars.allSatisfy { $0 >= 100 && $0 <= 125 }, "values leave value_range")
    }

    func testRandomBrightnessAddsOneDeltaPerImageAndClips() {
        let x = images([6, 3, 3, 2], low: 100, high: 150)
        let output = RandomBrightness(factor: 0.2, seed: 5)(x, training: true)
        for b in 0..<6 {
            let delta = pixel(output, b, 0, 0, 0) - pixel(x, b, 0, 0, 0)
            XCTAssertTrue(abs(delta) <= 0.2 * 255 + 1e-3, "delta \(delta) beyond factor · range")
            for y in 0..<3 { for i in 0..<3 { for c in 0..<2 {
                XCTAssertEqual(pixel(output, b, y, i, c) - pixel(x, b, y, i, c), delta, accuracy: 1e-3)
            } } }
        }
        let clipped = RandomBrightness(factor: [1.0, 1.0], valueRange: [0, 1])(x, training: true)
        XCTAssertTrue(clipped.scalars.allSatisfy { $0 == 1 }, "brightened values are not clipped to value_range")
    }

    func testRandomCropCutsAWindowOfTheInputInTraining() {
        let x = images([2, 6, 5, 1])
        let crop = RandomCrop(height: 3, width: 2, seed: 11)
        let output = crop(x, training: true)
        XCTAssertEqual(output.shape, [2, 3, 2, 1])
        let found = (0...3).contains { top in (0...3).contains { left in
            (0..<2).allSatisfy { b in (0..<3).allSatisfy { y in (0..<2).allSatisfy { i in
                pixel(output, b, y, i, 0) == pixel(x, b, top + y, left + i, 0) } } }
        } }
        XCTAssertTrue(found, "the crop is no window of the input")
        XCTAssertEqual(crop.config["seed"], .int(11))
        XCTAssertNotEqual(RandomCrop(height: 1, width: 1).config["seed"], .null, "a layer without a seed writes the one it drew")
    }

    /// The resampling is linear in the image (zero fill), so the gradient g of ⟨T x, r⟩ must
    /// satisfy ⟨x, g⟩ = ⟨T x, r⟩ for any x: the backward pass is the transpose of the forward.
    func testTheResamplingGradientIsTheTransposeOfTheTransform() {
        let x = images([2, 5, 6, 2], low: -1, high: 1)
        let layers: [() -> Layer] = [
            { RandomRotation(factor: 0.2, fillMode: .constant, seed: 4) },
            { RandomZoom(heightFactor: 0.4, widthFactor: [-0.3, 0.2], fillMode: .reflect, seed: 4) },
            { RandomTranslation(heightFactor: 0.3, widthFactor: 0.3, fillMode: .wrap, interpolation: .nearest, seed: 4) },
            { Resizing(height: 4, width: 9, interpolation: .bilinear) },
        ]
        for make in layers {
            let layer = make()
            let tape = GradientTape()
            var output = Tensor(0)
            var r = Tensor(0)
            let target = tape.record { () -> Tensor in
                tape.watch(x)
                output = layer(x, training: true)
                r = images(output.shape, seed: 9, low: -1, high: 1)
                return (output * r).sum()
            }
            guard let g = tape.gradient(of: target, wrt: [x])[0] else { return XCTFail("\(layer.name): no gradient") }
            XCTAssertEqual((x * g).sum().scalar, target.scalar, accuracy: 1e-4, "\(layer.name): ⟨x, g⟩ ≠ ⟨T x, r⟩")
        }
    }

    func testNormalizationAdaptsOverBatchesAsOverTheWholeData() throws {
        let data = images([12, 3], low: -2, high: 5)
        let whole = Normalization(), batched = Normalization(), fromDataset = Normalization()
        try whole.adapt(data)
        try batched.adapt(batches: [data.slice(begin: [0, 0], size: [5, 3]), data.slice(begin: [5, 0], size: [7, 3])])
        try fromDataset.adapt(Dataset(x: [data], batchSize: 4))
        let mean = data.mean(axes: [0]), variance = data.variance(axes: [0])
        for layer in [whole, batched, fromDataset] {
            assertClose(layer.weights[0].value, mean, tolerance: 1e-5, "adapted mean")
            assertClose(layer.weights[1].value, variance, tolerance: 1e-5, "adapted variance")
            assertClose(layer(data), (data - mean) / variance.sqrt(), tolerance: 1e-5, "normalized data")
        }
        let inverted = Normalization(invert: true)
        try inverted.adapt(data)
        assertClose(inverted(whole(data)), data, tolerance: 1e-4, "invert undoes the normalization")
        XCTAssertThrowsError(try Normalization(mean: 0.0, variance: 1.0).adapt(data), "a layer with given statistics adapted")
        XCTAssertThrowsError(try whole.adapt(images([4, 2])), "adapt accepted data of another width")
    }

    func testNormalizationKeepsTheAxesItIsGiven() throws {
        let data = images([4, 2, 3], low: -1, high: 3)
        let perPosition = Normalization(axis: [1, 2]), overall = Normalization(axis: [])
        try perPosition.adapt(data)
        try overall.adapt(data)
        XCTAssertEqual(perPosition.weights[0].shape, [2, 3])
        XCTAssertEqual(overall.weights[0].shape, [])
        assertClose(perPosition(data), (data - data.mean(axes: [0])) / data.variance(axes: [0]).sqrt(), "per position")
        assertClose(overall(data), (data - data.mean()) / data.variance().sqrt(), "one statistic")
        // Given statistics broadcast along the last kept axes, as Keras reshapes them.
        let given = Normalization(axis: [1, 2], mean: [1.0, 2.0, 3.0], variance: [4.0, 4.0, 4.0])
        let expected = (data - Tensor(shape: [1, 1, 3], scalars: [1, 2, 3])) / 2
        assertClose(given(data), expected, "given statistics")
        XCTAssertTrue(given.weights.isEmpty, "given statistics are no weights")
    }

    /// An adapted Normalization saves its statistics (the int32 count too) and computes the
    /// same after loading, in both file formats.
    func testAnAdaptedNormalizationSurvivesSaving() throws {
        let data = images([10, 3], low: -4, high: 9)
        let input = Input(shape: [3])
        let normalization = Normalization()
        let model = try Model(inputs: [input], outputs: [try normalization(input)], name: "adapted")
        try normalization.adapt(data)
        let expected = model.forward([data])[0]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-adapted-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for format in ["h5", "keras"] {
            let path = directory.appendingPathComponent("model.\(format)").path
            try model.save(to: path)
            let loaded = try Model.load(from: path)
            assertClose(loaded.forward([data])[0], expected, ".\(format): outputs after loading")
            XCTAssertEqual(loaded.layers.last?.weights.map(\.dtype), [.float32, .float32, .int32], ".\(format)")
        }
    }

    /// What Keras 3.15 writes for the same constructor arguments (the derived factor pairs keep
    /// Python's int or float kind; RandomCrop's drawn seed; Discretization's own key order).
    func testSwiftInitializersWriteWhatKerasWrites() {
        XCTAssertEqual(RandomRotation(factor: 0.2).config["factor"], [-0.2, 0.2])
        XCTAssertEqual(RandomContrast(factor: 0.4).config["factor"]?.serialized(), "[0, 0.4]")
        XCTAssertEqual(RandomBrightness(factor: 0.3).config["factor"], [-0.3, 0.3])
        XCTAssertEqual(RandomBrightness(factor: 0.3, valueRange: [255, 0]).config["value_range"], [0, 255])
        XCTAssertEqual(RandomZoom(heightFactor: 0.3).config["height_factor"], 0.3, "RandomZoom writes the factor as given")
        XCTAssertEqual(RandomCrop(height: 3, width: 3).config.keys,
                       ["name", "trainable", "dtype", "data_format", "height", "width", "seed"])
        XCTAssertEqual(RandomFlip().config.keys, ["name", "trainable", "dtype", "data_format", "seed", "mode"])
        XCTAssertEqual(RandomFlip().config["mode"], "horizontal_and_vertical")
        XCTAssertEqual(Discretization(binBoundaries: [0, 1]).config.keys,
                       ["bin_boundaries", "num_bins", "epsilon", "output_mode", "sparse", "name", "dtype"])
        XCTAssertEqual(CategoryEncoding(numTokens: 3).config.keys, ["name", "trainable", "dtype", "num_tokens", "output_mode"])
        XCTAssertEqual(IntegerLookup(numOOVIndices: 2, vocabulary: [5, 6]).config["vocabulary_size"], 4)
        XCTAssertEqual(Normalization().config["axis"], [-1])
    }

    func testCategoryEncodingCountsWithWeightsPassedAsACallArgument() throws {
        let layer = CategoryEncoding(numTokens: 4, outputMode: .count)
        let ids = Tensor(shape: [2, 3], int32s: [1, 1, 3, 0, 2, 9])
        let weights = Tensor(shape: [2, 3], scalars: [0.5, 2, 1, 3, 4, 5])
        XCTAssertEqual(layer([ids], arguments: CallArguments(["count_weights": .tensor(weights)])).scalars,
                       [0, 2.5, 0, 1, 3, 0, 4, 0])
        XCTAssertEqual(layer(ids).scalars, [0, 2, 0, 1, 1, 0, 1, 0], "ids outside num_tokens count nowhere")
        XCTAssertThrowsError(try layer.checkCallArguments(CallArguments(["mask": .bool(true)]))) { error in
            XCTAssertTrue("\(error)".contains("mask") && "\(error)".contains("count_weights"), "\(error)")
        }
    }
}
