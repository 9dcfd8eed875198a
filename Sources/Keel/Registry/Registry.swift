import Foundation

/// A component Keel can rebuild from a Keras config: it names its Keras class and gives its
/// `get_config()` dictionary.
public protocol KerasSerializable {
    /// The Keras class name, e.g. "Dense", "Adam", "SparseCategoricalCrossentropy".
    static var kerasClassName: String { get }
    /// What Keras's `get_config()` returns for this object.
    var config: JSONObject { get }
}

/// A component class a registry can build from its Keras config: its family base class gives
/// `init(config:)` from the class's `@Hyper` declarations.
public protocol ConfigConstructible: AnyObject, KerasSerializable {
    init(config: JSONObject) throws
}

/// One registry per kind of component (layers, losses, ...). Keyed by the Keras class name and
/// its string aliases (`"Adam"`, `"adam"`); plugins add to it at load time.
public final class Registry<Component>: @unchecked Sendable {
    public typealias Factory = (JSONObject) throws -> Component

    public struct Entry {
        public let className: String
        public let aliases: [String]
        /// Who registered it: "Keel" for built-ins, the plugin's name otherwise.
        public let origin: String
        public let make: Factory
    }

    public let kind: String
    private var entries: [String: Entry] = [:]
    private var order: [String] = []
    private var types: [String: ConfigConstructible.Type] = [:]
    private let lock = NSLock()

    public init(kind: String) { self.kind = kind }

    /// Adds a component. A name already taken is an error naming both registrants.
    public func register(_ className: String, aliases: [String] = [], origin: String = "Keel",
                         make: @escaping Factory) throws {
        lock.lock()
        defer { lock.unlock() }
        let entry = Entry(className: className, aliases: aliases, origin: origin, make: make)
        for name in [className] + aliases {
            if let existing = entries[name] {
                throw KeelError("\(kind) '\(name)' registered by \(origin)",
                                expected: "a name no other component uses",
                                found: "\(existing.className) registered by \(existing.origin) under that name")
            }
        }
        for name in [className] + aliases { entries[name] = entry }
        order.append(className)
    }

    /// Adds a component class under its Keras class name (written once, by the class) and
    /// `aliases`. The class must be one of this registry's kind.
    public func register<T: ConfigConstructible>(_ type: T.Type, aliases: [String] = [], origin: String = "Keel") throws {
        guard T.self is Component.Type else {
            throw KeelError("\(kind) '\(T.kerasClassName)' registered by \(origin)", expected: "a \(Component.self) subclass",
                            found: "\(T.self)")
        }
        let kind = self.kind
        try register(T.kerasClassName, aliases: aliases, origin: origin) { config in
            guard let made = try T(config: config) as? Component else {
                throw KeelError("\(kind) '\(T.kerasClassName)'", expected: "a \(Component.self)", found: "\(T.self)")
            }
            return made
        }
        lock.lock()
        types[T.kerasClassName] = T.self
        lock.unlock()
    }

    /// The class registered under a name by type (nil for factories registered as closures).
    public func registeredType(named name: String) -> ConfigConstructible.Type? {
        guard let className = entry(named: name)?.className else { return nil }
        lock.lock()
        defer { lock.unlock() }
        return types[className]
    }

    /// The class names registered, in registration order.
    public var classNames: [String] {
        lock.lock()
        defer { lock.unlock() }
        return order
    }

    public func entry(named name: String) -> Entry? {
        lock.lock()
        defer { lock.unlock() }
        return entries[name]
    }

    public func contains(_ name: String) -> Bool { entry(named: name) != nil }

    /// Builds `name` from `config`.
    public func make(_ name: String, config: JSONObject = JSONObject()) throws -> Component {
        guard let entry = entry(named: name) else { throw unknown(name) }
        return try entry.make(config)
    }

    /// Builds from a Keras serialization: `{"class_name", "config", ...}` or a bare string name.
    public func make(from value: JSONValue) throws -> Component {
        switch value {
        case .string(let name):
            return try make(name)
        case .object(let object):
            guard let className = object["class_name"]?.stringValue else {
                throw KeelError("\(kind) config", expected: "an object with a 'class_name' string",
                                found: value.summary)
            }
            let name = object["registered_name"]?.stringValue.flatMap { contains($0) ? $0 : nil } ?? className
            let config = object["config"]?.objectValue ?? JSONObject()
            return try make(name, config: config)
        default:
            throw KeelError("\(kind) config", expected: "a name or a {\"class_name\", \"config\"} object",
                            found: value.summary)
        }
    }

    /// The error for a name nobody registered, listing the closest registered names.
    public func unknown(_ name: String) -> KeelError {
        let candidates: [String] = {
            lock.lock()
            defer { lock.unlock() }
            return Array(entries.keys)
        }()
        let lowered = name.lowercased()
        let scored: [(name: String, distance: Int)] = candidates.map { ($0, editDistance(lowered, $0.lowercased())) }
        let ranked = scored.sorted { a, b in a.distance != b.distance ? a.distance < b.distance : a.name < b.name }
        let near = ranked.prefix(5).map { $0.name }
        let note = Registries.unknownNameNote().map { "; \($0)" } ?? ""
        return KeelError("unknown \(kind) '\(name)'", expected: "a registered \(kind) name",
                         found: "no such name; closest: \(near.joined(separator: ", "))\(note)")
    }
}

/// Levenshtein distance, for "did you mean" lists.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...max(b.count, 1) where j <= b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}

extension KerasSerializable {
    /// `{"module", "class_name", "config", "registered_name"}` as Keras's `serialize_keras_object`.
    public func serialized(module: String) -> JSONValue {
        ["module": .string(module), "class_name": .string(type(of: self).kerasClassName),
         "config": .object(config), "registered_name": .null]
    }
}
