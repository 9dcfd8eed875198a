@testable import KeelTensor

/// Naive convolution and pooling over NHWC arrays, written from the TensorFlow/Keras
/// definitions: one loop per index, padding as explicit offsets.
extension Ref {
    /// Output length and the padding before the input. Keras 'same': ceil(n/s) outputs and the
    /// total padding split with the odd pixel at the end (bottom/right).
    static func convPadding(length n: Int, kernel k: Int, stride s: Int, dilation d: Int,
                            same: Bool) -> (output: Int, before: Int) {
        let span = (k - 1) * d + 1
        if !same { return ((n - span) / s + 1, 0) }
        let output = (n + s - 1) / s
        let total = max((output - 1) * s + span - n, 0)
        return (output, total / 2)
    }

    /// y[b, oy, ox, f] = Σ_{ky, kx, c} x[b, oy·s − top + ky·d, ox·s − left + kx·d, c] · K[ky, kx, c, f].
    static func conv2d(_ x: RefArray, _ kernel: RefArray, strides: (Int, Int), dilation: (Int, Int),
                       same: Bool) -> RefArray {
        let (batch, height, width, channels) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (kh, kw, filters) = (kernel.shape[0], kernel.shape[1], kernel.shape[3])
        let rows = convPadding(length: height, kernel: kh, stride: strides.0, dilation: dilation.0, same: same)
        let columns = convPadding(length: width, kernel: kw, stride: strides.1, dilation: dilation.1, same: same)
        var y = RefArray(shape: [batch, rows.output, columns.output, filters],
                         values: [Float](repeating: 0, count: batch * rows.output * columns.output * filters))
        for b in 0..<batch {
            for oy in 0..<rows.output {
                for ox in 0..<columns.output {
                    for f in 0..<filters {
                        var total: Double = 0
                        for ky in 0..<kh {
                            for kx in 0..<kw {
                                let iy = oy * strides.0 - rows.before + ky * dilation.0
                                let ix = ox * strides.1 - columns.before + kx * dilation.1
                                guard iy >= 0, iy < height, ix >= 0, ix < width else { continue }
                                for c in 0..<channels {
                                    total += Double(x[[b, iy, ix, c]]) * Double(kernel[[ky, kx, c, f]])
                                }
                            }
                        }
                        y[[b, oy, ox, f]] = Float(total)
                    }
                }
            }
        }
        return y
    }

    /// Keras's Conv2DTranspose output length (`deconv_output_length`).
    static func transposedLength(_ n: Int, kernel k: Int, stride s: Int, dilation d: Int, same: Bool,
                                 outputPadding: Int?) -> Int {
        let span = (k - 1) * d + 1
        guard let outputPadding else { return same ? n * s : n * s + max(span - s, 0) }
        return (n - 1) * s + span - (same ? 2 * (span / 2) : 0) + outputPadding
    }

    /// Every input pixel scatters x·K into the output. The padding before is the one of the
    /// convolution from the output back to the input: 0 for 'valid'; for 'same', TensorFlow's
    /// split of max((n−1)·s + span − out, 0) with the odd pixel at the end.
    static func conv2dTranspose(_ x: RefArray, _ kernel: RefArray, strides: (Int, Int), dilation: (Int, Int),
                                same: Bool, outputPadding: (Int, Int)?) -> RefArray {
        let (batch, height, width, channels) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (kh, kw, filters) = (kernel.shape[0], kernel.shape[1], kernel.shape[2])
        let outHeight = transposedLength(height, kernel: kh, stride: strides.0, dilation: dilation.0, same: same,
                                         outputPadding: outputPadding?.0)
        let outWidth = transposedLength(width, kernel: kw, stride: strides.1, dilation: dilation.1, same: same,
                                        outputPadding: outputPadding?.1)
        func before(_ n: Int, _ k: Int, _ s: Int, _ d: Int, _ out: Int) -> Int {
            same ? max((n - 1) * s + (k - 1) * d + 1 - out, 0) / 2 : 0
        }
        let top = before(height, kh, strides.0, dilation.0, outHeight)
        let left = before(width, kw, strides.1, dilation.1, outWidth)
        var y = RefArray(shape: [batch, outHeight, outWidth, filters],
                         values: [Float](repeating: 0, count: batch * outHeight * outWidth * filters))
        for b in 0..<batch {
            for iy in 0..<height {
                for ix in 0..<width {
                    for ky in 0..<kh {
                        for kx in 0..<kw {
                            let oy = iy * strides.0 - top + ky * dilation.0
                            let ox = ix * strides.1 - left + kx * dilation.1
                            guard oy >= 0, oy < outHeight, ox >= 0, ox < outWidth else { continue }
                            for f in 0..<filters {
                                for c in 0..<channels {
                                    y[[b, oy, ox, f]] += x[[b, iy, ix, c]] * kernel[[ky, kx, f, c]]
                                }
                            }
                        }
                    }
                }
            }
        }
        return y
    }

    /// Max or average over each window's real pixels (padding never takes part).
    static func pool2d(_ x: RefArray, size: (Int, Int), strides: (Int, Int), same: Bool, max useMax: Bool) -> RefArray {
        let (batch, height, width, channels) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let rows = convPadding(length: height, kernel: size.0, stride: strides.0, dilation: 1, same: same)
        let columns = convPadding(length: width, kernel: size.1, stride: strides.1, dilation: 1, same: same)
        var y = RefArray(shape: [batch, rows.output, columns.output, channels],
                         values: [Float](repeating: 0, count: batch * rows.output * columns.output * channels))
        for b in 0..<batch {
            for oy in 0..<rows.output {
                for ox in 0..<columns.output {
                    for c in 0..<channels {
                        var window: [Float] = []
                        for ky in 0..<size.0 {
                            for kx in 0..<size.1 {
                                let iy = oy * strides.0 - rows.before + ky, ix = ox * strides.1 - columns.before + kx
                                if iy >= 0, iy < height, ix >= 0, ix < width { window.append(x[[b, iy, ix, c]]) }
                            }
                        }
                        y[[b, oy, ox, c]] = useMax ? window.max()! : window.reduce(0, +) / Float(window.count)
                    }
                }
            }
        }
        return y
    }
}
