/// The models of the tutorials Keel's experiments and benchmarks reproduce, built once here so
/// the experiment plugins and `keel bench` train exactly the same architectures.
public enum SeedModels {
    /// Deep Learning with Python's Fashion-MNIST classifier: Dense(512, relu) → Dropout → Dense(10, softmax).
    public static func fashionMLP(units: Int = 512, dropout: Double = 0.5, name: String = "fashion_mlp") throws -> Model {
        let inputs = Input(shape: [784], name: "images")
        var h = try Dense(units: units, activation: "relu")(inputs)
        h = try Dropout(rate: dropout)(h)
        let outputs = try Dense(units: 10, activation: "softmax")(h)
        return try Model(inputs: inputs, outputs: outputs, name: name)
    }

    /// The Keras guide's MLP on logits: 784 → 64 → 64 → 10.
    public static func mnistMLP() throws -> Model {
        let inputs = Input(shape: [784], name: "digits")
        var h = try Dense(units: 64, activation: "relu", name: "dense_1")(inputs)
        h = try Dense(units: 64, activation: "relu", name: "dense_2")(h)
        return try Model(inputs: inputs, outputs: Dense(units: 10, name: "predictions")(h))
    }

    /// The Keras guide's GAN discriminator (fixtures summary/dcgan_discriminator.txt at width 128).
    public static func dcganDiscriminator(width: Int = 128) throws -> Sequential {
        try Sequential([
            InputLayer(batchShape: [nil, 28, 28, 1]),
            Conv2D(filters: width / 2, kernelSize: [3, 3], strides: [2, 2], padding: .same),
            LeakyReLU(negativeSlope: 0.2),
            Conv2D(filters: width, kernelSize: [3, 3], strides: [2, 2], padding: .same),
            LeakyReLU(negativeSlope: 0.2),
            GlobalMaxPooling2D(),
            Dense(units: 1),
        ], name: "discriminator")
    }

    /// The Keras guide's GAN generator (fixtures summary/dcgan_generator.txt at latent 128, width 128).
    public static func dcganGenerator(latentDim: Int = 128, width: Int = 128) throws -> Sequential {
        try Sequential([
            InputLayer(batchShape: [nil, latentDim]),
            Dense(units: 7 * 7 * width),
            LeakyReLU(negativeSlope: 0.2),
            Reshape(targetShape: [7, 7, width]),
            Conv2DTranspose(filters: width, kernelSize: [4, 4], strides: [2, 2], padding: .same),
            LeakyReLU(negativeSlope: 0.2),
            Conv2DTranspose(filters: width, kernelSize: [4, 4], strides: [2, 2], padding: .same),
            LeakyReLU(negativeSlope: 0.2),
            Conv2D(filters: 1, kernelSize: [7, 7], padding: .same, activation: "sigmoid"),
        ], name: "generator")
    }

    /// PyImageSearch's VGG-like CNN with BatchNormalization (seed 004).
    /// `augmentation`: layers placed right after the input (random transforms that act in
    /// training only).
    public static func vggCNN(classes: Int = 10, augmentation: [Layer] = []) throws -> Sequential {
        func block(_ filters: Int) -> [Layer] {
            [Conv2D(filters: filters, kernelSize: [3, 3], padding: .same), ActivationLayer(activation: "relu"), BatchNormalization()]
        }
        var layers: [Layer] = [InputLayer(batchShape: [nil, 28, 28, 1])] + augmentation
        layers += block(16) + [MaxPooling2D(poolSize: [2, 2])]
        layers += block(32) + block(32) + [MaxPooling2D(poolSize: [2, 2])]
        layers += block(64) + block(64) + block(64) + [MaxPooling2D(poolSize: [2, 2])]
        layers += [Flatten(), Dense(units: 256), ActivationLayer(activation: "relu"), BatchNormalization(), Dropout(rate: 0.5),
                   Dense(units: classes), ActivationLayer(activation: "softmax")]
        return try Sequential(layers, name: "vgg_cnn")
    }
}
