import Foundation

/// What Keras's TensorBoard callback writes for the Embedding Projector with `embeddings_freq`:
/// `projector_config.pbtxt` in the log folder naming each Embedding layer (with its metadata
/// file), and the model's weights every `embeddings_freq` epochs.
enum TensorBoardProjector {
    /// `metadata`: one file name for every Embedding layer, or an object of layer name → file;
    /// a name that is no Embedding layer of the model is an error, as in Keras.
    static func writeConfig(for model: Model, metadata: JSONValue?, in logDirectory: String) throws {
        var perLayer = metadata?.objectValue
        if let metadata, !metadata.isNull, metadata.stringValue == nil, perLayer == nil {
            throw KeelError("TensorBoard embeddings_metadata", expected: "a file name or an object of layer name → file name",
                            found: metadata.serialized())
        }
        var text = ""
        for layer in model.layers where layer is Embedding {
            text += "embeddings {\n"
            // Keras names the first layer's weights whatever layer it is (its comment: embeddings come first).
            text += "  tensor_name: \(quoted("layer_with_weights-0/embeddings/.ATTRIBUTES/VARIABLE_VALUE"))\n"
            if let file = metadata?.stringValue {
                text += "  metadata_path: \(quoted(file))\n"
            } else if let file = perLayer?[layer.name] {
                perLayer?[layer.name] = nil
                guard let name = file.stringValue else {
                    throw KeelError("TensorBoard embeddings_metadata['\(layer.name)']", expected: "a file name", found: file.serialized())
                }
                text += "  metadata_path: \(quoted(name))\n"
            }
            text += "}\n"
        }
        if let left = perLayer, !left.isEmpty {
            throw KeelError("TensorBoard embeddings_metadata", expected: "names of the model's Embedding layers",
                            found: "unknown \(left.keys.sorted().joined(separator: ", "))")
        }
        try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        try AtomicFile.write(Array(text.utf8), to: URL(fileURLWithPath: logDirectory).appendingPathComponent("projector_config.pbtxt").path)
    }

    static func saveWeights(of model: Model, epoch: Int, trainDirectory: String) throws {
        try FileManager.default.createDirectory(atPath: trainDirectory, withIntermediateDirectories: true)
        try model.saveWeights(to: URL(fileURLWithPath: trainDirectory).appendingPathComponent("keras_embedding.ckpt-\(epoch).weights.h5").path)
    }

    /// A protobuf text-format string.
    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
