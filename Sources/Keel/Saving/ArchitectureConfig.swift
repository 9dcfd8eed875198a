/// The architecture part of a saved model (`model_config`), for the models whose architecture
/// Keras can rebuild from JSON: Sequential and Functional.
enum ArchitectureConfig {
    static func json(of model: Model) throws -> JSONValue {
        guard model is Sequential || model.isFunctional else {
            throw KeelError("model '\(model.name)' (\(type(of: model)))",
                            expected: "a Sequential or Functional model, whose architecture a file can hold",
                            found: "a subclassed model (save its weights with saveWeights(to:) and rebuild it in code)")
        }
        return ModelConfig.config(of: model)
    }
}
