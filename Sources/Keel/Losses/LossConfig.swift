/// Reading a built-in loss's Keras config (or constructor kwargs): the fields every loss shares
/// (`name`, `reduction`, the ignored `dtype`) plus the loss's own, which the caller reads through
/// `reader`. An argument the loss does not take is an error naming it, as Python's `cls(**config)`.
struct LossConfig {
    let reader: ConfigReader
    let name: String
    let reduction: Reduction
    let reductionIsNull: Bool

    init(_ object: JSONObject, className: String, defaultName: String, ownFields: [String] = []) throws {
        reader = ConfigReader(object, owner: className)
        let accepted = ["name", "reduction", "dtype"] + ownFields
        if let unknown = object.keys.first(where: { !accepted.contains($0) }) {
            throw KeelError("\(className): field '\(unknown)'",
                            expected: "one of \(accepted.joined(separator: ", "))",
                            found: "an argument \(className) does not take")
        }
        name = try reader.string("name", default: defaultName)
        // Absent means Keras's default; an explicit null is Keras's `reduction=None`.
        if let given = object["reduction"] {
            reduction = try Reduction(config: given, owner: className)
            reductionIsNull = given.isNull
        } else {
            reduction = .sumOverBatchSize
            reductionIsNull = false
        }
    }
}

extension Loss {
    /// The base config plus the loss's own fields, in Keras's key order.
    func config(adding fields: KeyValuePairs<String, JSONValue>) -> JSONObject {
        var object = JSONObject()
        object["name"] = .string(name)
        object["reduction"] = reductionIsNull ? .null : .string(reduction.rawValue)
        for (key, value) in fields { object[key] = value }
        return object
    }
}
