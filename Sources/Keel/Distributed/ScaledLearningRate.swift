extension Distributed {
    /// `rate` times the number of ranks: N ranks with batch B take steps of batch N·B, and the
    /// linear scaling rule (as Horovod's examples apply it) keeps the progress per sample. Pair it
    /// with `LearningRateWarmup` for large jobs.
    public static func scaledLearningRate<Rate: BinaryFloatingPoint>(_ rate: Rate) -> Rate {
        rate * Rate(size)
    }
}
