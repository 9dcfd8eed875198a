extension DataFormat {
    /// The axes of a 5-D volume batch in this format, for messages (Conv3D, the 3-D poolings).
    var volumeAxesDescription: String {
        self == .channelsLast ? "(batch, depth, height, width, channels)" : "(batch, channels, depth, height, width)"
    }
}
