/// Where image layers find the channels (Keras's `data_format`). Keel's kernels work on
/// channels-last tensors, so channels-first inputs are transposed in and the results back out.
public enum DataFormat: String, CaseIterable, Sendable {
    case channelsLast = "channels_last"
    case channelsFirst = "channels_first"

    /// The axis that holds the channels in a tensor of this rank.
    public func channelAxis(rank: Int) -> Int { self == .channelsLast ? rank - 1 : 1 }

    /// The spatial axes (all but batch and channels) in a tensor of this rank.
    public func spatialAxes(rank: Int) -> [Int] {
        self == .channelsLast ? Array(1..<(rank - 1)) : Array(2..<rank)
    }

    /// The tensor with its channels last.
    public func toChannelsLast(_ x: Tensor) -> Tensor {
        guard self == .channelsFirst, x.rank > 2 else { return x }
        return x.transposed([0] + Array(2..<x.rank) + [1])
    }

    /// A channels-last tensor put back in this format.
    public func fromChannelsLast(_ x: Tensor) -> Tensor {
        guard self == .channelsFirst, x.rank > 2 else { return x }
        return x.transposed([0, x.rank - 1] + Array(1..<(x.rank - 1)))
    }
}

/// Null reads as channels-last: Keras resolves `data_format=None` to its image data format.
extension DataFormat: ConfigRepresentable {
    public init(configValue: JSONValue) throws {
        guard !configValue.isNull else { self = .channelsLast; return }
        guard let text = configValue.stringValue, let format = DataFormat(rawValue: text.lowercased()) else {
            throw ConfigMismatch("one of \(DataFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = format
    }
}

extension DataFormat {
    /// The axes of a 4-D image batch in this format, for messages.
    var imageLayout: String {
        self == .channelsLast ? "(batch, height, width, channels)" : "(batch, channels, height, width)"
    }

    /// A 4-D image batch's shape in this format.
    func imageShape(batch: Int?, spatial: [Int?], channels: Int?) -> [Int?] {
        self == .channelsLast ? [batch] + spatial + [channels] : [batch, channels] + spatial
    }
}
