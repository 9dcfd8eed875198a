import KeelIO

/// How `imageDatasetFromDirectory` resizes images (Keras's `interpolation` names).
public enum ResizeInterpolation: String, Sendable, CaseIterable {
    case bilinear, nearest
}

/// Image resizing as `tf.image.resize` does it (half-pixel centers, no antialiasing), in float32,
/// so resized pixels match Keras's `image_dataset_from_directory` within rounding.
enum ImageResize {
    /// The decoded image as float32 0–255 of shape [height, width, channels], resized; with
    /// `cropToAspectRatio`, first cropped to the largest centered window of the target's aspect
    /// ratio (Keras's `smart_resize`, whose sizes TensorFlow computes in float32).
    static func resized(_ image: DecodedImage, height: Int, width: Int, interpolation: ResizeInterpolation,
                        cropToAspectRatio: Bool) -> Tensor {
        var top = 0, left = 0, cropHeight = image.height, cropWidth = image.width
        if cropToAspectRatio {
            cropHeight = Int(Float(image.width * height) / Float(width))
            cropHeight = max(min(image.height, cropHeight), 1)
            cropWidth = Int(Float(image.height * width) / Float(height))
            cropWidth = max(min(image.width, cropWidth), 1)
            top = Int(Float(image.height - cropHeight) / 2)
            left = Int(Float(image.width - cropWidth) / 2)
        }
        let window = Window(top: top, left: left, height: cropHeight, width: cropWidth,
                            rowStride: image.width * image.channels, channels: image.channels)
        let output = Tensor(uninitializedShape: [height, width, image.channels])
        image.pixels.withUnsafeBufferPointer { input in
            let out = output.storage.floats
            switch interpolation {
            case .bilinear: bilinear(input, window, into: out, height: height, width: width)
            case .nearest: nearest(input, window, into: out, height: height, width: width)
            }
        }
        return output
    }

    struct Window {
        let top, left, height, width, rowStride, channels: Int
    }

    /// One output coordinate's two source rows or columns and the weight of the second, from
    /// TensorFlow's `compute_interpolation_weights` with its half-pixel scaler.
    private struct Weight {
        let lower, upper: Int
        let lerp: Float
    }

    private static func weights(output: Int, input: Int) -> [Weight] {
        let scale = Float(input) / Float(output)
        return (0..<output).map { index in
            let position = (Float(index) + 0.5) * scale - 0.5
            let floor = position.rounded(.down)
            return Weight(lower: max(Int(floor), 0), upper: min(Int(position.rounded(.up)), input - 1),
                          lerp: position - floor)
        }
    }

    private static func bilinear(_ input: UnsafeBufferPointer<UInt8>, _ window: Window,
                                 into out: UnsafeMutablePointer<Float>, height: Int, width: Int) {
        let rows = weights(output: height, input: window.height)
        let columns = weights(output: width, input: window.width)
        let channels = window.channels
        var target = 0
        for row in rows {
            let upperRow = (window.top &+ row.lower) &* window.rowStride
            let lowerRow = (window.top &+ row.upper) &* window.rowStride
            for column in columns {
                let left = (window.left &+ column.lower) &* channels
                let right = (window.left &+ column.upper) &* channels
                for channel in 0..<channels {
                    let topLeft = Float(input[upperRow &+ left &+ channel])
                    let topRight = Float(input[upperRow &+ right &+ channel])
                    let bottomLeft = Float(input[lowerRow &+ left &+ channel])
                    let bottomRight = Float(input[lowerRow &+ right &+ channel])
                    let upper = topLeft + (topRight - topLeft) * column.lerp
                    let lower = bottomLeft + (bottomRight - bottomLeft) * column.lerp
                    out[target] = upper + (lower - upper) * row.lerp
                    target &+= 1
                }
            }
        }
    }

    /// TensorFlow's `resize_nearest_neighbor` with half-pixel centers: floor((i + 0.5) * scale).
    private static func nearest(_ input: UnsafeBufferPointer<UInt8>, _ window: Window,
                                into out: UnsafeMutablePointer<Float>, height: Int, width: Int) {
        func sources(output: Int, input: Int) -> [Int] {
            let scale = Float(input) / Float(output)
            return (0..<output).map { max(0, min(Int(((Float($0) + 0.5) * scale).rounded(.down)), input - 1)) }
        }
        let rows = sources(output: height, input: window.height)
        let columns = sources(output: width, input: window.width)
        let channels = window.channels
        var target = 0
        for row in rows {
            let rowStart = (window.top &+ row) &* window.rowStride
            for column in columns {
                let source = rowStart &+ (window.left &+ column) &* channels
                for channel in 0..<channels {
                    out[target] = Float(input[source &+ channel])
                    target &+= 1
                }
            }
        }
    }
}
