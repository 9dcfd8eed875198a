/// Registers Keel's layers under their Keras class names, plus the alternative class names Keras
/// exports for the same layers (`MaxPool2D`, `Convolution2D`, ...). `Input` is a function in
/// Keras, not a class: models name the class `InputLayer`.
enum BuiltInLayers {
    static func register(_ registry: Registry<Layer>) throws {
        try registry.register(InputLayer.self)
        try registry.register(Dense.self)
        try registry.register(ActivationLayer.self)
        try registry.register(Dropout.self)
        try registry.register(Flatten.self)
        try registry.register(Reshape.self)
        try registry.register(Conv2D.self, aliases: ["Convolution2D"])
        try registry.register(Conv2DTranspose.self, aliases: ["Convolution2DTranspose"])
        try registry.register(MaxPooling2D.self, aliases: ["MaxPool2D"])
        try registry.register(AveragePooling2D.self, aliases: ["AvgPool2D"])
        try registry.register(GlobalMaxPooling2D.self, aliases: ["GlobalMaxPool2D"])
        try registry.register(GlobalAveragePooling2D.self, aliases: ["GlobalAvgPool2D"])
        try registry.register(BatchNormalization.self)
        try registry.register(Concatenate.self)
        try registry.register(Add.self)
        try registry.register(LeakyReLU.self)
        try registry.register(ReLU.self)
        try registry.register(Softmax.self)
        try registry.register(Embedding.self)
        try registry.register(ActivityRegularization.self)
        // Preprocessing (Sources/Keel/Layers/Preprocessing).
        try registry.register(Rescaling.self)
        try registry.register(Normalization.self)
        try registry.register(Resizing.self)
        try registry.register(CenterCrop.self)
        try registry.register(RandomCrop.self)
        try registry.register(RandomFlip.self)
        try registry.register(RandomRotation.self)
        try registry.register(RandomZoom.self)
        try registry.register(RandomTranslation.self)
        try registry.register(RandomContrast.self)
        try registry.register(RandomBrightness.self)
        try registry.register(CategoryEncoding.self)
        try registry.register(Discretization.self)
        try registry.register(IntegerLookup.self)
    }
}
