extension Layer {
    /// The output shape once the layer's `activation` field has been applied (Activation, Dense,
    /// Conv2D, ...): most functions keep the shape, GLU halves the last axis and refuses an odd
    /// one. Keras traces the call to find the shape; Keel applies the function's shape rule, so
    /// the layers after `Dense(8, activation: "glu")` are built for 4 features.
    func shapeAfterActivation(_ shape: [Int?], inputShapes: [[Int?]]) throws -> [Int?] {
        guard let field = Hyperparameters.declared(in: self).first(where: { $0.key == "activation" }),
              let activation = try? Activation(configValue: field.configValue), let rule = activation.shapeRule
        else { return shape }
        guard let output = rule.outputShape(shape) else {
            throw invalidInput(expected: "\(rule.requirement), for activation '\(activation.name)'", found: inputShapes)
        }
        return output
    }
}
