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
