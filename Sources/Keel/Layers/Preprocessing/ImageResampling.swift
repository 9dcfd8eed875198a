import Foundation

/// Every geometric change the image preprocessing layers make (resizing, rotation, zoom,
/// translation, flips) computes each output pixel as a weighted sum of a few input pixels plus a
/// weight on a constant fill value. A plan lists those taps; `apply` runs it with differentiable
/// ops (a gather, a product, a sum), so the gradient reaches the input without an op of its own.
struct ImageResampling {
    let batch: Int, inputHeight: Int, inputWidth: Int, outputHeight: Int, outputWidth: Int
    /// Taps per output pixel.
    let taps: Int
    /// Per (image, output pixel, tap): the source pixel `y * inputWidth + x` and its weight.
    var sources: [Int32]
    var weights: [Float]
    /// Per (image, output pixel): the weight of the fill value (taps that fell outside the image).
    var fillWeights: [Float]

    init(batch: Int, inputHeight: Int, inputWidth: Int, outputHeight: Int, outputWidth: Int, taps: Int) {
        self.batch = batch
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
        self.taps = taps
        let pixels = batch * outputHeight * outputWidth
        sources = [Int32](repeating: 0, count: pixels * taps)
        weights = [Float](repeating: 0, count: pixels * taps)
        fillWeights = [Float](repeating: 0, count: pixels)
    }

    /// A channels-last batch (batch, height, width, channels) resampled by the plan.
    func apply(_ images: Tensor, fillValue: Float = 0) -> Tensor {
        let channels = images.shape[3]
        let pixels = batch * outputHeight * outputWidth
        let imageSize = Int32(inputHeight * inputWidth)
        var rows = sources
        for p in 0..<pixels {
            let offset = Int32(p / (outputHeight * outputWidth)) &* imageSize
            for t in 0..<taps { rows[p &* taps &+ t] &+= offset }
        }
        let flat = images.reshaped([batch * inputHeight * inputWidth, channels])
        let gathered = flat.gathering(Tensor(shape: [pixels * taps], int32s: rows))
        let weighted = (gathered * Tensor(shape: [pixels * taps, 1], scalars: weights)).reshaped([pixels, taps, channels])
        var output = weighted.sum(axis: 1)
        if fillValue != 0, fillWeights.contains(where: { $0 != 0 }) {
            output = output + Tensor(shape: [pixels, 1], scalars: fillWeights.map { $0 * fillValue })
        }
        return output.reshaped([batch, outputHeight, outputWidth, channels])
    }
}

/// How `resize` and the affine transforms sample between pixels.
public enum ImageInterpolation: String, CaseIterable, ConfigRepresentable, Sendable {
    case nearest, bilinear
}

/// What an affine transform reads outside the image (Keras's `fill_mode`, as
/// `scipy.ndimage.map_coordinates` modes): `reflect` d c b a | a b c d | d c b a, `wrap`
/// a b c d | a b c d, `nearest` a a a a | a b c d | d d d d, `constant` the fill value.
public enum ImageFillMode: String, CaseIterable, ConfigRepresentable, Sendable {
    case reflect, wrap, constant, nearest

    /// The index inside 0..<size an outside index reads, or nil for the fill value.
    func resolve(_ index: Int, size: Int) -> Int? {
        if index >= 0 && index < size { return index }
        switch self {
        case .constant: return nil
        case .nearest: return Swift.min(Swift.max(index, 0), size - 1)
        case .wrap:
            let r = index % size
            return r < 0 ? r + size : r
        case .reflect:
            // Period 2·size, each period the image then its mirror (edge pixels repeated).
            let period = 2 * size
            var r = index % period
            if r < 0 { r += period }
            return r < size ? r : period - 1 - r
        }
    }
}

extension ImageResampling {
    /// One axis of `jax.image.resize` (half-pixel centres): the taps and weights of output
    /// position `i`. Bilinear taps outside the input are dropped and the rest renormalised, which
    /// repeats the edge pixel; nearest takes floor((i + ½)·in/out).
    /// With `antialias` (bilinear, shrinking only, as jax) the triangle is widened by in/out:
    /// every input within in/out of the sample point weighs 1 − distance·out/in, renormalised.
    static func resizeTaps(at i: Int, input: Int, output count: Int,
                           interpolation: ImageInterpolation, antialias: Bool = false) -> [(Int, Float)] {
        let scale = Double(input) / Double(count)
        switch interpolation {
        case .nearest:
            return [(Swift.min(Int(((Double(i) + 0.5) * scale).rounded(.down)), input - 1), 1)]
        case .bilinear where antialias && scale > 1:
            let sample = (Double(i) + 0.5) * scale - 0.5
            let first = Swift.max(Int((sample - scale).rounded(.down)), 0)
            let last = Swift.min(Int((sample + scale).rounded(.up)), input - 1)
            let candidates = (first...last).map { ($0, Swift.max(0, 1 - abs(sample - Double($0)) / scale)) }.filter { $0.1 > 0 }
            let total = candidates.reduce(0) { $0 + $1.1 }
            guard total > 1000 * Double(Float.ulpOfOne) else { return [(0, 0)] }
            return candidates.map { ($0.0, Float($0.1 / total)) }
        case .bilinear:
            let sample = (Double(i) + 0.5) * scale - 0.5
            let low = Int(sample.rounded(.down))
            let fraction = sample - Double(low)
            let candidates = [(low, 1 - fraction), (low + 1, fraction)].filter { $0.0 >= 0 && $0.0 < input && $0.1 > 0 }
            let total = candidates.reduce(0) { $0 + $1.1 }
            guard total > 0 else { return [(Swift.min(Swift.max(low, 0), input - 1), 1)] }
            return candidates.map { ($0.0, Float($0.1 / total)) }
        }
    }

