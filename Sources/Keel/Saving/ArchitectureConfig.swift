/// The architecture part of a saved model (`model_config`), for the models whose architecture
/// Keras can rebuild from JSON: Sequential and Functional.
enum ArchitectureConfig {
    static func json(of model: Model) throws -> JSONValue {
        guard !model.isSubclassed else {
            throw KeelError("model '\(model.name)' (\(type(of: model)))",
                            expected: "a Sequential or Functional model, whose architecture a file can hold",
                            found: "a subclassed model (save its weights with saveWeights(to:) and rebuild it in code)")
        }
        try checkSavable(model.layers)
        return ModelConfig.config(of: model)
    }

    /// Every layer, nested models' too, must be one a file can describe.
    private static func checkSavable(_ layers: [Layer]) throws {
        for layer in layers {
            if let savable = layer as? ArchitectureSavable { try savable.checkSavable() }
            if let nested = layer as? Model { try checkSavable(nested.layers) }
        }
    }
}

/// A layer that cannot always be written to a model file (a Lambda around an anonymous
/// closure) says why before anything is written.
public protocol ArchitectureSavable {
    func checkSavable() throws
}
