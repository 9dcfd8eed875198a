import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Loads plugin libraries into the process (RTLD_NOW, so a missing symbol fails here rather than
/// later; never unloaded, since registries keep their closures) and runs their entry point.
public enum PluginLoader {
    public static let entrySymbol = "keel_plugin_register"

    typealias Entry = @convention(c) (UnsafeMutableRawPointer) -> Int32

    /// Loads `library` as plugin `name`; returns what it registered.
    @discardableResult
    public static func load(_ library: String, name: String) throws -> [String] {
        guard let handle = dlopen(library, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown error"
            throw KeelError("plugin '\(name)' cannot be loaded from \(library): \(reason)")
        }
        guard let symbol = dlsym(handle, entrySymbol) else {
            throw KeelError("plugin '\(name)' (\(library))", expected: "a top-level `public func registerPlugin(_ plugin: PluginRegistrar) throws` "
                                + "in its sources (or its own @_cdecl(\"\(entrySymbol)\") entry point)",
                            found: "neither")
        }
        let entry = unsafeBitCast(symbol, to: Entry.self)
        let registrar = PluginRegistrar(pluginName: name)
        let status = withExtendedLifetime(registrar) {
            entry(Unmanaged.passUnretained(registrar).toOpaque())
        }
        guard status == 0 else {
            throw KeelError("plugin '\(name)' did not register: \(registrar.failure ?? "its entry point returned \(status)")")
        }
        return registrar.registered
    }
}
