/// Reading a built-in metric's Keras config (or constructor kwargs): `name` and the ignored
/// `dtype` plus the metric's own fields, read through `reader`. An argument the metric does not
/// take is an error naming it.
struct MetricConfig {
    let reader: ConfigReader
    /// The given name, or nil when absent or null (the metric then uses its default).
    let name: String?

    init(_ object: JSONObject, className: String, ownFields: [String] = []) throws {
        reader = ConfigReader(object, owner: className)
        let accepted = ["name", "dtype"] + ownFields
        if let unknown = object.keys.first(where: { !accepted.contains($0) }) {
            throw KeelError("\(className): field '\(unknown)'",
                            expected: "one of \(accepted.joined(separator: ", "))",
                            found: "an argument \(className) does not take")
        }
        name = try reader.optionalString("name")
        if let dtype = reader.value("dtype") {
            // Keras writes a dtype as a string or as a serialized DTypePolicy.
            let policyName = dtype.stringValue ?? dtype.objectValue?["config"]?.objectValue?["name"]?.stringValue
            guard policyName == "float32" else {
                throw KeelError("\(className): field 'dtype'", expected: "float32 (Keel's metrics compute in float32)",
                                found: dtype.summary)
            }
        }
    }
}

extension Metric {
    /// The base config (`name`, `dtype`) plus the metric's own fields, in Keras's key order.
    func config(adding fields: KeyValuePairs<String, JSONValue>) -> JSONObject {
        var object = JSONObject()
        object["name"] = .string(name)
        object["dtype"] = "float32"
        for (key, value) in fields { object[key] = value }
        return object
    }
}
