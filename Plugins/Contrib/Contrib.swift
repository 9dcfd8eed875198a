import Keel

/// Keel's contributed components, loaded as a plugin: the RAdam optimizer, a label-smoothed focal
/// loss.
@_cdecl("keel_plugin_register")
public func keelPluginRegister(_ context: UnsafeMutableRawPointer) -> Int32 {
    keelPluginMain(context, builtAgainst: keelPluginBuildIdentity) { plugin in
        try plugin.addOptimizer(RAdam.self, aliases: ["radam"])
        try plugin.addLoss("LabelSmoothedFocalLoss", aliases: ["label_smoothed_focal_loss"]) {
            try LabelSmoothedFocalLoss(config: $0)
        }
    }
}
