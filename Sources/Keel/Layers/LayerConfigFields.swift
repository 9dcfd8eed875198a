/// Config fields built-in layers share beyond what `@Hyper` declares on its own: the dtype
/// policy every layer config carries, the place of `activity_regularizer` in the classes that
/// list it themselves, and the spatial value types.

/// Keras's convolutions and Embedding list `activity_regularizer` among their own fields (null
/// included) where other layers write it after `dtype` only when set. A class declares this
/// property where Keras's `get_config` puts the key:
///
///     let activityRegularizerField = ActivityRegularizerField()
///
/// The value stays `Layer.activityRegularizer` (the base reads it from configs); this only
/// gives the key its place. When the regularizer is set, the base has already written it after
/// `dtype`, and the key keeps that place, as Python's `{**base_config, **config}` keeps it.
public final class ActivityRegularizerField: DeclaredHyperparameter {
    public let key = "activity_regularizer"
    public let isWritten = true
    private weak var layer: Layer?

    public init() {}

    /// Connects the fields a layer declares to the layer (called by the base initialisers).
    static func bind(in layer: Layer) {
        for case let field as ActivityRegularizerField in Hyperparameters.declared(in: layer) { field.layer = layer }
    }

    public func read(_ value: JSONValue?, owner: String) throws {}
    public func check(owner: String) throws {}
    public var configValue: JSONValue { layer?.activityRegularizer?.serialized() ?? .null }
}

/// The `dtype` of a layer config: Keel computes in float32, so any float policy (Keras 3's
/// `DTypePolicy` object, tf.keras 2's string, mixed precision) reads as float32.
enum LayerDTypePolicy {
    static func check(_ reader: ConfigReader) throws {
        guard let value = reader.value("dtype") else { return }
        let policyName = value.stringValue ?? value.objectValue?["config"]?.objectValue?["name"]?.stringValue
        let computeName = policyName.map { $0.hasPrefix("mixed_") ? String($0.dropFirst(6)) : $0 }
        guard let computeName, DType.fromKeras(computeName) == .float32, computeName != "bool" else {
            throw KeelError("\(reader.owner): field 'dtype'", expected: "a float dtype policy (Keel layers compute in float32)",
                            found: value.summary)
        }
    }
}

/// "valid" or "same", in any letter case.
extension Padding: CaseIterable, ConfigRepresentable {
    public static var allCases: [Padding] { [.valid, .same] }
}

extension IntTuple where Arity == Two {
    /// The pair as the tensor ops take it.
    public var tuple: (Int, Int) { (values[0], values[1]) }
}
