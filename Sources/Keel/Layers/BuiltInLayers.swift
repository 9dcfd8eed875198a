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
        // Reshaping, merging and core layers (issue 14).
        try registry.register(UpSampling2D.self)
        try registry.register(UpSampling3D.self)
        try registry.register(ZeroPadding2D.self)
        try registry.register(ZeroPadding3D.self)
        try registry.register(Cropping2D.self)
        try registry.register(Cropping3D.self)
        try registry.register(Multiply.self)
        try registry.register(Subtract.self)
        try registry.register(Average.self)
        try registry.register(Maximum.self)
        try registry.register(Minimum.self)
        try registry.register(Dot.self)
        try registry.register(IdentityLayer.self)
        try registry.register(EinsumDense.self)
        try registry.register(Lambda.self)
    }
}
