/// Typed access to a component's Keras config, with errors that name the component, the field,
/// what was expected and what was found.
public struct ConfigReader {
    public let owner: String
    public let object: JSONObject

    public init(_ object: JSONObject, owner: String) {
        self.object = object
        self.owner = owner
    }

    private func wrong(_ key: String, _ expected: String, _ found: JSONValue?) -> KeelError {
        KeelError("\(owner): field '\(key)'", expected: expected, found: found.map { $0.summary } ?? "no such field")
    }

    public func has(_ key: String) -> Bool { object[key] != nil }

    /// The raw value, or nil when absent or null.
    public func value(_ key: String) -> JSONValue? {
        guard let v = object[key], !v.isNull else { return nil }
        return v
    }

    public func int(_ key: String, default fallback: Int? = nil) throws -> Int {
        guard let raw = object[key], !raw.isNull else {
            if let fallback { return fallback }
            throw wrong(key, "an integer", object[key])
        }
        guard let v = raw.intValue else { throw wrong(key, "an integer", raw) }
        return v
    }

    /// A size or count: an integer in 1...maximum (a file's config must not ask for a tensor
    /// larger than memory).
    public func positiveInt(_ key: String, maximum: Int = 1 << 28, default fallback: Int? = nil) throws -> Int {
        let v = try int(key, default: fallback)
        guard v >= 1 && v <= maximum else { throw wrong(key, "an integer from 1 to \(maximum)", object[key]) }
        return v
    }

    public func optionalInt(_ key: String) throws -> Int? {
        guard let raw = value(key) else { return nil }
        guard let v = raw.intValue else { throw wrong(key, "an integer or null", raw) }
        return v
    }

    public func double(_ key: String, default fallback: Double? = nil) throws -> Double {
        guard let raw = value(key) else {
            if let fallback { return fallback }
            throw wrong(key, "a number", object[key])
        }
        guard let v = raw.doubleValue else { throw wrong(key, "a number", raw) }
        return v
    }

    public func optionalDouble(_ key: String) throws -> Double? {
        guard let raw = value(key) else { return nil }
        guard let v = raw.doubleValue else { throw wrong(key, "a number or null", raw) }
        return v
    }

    public func float(_ key: String, default fallback: Float? = nil) throws -> Float {
        Float(try double(key, default: fallback.map(Double.init)))
    }

    public func optionalFloat(_ key: String) throws -> Float? { try optionalDouble(key).map(Float.init) }

    public func bool(_ key: String, default fallback: Bool? = nil) throws -> Bool {
        guard let raw = value(key) else {
            if let fallback { return fallback }
            throw wrong(key, "true or false", object[key])
        }
        guard let v = raw.boolValue else { throw wrong(key, "true or false", raw) }
        return v
    }

    public func string(_ key: String, default fallback: String? = nil) throws -> String {
        guard let raw = value(key) else {
            if let fallback { return fallback }
            throw wrong(key, "a string", object[key])
        }
        guard let v = raw.stringValue else { throw wrong(key, "a string", raw) }
        return v
    }

    public func optionalString(_ key: String) throws -> String? {
        guard let raw = value(key) else { return nil }
        guard let v = raw.stringValue else { throw wrong(key, "a string or null", raw) }
        return v
    }

    /// One of `choices` (compared case-insensitively, as Keras lowercases padding and modes).
    public func choice(_ key: String, _ choices: [String], default fallback: String? = nil) throws -> String {
        let v = try string(key, default: fallback).lowercased()
        guard choices.contains(v) else { throw wrong(key, "one of \(choices.joined(separator: ", "))", object[key]) }
        return v
    }

    /// A list of integers; a single integer n also reads as [n, n, ...] of `broadcastTo` length
    /// (Keras accepts `kernel_size=3` for (3, 3)).
    public func ints(_ key: String, count broadcastTo: Int? = nil, default fallback: [Int]? = nil) throws -> [Int] {
        guard let raw = value(key) else {
            if let fallback { return fallback }
            throw wrong(key, "a list of integers", object[key])
        }
        if let n = raw.intValue, let broadcastTo { return Array(repeating: n, count: broadcastTo) }
        guard let items = raw.arrayValue else { throw wrong(key, "a list of integers", raw) }
        let values = items.compactMap(\.intValue)
        guard values.count == items.count, broadcastTo.map({ $0 == values.count }) ?? true else {
            throw wrong(key, broadcastTo.map { "a list of \($0) integers" } ?? "a list of integers", raw)
        }
        return values
    }

    /// A list of integers where null stands for an unknown dimension (shapes).
    public func optionalInts(_ key: String) throws -> [Int?]? {
        guard let raw = value(key) else { return nil }
        guard let items = raw.arrayValue else { throw wrong(key, "a list of integers or nulls", raw) }
        return try items.map { item in
            if item.isNull { return nil }
            guard let v = item.intValue else { throw wrong(key, "a list of integers or nulls", raw) }
            return v
        }
    }

    public func doubles(_ key: String) throws -> [Double] {
        guard let raw = value(key), let items = raw.arrayValue else { throw wrong(key, "a list of numbers", object[key]) }
        let values = items.compactMap(\.doubleValue)
        guard values.count == items.count else { throw wrong(key, "a list of numbers", raw) }
        return values
    }

    public func object(_ key: String) throws -> JSONObject {
        guard let raw = value(key), let v = raw.objectValue else { throw wrong(key, "an object", object[key]) }
        return v
    }
}
