/// Keras builds optimizers and schedules with `cls(**config)`, so a field the class does not take
/// is an error there; Keel makes it one too, naming the field and the closest known one (a typo
/// like `beta1` for `beta_1` would otherwise silently fall back to the default).
enum ConfigFieldCheck {
    static func rejectUnknown(_ reader: ConfigReader, known: [String]) throws {
        for key in reader.object.keys where !known.contains(key) {
            let closest = known.min { editDistance(key, $0) < editDistance(key, $1) } ?? ""
            throw KeelError("\(reader.owner): field '\(key)'", expected: "a known field (did you mean '\(closest)'?)",
                            found: "a field this class does not take")
        }
    }
}