    /// Every image of the batch resized to (height, width), as `jax.image.resize`.
    static func resize(batch: Int, from size: (Int, Int), to target: (Int, Int),
                       interpolation: ImageInterpolation, antialias: Bool = false) -> ImageResampling {
        let rows = (0..<target.0).map {
            resizeTaps(at: $0, input: size.0, output: target.0, interpolation: interpolation, antialias: antialias)
        }
        let columns = (0..<target.1).map {
            resizeTaps(at: $0, input: size.1, output: target.1, interpolation: interpolation, antialias: antialias)
        }
        // Unused taps keep weight 0 on pixel 0.
        let taps = (rows.map(\.count).max() ?? 1) * (columns.map(\.count).max() ?? 1)
        var plan = ImageResampling(batch: batch, inputHeight: size.0, inputWidth: size.1,
                                   outputHeight: target.0, outputWidth: target.1, taps: taps)
        for b in 0..<batch {
            for y in 0..<target.0 {
                for x in 0..<target.1 {
                    var t = ((b * target.0 + y) * target.1 + x) * taps
                    for (sy, wy) in rows[y] {
                        for (sx, wx) in columns[x] {
                            plan.sources[t] = Int32(sy * size.1 + sx)
                            plan.weights[t] = wy * wx
                            t += 1
                        }
                    }
                }
            }
        }
        return plan
    }

    /// Keras's `affine_transform`: output pixel (x, y) reads the input at
    /// ((a0·x + a1·y + a2)/k, (b0·x + b1·y + b2)/k), k = c0·x + c1·y + 1, one transform of 8
    /// numbers per image; sampling as `map_coordinates` (nearest rounds half to even).
    static func affine(_ transforms: [[Float]], height: Int, width: Int, interpolation: ImageInterpolation,
                       fillMode: ImageFillMode) -> ImageResampling {
        let taps = interpolation == .nearest ? 1 : 4
        var plan = ImageResampling(batch: transforms.count, inputHeight: height, inputWidth: width,
                                   outputHeight: height, outputWidth: width, taps: taps)
        for (b, m) in transforms.enumerated() {
            for y in 0..<height {
                for x in 0..<width {
                    let (fx, fy) = (Float(x), Float(y))
                    let k = m[6] * fx + m[7] * fy + 1
                    let sx = (m[0] * fx + m[1] * fy + m[2]) / k
                    let sy = (m[3] * fx + m[4] * fy + m[5]) / k
                    let pixel = (b * height + y) * width + x
                    // Far outside the image every mode has long repeated (or filled): the clamp
                        // keeps the index conversion finite without changing what is read.
                    let along: (Float) -> [(Int, Float)] = { unclamped in
                        let coordinate = Swift.min(Swift.max(unclamped, -1e7), 1e7)
                        if interpolation == .nearest { return [(Int(coordinate.rounded(.toNearestOrEven)), 1)] }
                        let low = coordinate.rounded(.down)
                        let upper = coordinate - low
                        return [(Int(low), 1 - upper), (Int(low) + 1, upper)]
                    }
                    guard sx.isFinite, sy.isFinite else {
                        plan.fillWeights[pixel] = 1
                        continue
                    }
                    var t = pixel * taps
                    for (iy, wy) in along(sy) {
                        for (ix, wx) in along(sx) {
                            let weight = wy * wx
                            if let ry = fillMode.resolve(iy, size: height), let rx = fillMode.resolve(ix, size: width) {
                                plan.sources[t] = Int32(ry * width + rx)
                                plan.weights[t] = weight
                            } else {
                                plan.fillWeights[pixel] += weight
                            }
                            t += 1
                        }
                    }
                }
            }
        }
        return plan
    }
}

/// Applies a channels-last image op to an image or a batch in either data format: unbatched
/// (rank 3) images get a batch axis of one for the op and lose it after.
func transformingImages(_ input: Tensor, format: DataFormat, _ body: (Tensor) -> Tensor) -> Tensor {
    let batched = input.rank == 3 ? input.expandingDims(at: 0) : input
    let output = format.fromChannelsLast(body(format.toChannelsLast(batched)))
    return input.rank == 3 ? output.squeezed(axes: [0]) : output
}
