import Keel

/// Keel's contributed components, loaded as a plugin: the RAdam optimizer, a label-smoothed focal
/// loss. The engine calls this when the plugin loads.
public func registerPlugin(_ plugin: PluginRegistrar) throws {
    try plugin.addOptimizer(RAdam.self, aliases: ["radam"])
    try plugin.addLoss(LabelSmoothedFocalLoss.self, aliases: ["label_smoothed_focal_loss"])
}
