import Foundation

/// Finds, builds and loads plugins: folders of Swift sources under `Experiments/` and `Plugins/`
/// of the package, under each entry of `$KEEL_PLUGIN_PATH` (colon-separated), and any folder
/// given explicitly. One plugin failing is reported and the others still load. A folder may be
/// a symlink, also to a place outside the package.
public final class PluginHost {
    public static let shared = PluginHost()

    /// Plugin name → the folder it was loaded from (symlinks resolved).
    public private(set) var loaded: [String: String] = [:]
    /// Folder (symlinks resolved) → what its plugin registered ("experiment fashion-mlp", ...).
    private var registeredBy: [String: [String]] = [:]
    public let builder = PluginBuilder()
    /// The folders the last `loadAll` searched and the plugins it could not load; an unknown
    /// component name is reported with them, so a missing plugin says where Keel looked.
    public private(set) var searched: [String] = []
    public private(set) var failures: [Failure] = []
    private var namedByUser: Set<String> = []

    init() {
        Registries.unknownNameNote = { [unowned self] in self.searchNote }
    }

    /// A plugin that could not be built or loaded, and why (one sentence plus compiler lines).
    public struct Failure: CustomStringConvertible {
        public let plugin: String
        public let reason: String
        public var description: String { reason }
    }

    /// The folders searched for plugin folders, in order: the package's, the working
    /// directory's, `$KEEL_PLUGIN_PATH`'s entries, then `extra` (`--plugin`).
    public func searchFolders(extra: [String] = []) -> [String] {
        var seen = Set<String>()
        return (defaultFolders() + userFolders(extra: extra)).filter { seen.insert(PluginBuilder.resolvingSymlinks($0)).inserted }
    }

    private func defaultFolders() -> [String] {
        var folders: [String] = []
        if let root = Engine.packageRoot { folders += ["\(root)/Experiments", "\(root)/Plugins"] }
        let cwd = FileManager.default.currentDirectoryPath
        return (folders + ["\(cwd)/Experiments", "\(cwd)/Plugins"]).map(PluginHost.standardized)
    }

    /// The folders a user named: `$KEEL_PLUGIN_PATH`'s entries and `extra`.
    private func userFolders(extra: [String]) -> [String] {
        let path = ProcessInfo.processInfo.environment["KEEL_PLUGIN_PATH"] ?? ""
        return (path.split(separator: ":").map(String.init) + extra).filter { !$0.isEmpty }.map(PluginHost.standardized)
    }

    static func standardized(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    /// Whether a folder is itself a plugin (holds Swift sources at its top level).
    public static func isPluginFolder(_ path: String) -> Bool {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return entries.contains { $0.hasSuffix(".swift") }
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false  // follows symlinks
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Every plugin folder found in the search folders (a search folder that is itself a plugin counts as one).
    public func discover(extra: [String] = []) -> [String] {
        var plugins: [String] = []
        for folder in searchFolders(extra: extra) where PluginHost.isDirectory(folder) {
            if PluginHost.isPluginFolder(folder) { plugins.append(folder); continue }
            let children = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
            for child in children where !child.hasPrefix(".") {
                let path = "\(folder)/\(child)"
                if PluginHost.isDirectory(path), PluginHost.isPluginFolder(path) { plugins.append(path) }
            }
        }
        return plugins
    }

    /// Builds and loads one plugin folder and returns what it registered. Loading the same
    /// folder twice (also through a symlink) loads it once and returns the same list; a different
    /// folder with an already loaded name is an error naming both. Without a Swift compiler, a
    /// plugin that needs building throws `SwiftCompilerNotFound`.
    @discardableResult
    public func load(folder: String) throws -> [String] {
        let path = PluginHost.standardized(folder)
        let real = PluginBuilder.resolvingSymlinks(path)
        if let registered = registeredBy[real] { return registered }
        // Named by the folder itself, not by a link to it.
        let name = PluginBuilder.pluginName(of: real)
        if let existing = loaded[name] {
            throw KeelError("plugin '\(name)' in \(path)", expected: "a name no other plugin uses",
                            found: "plugin '\(name)' already loaded from \(existing)")
        }
        let library = try builder.library(for: path)
        let registered = try PluginLoader.load(library, name: name)
        loaded[name] = real
        registeredBy[real] = registered
        return registered
    }

    /// Loads every discovered plugin, searching `extraFolders` too (each a plugin folder or a
    /// folder of them, as `$KEEL_PLUGIN_PATH`'s entries); returns the failures (the rest loaded).
    /// Plugins that cannot be built for want of a compiler are one failure, not one each.
    @discardableResult
    public func loadAll(extraFolders: [String] = []) -> [Failure] {
        var failures: [Failure] = []
        var unbuilt: [String] = [], compilerMissing: SwiftCompilerNotFound?
        for folder in discover(extra: extraFolders) {
            let name = PluginBuilder.pluginName(of: PluginBuilder.resolvingSymlinks(folder))
            do {
                try load(folder: folder)
            } catch let missing as SwiftCompilerNotFound {
                unbuilt.append(name)
                compilerMissing = missing
            } catch {
                failures.append(Failure(plugin: name, reason: "\(error)"))
            }
        }
        if let compilerMissing {
            let plugins = unbuilt.count == 1 ? "plugin '\(unbuilt[0])' is" : "plugins \(unbuilt.joined(separator: ", ")) are"
            failures.append(Failure(plugin: unbuilt.joined(separator: ", "), reason: "\(plugins) not loaded: \(compilerMissing)"))
        }
        searched = searchFolders(extra: extraFolders)
        namedByUser = Set(userFolders(extra: extraFolders))
        self.failures = failures
        return failures
    }

    /// "plugin folders searched: …; not loaded: …", or nil before any search.
    var searchNote: String? {
        guard !searched.isEmpty else { return nil }
        // The default folders that do not exist are noise; a folder the user named that does not is news.
        let folders = searched.compactMap { folder in
            PluginHost.isDirectory(folder) ? folder : namedByUser.contains(folder) ? "\(folder) (no such directory)" : nil
        }
        var note = "plugin folders searched: \(folders.joined(separator: ", "))"
        if !failures.isEmpty { note += "; not loaded: \(failures.map(\.plugin).joined(separator: ", "))" }
        return note
    }
}
