/// Keras's `VarianceScaling`: values whose variance is `scale / n`, where n is the fan-in, the
/// fan-out or their average (see `Fans`). Glorot, He and LeCun initializers are fixed settings
/// of it (VarianceScalingPresets.swift).
open class VarianceScaling: RandomInitializer {
    open override class var kerasClassName: String { "VarianceScaling" }

    public enum Mode: String, CaseIterable {
        case fanIn = "fan_in", fanOut = "fan_out", fanAvg = "fan_avg"
    }

    public enum Distribution: String, CaseIterable {
        case truncatedNormal = "truncated_normal", untruncatedNormal = "untruncated_normal", uniform
    }

    public let scale: Double
    public let mode: Mode
    public let distribution: Distribution

    public init(scale: Double = 1, mode: Mode = .fanIn, distribution: Distribution = .truncatedNormal, seed: Int? = nil) {
        precondition(scale > 0, "VarianceScaling: scale must be positive, got \(scale)")
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        super.init(seed: seed)
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "VarianceScaling initializer")
        let scale = try reader.double("scale", default: 1)
        guard scale > 0 else {
            throw KeelError("VarianceScaling initializer: field 'scale'", expected: "a positive number", found: "\(scale)")
        }
        let mode = Mode(rawValue: try reader.choice("mode", Mode.allCases.map(\.rawValue), default: "fan_in"))!
        // Keras reads the old name "normal" as "truncated_normal".
        var distributionName = try reader.string("distribution", default: "truncated_normal").lowercased()
        if distributionName == "normal" { distributionName = "truncated_normal" }
        guard let distribution = Distribution(rawValue: distributionName) else {
            throw KeelError("VarianceScaling initializer: field 'distribution'",
                            expected: "one of \(Distribution.allCases.map(\.rawValue).joined(separator: ", "))",
                            found: distributionName)
        }
        try Self.requireDefaultAxes(reader)
        self.init(scale: scale, mode: mode, distribution: distribution, seed: try RandomInitializer.seed(from: reader))
    }

    /// Keras 3.15 lets einsum kernels name the axes that count as inputs and outputs; Keel
    /// computes fans from the shape alone, so only null (the shape's own layout) is accepted.
    static func requireDefaultAxes(_ reader: ConfigReader) throws {
        for key in ["input_axes", "output_axes"] {
            if let value = reader.value(key) {
                throw KeelError("\(reader.owner): field '\(key)'",
                                expected: "null (Keel computes fans from the weight's shape)", found: value.summary)
            }
        }
    }

    public override func callAsFunction(_ shape: [Int]) -> Tensor {
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

    open override var config: JSONObject {
        var object = super.config
        object["scale"] = .double(scale)
        object["mode"] = .string(mode.rawValue)
        object["distribution"] = .string(distribution.rawValue)
        object["input_axes"] = .null
        object["output_axes"] = .null
        return object
    }
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
