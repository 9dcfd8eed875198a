/// A callback whose state must survive an interrupted run for `keel resume` to continue exactly
/// (EarlyStopping's wait and best, ReduceLROnPlateau's counters, CSVLogger's rows, ...).
/// BackupAndRestore stores each one's state in its snapshot — numbers and strings as a JSON
/// attribute, arrays (best weights) as datasets of the given group — and hands it back after the
/// callback's own `onTrainBegin` has reset it.
public protocol ResumableCallback: Callback {
    func saveResumeState(into group: HDF5Group) throws
    func restoreResumeState(from group: HDF5Group) throws
}

extension HDF5Group {
    /// The callback state's scalar part, as JSON in attribute `state`.
    func writeState(_ state: JSONObject) throws {
        try setAttribute("state", JSONValue.object(state).serialized())
    }

    func readState() throws -> JSONObject {
        let text = try attributeString("state")
        guard let object = try JSONValue.parse(text, source: "\(filePath) [\(path)] state").objectValue else {
            throw KeelError("\(filePath) [\(path)] state", expected: "a JSON object", found: String(text.prefix(60)))
        }
        return object
    }
}

extension JSONValue {
    /// A Double that may be absent (null).
    static func optional(_ value: Double?) -> JSONValue { value.map { .double($0) } ?? .null }
}

extension RandomState {
    /// The state as snapshots store it (BackupAndRestore, ExperimentCheckpoint): two integers
    /// holding the seed and counter bit patterns.
    var snapshotFields: JSONObject {
        ["random_seed": .int(Int(Int64(bitPattern: seed))), "random_counter": .int(Int(Int64(bitPattern: counter)))]
    }

    init(snapshot state: ConfigReader) throws {
        self.init(seed: UInt64(bitPattern: Int64(try state.int("random_seed"))),
                  counter: UInt64(bitPattern: Int64(try state.int("random_counter"))))
    }
}
