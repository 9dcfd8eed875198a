/// Keras's `VarianceScaling`: values whose variance is `scale / n`, where n is the fan-in, the
/// fan-out or their average (see `Fans`). Glorot, He and LeCun initializers are fixed settings
/// of it (VarianceScalingPresets.swift).
@Component(.plain)
public final class VarianceScaling: Initializer, RandomInitializer {
    public override class var kerasClassName: String { "VarianceScaling" }

    public enum Mode: String, CaseIterable, ConfigRepresentable {
        case fanIn = "fan_in", fanOut = "fan_out", fanAvg = "fan_avg"
    }

    public enum Distribution: String, CaseIterable {
        case truncatedNormal = "truncated_normal", untruncatedNormal = "untruncated_normal", uniform
    }

    /// A preset's fixed choices.
    public typealias Settings = (scale: Double, mode: Mode, distribution: Distribution)

    @Hyper("seed") public var seed: Int? = nil
    @Hyper("scale", .positive) public var scale: Double = 1.0
    @Hyper("mode") public var mode: Mode = .fanIn
    @Hyper("distribution") public var distribution: Distribution = .truncatedNormal
    @Hyper("input_axes", .fansFromShape) public var inputAxes: [Int]? = nil
    @Hyper("output_axes", .fansFromShape) public var outputAxes: [Int]? = nil

    public override func callAsFunction(_ shape: [Int]) -> Tensor {
        VarianceScaling.draw(shape, scale: scale, mode: mode, distribution: distribution, from: generator)
    }

    /// Values of `shape` with variance `scale / n` (n from `mode`), drawn from `generator`.
    static func draw(_ shape: [Int], scale: Double, mode: Mode, distribution: Distribution,
                     from generator: RandomGenerator) -> Tensor {
        let fans = Fans(shape: shape)
        let n: Double
        switch mode {
        case .fanIn: n = max(1, Double(fans.fanIn))
        case .fanOut: n = max(1, Double(fans.fanOut))
        case .fanAvg: n = max(1, Double(fans.fanIn + fans.fanOut) / 2)
        }
        let variance = scale / n
        switch distribution {
        case .truncatedNormal:
            // The standard deviation of a unit normal truncated to ±2σ is 0.8796…; dividing by it
            // gives the truncated values the intended variance.
            return generator.truncatedNormal(shape, stddev: Float(variance.squareRoot() / 0.87962566103423978))
        case .untruncatedNormal:
            return generator.normal(shape, stddev: Float(variance.squareRoot()))
        case .uniform:
            let limit = Float((3 * variance).squareRoot())
            return generator.uniform(shape, low: -limit, high: limit)
        }
    }
}

/// Keras reads the old name "normal" as "truncated_normal".
extension VarianceScaling.Distribution: ConfigRepresentable {
    public init(configValue: JSONValue) throws {
        let choices = Self.allCases.map(\.rawValue).joined(separator: ", ")
        guard let text = configValue.stringValue?.lowercased(),
              let distribution = text == "normal" ? .truncatedNormal : Self(rawValue: text) else {
            throw ConfigMismatch("one of \(choices)")
        }
        self = distribution
    }
}

extension HyperCheck where Value == [Int]? {
    /// Keras 3.15 lets einsum kernels name the axes that count as inputs and outputs; Keel
    /// computes fans from the shape alone, so only null (the shape's own layout) is accepted.
    static var fansFromShape: HyperCheck { .mustBeNull("Keel computes fans from the weight's shape") }
}

/// Keras's `compute_fans`: a vector counts its length both ways, a matrix is (in, out), and a
/// convolution kernel (..., in, out) multiplies both by its receptive field.
public struct Fans: Equatable {
    public let fanIn: Int
    public let fanOut: Int

    public init(shape: [Int]) {
        switch shape.count {
        case 0:
            (fanIn, fanOut) = (1, 1)
        case 1:
            (fanIn, fanOut) = (shape[0], shape[0])
        case 2:
            (fanIn, fanOut) = (shape[0], shape[1])
        default:
            let receptiveField = shape.dropLast(2).reduce(1, *)
            (fanIn, fanOut) = (shape[shape.count - 2] * receptiveField, shape[shape.count - 1] * receptiveField)
        }
    }
}
