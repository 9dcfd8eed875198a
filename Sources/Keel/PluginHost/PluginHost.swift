import Foundation

/// Finds, builds and loads plugins: folders of Swift sources under `Experiments/` and `Plugins/`
/// of the package, under each entry of `$KEEL_PLUGIN_PATH` (colon-separated), and any folder
/// given explicitly. One plugin failing is reported and the others still load.
public final class PluginHost {
    public static let shared = PluginHost()

    /// Plugin name → the folder it was loaded from.
    public private(set) var loaded: [String: String] = [:]
    public let builder = PluginBuilder()

    /// A plugin that could not be built or loaded, and why (one sentence plus compiler lines).
    public struct Failure: CustomStringConvertible {
        public let plugin: String
        public let reason: String
        public var description: String { reason }
    }

    /// The folders searched for plugin folders, in order.
    public func searchFolders() -> [String] {
        var folders: [String] = []
        if let root = Engine.packageRoot { folders += ["\(root)/Experiments", "\(root)/Plugins"] }
        let cwd = FileManager.default.currentDirectoryPath
        folders += ["\(cwd)/Experiments", "\(cwd)/Plugins"]
        if let path = ProcessInfo.processInfo.environment["KEEL_PLUGIN_PATH"] {
            folders += path.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        var seen = Set<String>()
        return folders.map { URL(fileURLWithPath: $0).standardizedFileURL.path }.filter { seen.insert($0).inserted }
    }

    /// Whether a folder is itself a plugin (holds Swift sources at its top level).
    public static func isPluginFolder(_ path: String) -> Bool {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return entries.contains { $0.hasSuffix(".swift") }
    }

    /// Every plugin folder found in the search folders (a search folder that is itself a plugin counts as one).
    public func discover() -> [String] {
        var plugins: [String] = []
        for folder in searchFolders() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            if PluginHost.isPluginFolder(folder) { plugins.append(folder); continue }
            let children = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
            for child in children where !child.hasPrefix(".") {
                let path = "\(folder)/\(child)"
                if PluginHost.isPluginFolder(path) { plugins.append(path) }
            }
        }
        return plugins
    }

    /// Builds and loads one plugin folder. Loading the same folder twice is a no-op; a different
    /// folder with an already loaded name is an error naming both.
    @discardableResult
    public func load(folder: String) throws -> [String] {
        let path = URL(fileURLWithPath: folder).standardizedFileURL.path
        let name = PluginBuilder.pluginName(of: path)
        if let existing = loaded[name] {
            if existing == path { return [] }
            throw KeelError("plugin '\(name)' in \(path)", expected: "a name no other plugin uses",
                            found: "plugin '\(name)' already loaded from \(existing)")
        }
        let library = try builder.library(for: path)
        let registered = try PluginLoader.load(library, name: name)
        loaded[name] = path
        return registered
    }

    /// Loads every discovered plugin plus `extraFolders`; returns the failures (the rest loaded).
    @discardableResult
    public func loadAll(extraFolders: [String] = []) -> [Failure] {
        var failures: [Failure] = []
        for folder in discover() + extraFolders {
            do {
                try load(folder: folder)
            } catch {
                failures.append(Failure(plugin: PluginBuilder.pluginName(of: folder), reason: "\(error)"))
            }
        }
        return failures
    }
}
