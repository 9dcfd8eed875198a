/// Registers Keel's layers under their Keras class names, plus the alternative class names Keras
/// exports for the same layers (`MaxPool2D`, `Convolution2D`, ...). `Input` is a function in
/// Keras, not a class: models name the class `InputLayer`.
enum BuiltInLayers {
    static func register(_ registry: Registry<Layer>) throws {
        let factories: [(String, [String], (JSONObject) throws -> Layer)] = [
            ("InputLayer", [], { try InputLayer(config: $0) }),
            ("Dense", [], { try Dense(config: $0) }),
            ("Activation", [], { try ActivationLayer(config: $0) }),
            ("Dropout", [], { try Dropout(config: $0) }),
            ("Flatten", [], { try Flatten(config: $0) }),
            ("Reshape", [], { try Reshape(config: $0) }),
            ("Conv2D", ["Convolution2D"], { try Conv2D(config: $0) }),
            ("Conv2DTranspose", ["Convolution2DTranspose"], { try Conv2DTranspose(config: $0) }),
            ("MaxPooling2D", ["MaxPool2D"], { try MaxPooling2D(config: $0) }),
            ("AveragePooling2D", ["AvgPool2D"], { try AveragePooling2D(config: $0) }),
            ("GlobalMaxPooling2D", ["GlobalMaxPool2D"], { try GlobalMaxPooling2D(config: $0) }),
            ("GlobalAveragePooling2D", ["GlobalAvgPool2D"], { try GlobalAveragePooling2D(config: $0) }),
            ("BatchNormalization", [], { try BatchNormalization(config: $0) }),
            ("Concatenate", [], { try Concatenate(config: $0) }),
            ("Add", [], { try Add(config: $0) }),
            ("LeakyReLU", [], { try LeakyReLU(config: $0) }),
            ("ReLU", [], { try ReLU(config: $0) }),
            ("Softmax", [], { try Softmax(config: $0) }),
            ("Embedding", [], { try Embedding(config: $0) }),
            ("ActivityRegularization", [], { try ActivityRegularization(config: $0) }),
        ]
        for (className, aliases, make) in factories {
            try registry.register(className, aliases: aliases, make: make)
        }
    }
}
