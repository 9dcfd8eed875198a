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
        try registry.register(DepthwiseConv2D.self)
        try registry.register(SeparableConv2D.self, aliases: ["SeparableConvolution2D"])
        try registry.register(Conv3D.self, aliases: ["Convolution3D"])
        try registry.register(Conv3DTranspose.self, aliases: ["Convolution3DTranspose"])
        try registry.register(MaxPooling3D.self, aliases: ["MaxPool3D"])
        try registry.register(AveragePooling3D.self, aliases: ["AvgPool3D"])
        try registry.register(GlobalMaxPooling3D.self, aliases: ["GlobalMaxPool3D"])
        try registry.register(GlobalAveragePooling3D.self, aliases: ["GlobalAvgPool3D"])
        try registry.register(BatchNormalization.self)
        try registry.register(Concatenate.self)
        try registry.register(Add.self)
        try registry.register(LeakyReLU.self)
        try registry.register(ReLU.self)
        try registry.register(Softmax.self)
        try registry.register(Embedding.self)
        try registry.register(ActivityRegularization.self)
        // Noise and parametric activations (issue 14).
        try registry.register(GaussianNoise.self)
        try registry.register(GaussianDropout.self)
        try registry.register(AlphaDropout.self)
        try registry.register(SpatialDropout1D.self)
        try registry.register(SpatialDropout2D.self)
        try registry.register(SpatialDropout3D.self)
        try registry.register(ELU.self)
        try registry.register(PReLU.self)
    }
}
