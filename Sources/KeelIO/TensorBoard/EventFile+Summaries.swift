import Foundation
internal import SwiftProtobuf

/// One bucket of a TensorBoard histogram: values in [left, right) (the last bucket includes its
/// right edge), and how many there were.
public struct HistogramBucket: Equatable, Sendable {
    public var left: Double
    public var right: Double
    public var count: Double

    public init(left: Double, right: Double, count: Double) {
        self.left = left
        self.right = right
        self.count = count
    }
}

/// The summaries TensorFlow 2's `tf.summary` writes, value for value: each is a tensor with the
/// metadata of the TensorBoard plugin that shows it (so TensorBoard and its `EventAccumulator`
/// read Keel's files exactly as they read Keras's).
extension EventFile {
    /// A float32 scalar of the "scalars" plugin (`tf.summary.scalar`).
    public func writeScalar(tag: String, value: Float, step: Int, wallTime: Date = Date()) throws {
        var tensor = Self.tensor(.dtFloat, shape: [])
        tensor.tensorContent = Self.littleEndian([value])
        try writeSummary(tag: tag, tensor: tensor, plugin: "scalars", step: step, wallTime: wallTime)
    }

    /// A `[buckets, 3]` float64 tensor of (left edge, right edge, count) rows, of the "histograms"
    /// plugin (`tf.summary.histogram`).
    public func writeHistogram(tag: String, buckets: [HistogramBucket], step: Int, wallTime: Date = Date()) throws {
        var tensor = Self.tensor(.dtDouble, shape: [buckets.count, 3])
        tensor.tensorContent = Self.littleEndian(buckets.flatMap { [$0.left, $0.right, $0.count] })
        try writeSummary(tag: tag, tensor: tensor, plugin: "histograms", step: step, wallTime: wallTime)
    }

    /// Images of the "images" plugin (`tf.summary.image`): a string tensor holding the width and
    /// the height as decimal text, then each image PNG-encoded.
    public func writeImages(tag: String, width: Int, height: Int, png: [[UInt8]], step: Int, wallTime: Date = Date()) throws {
        var tensor = Self.tensor(.dtString, shape: [png.count + 2])
        tensor.stringVal = [Data(String(width).utf8), Data(String(height).utf8)] + png.map { Data($0) }
        try writeSummary(tag: tag, tensor: tensor, plugin: "images", step: step, wallTime: wallTime)
    }

    /// A text of the "text" plugin (`tf.summary.text`), Markdown shown as such.
    public func writeText(tag: String, text: String, step: Int, wallTime: Date = Date()) throws {
        try writeSummary(tag: tag, tensor: Self.stringScalar(text), plugin: "text", step: step, wallTime: wallTime)
    }

    /// A model's Keras JSON for TensorBoard's graph dashboard, as Keras's TensorBoard callback
    /// writes it (plugin "graph_keras_model", content "1").
    public func writeKerasModel(tag: String, json: String, step: Int, wallTime: Date = Date()) throws {
        try writeSummary(tag: tag, tensor: Self.stringScalar(json), plugin: "graph_keras_model", content: Data("1".utf8),
                         step: step, wallTime: wallTime)
    }

    func writeSummary(tag: String, tensor: Tensorboard_TensorProto, plugin: String, content: Data = Data(),
                      step: Int, wallTime: Date) throws {
        var value = Tensorboard_Summary.Value()
        value.tag = tag
        value.tensor = tensor
        value.metadata.pluginData.pluginName = plugin
        value.metadata.pluginData.content = content
        var event = Tensorboard_Event()
        event.wallTime = wallTime.timeIntervalSince1970
        event.step = Int64(step)
        event.summary.value = [value]
        try write(event)
    }

    static func tensor(_ type: Tensorboard_DataType, shape: [Int]) -> Tensorboard_TensorProto {
        var tensor = Tensorboard_TensorProto()
        tensor.dtype = type
        // Present even for a scalar (no dimensions), as TensorFlow writes it.
        tensor.tensorShape = Tensorboard_TensorShapeProto()
        tensor.tensorShape.dim = shape.map { size in
            var dimension = Tensorboard_TensorShapeProto.Dim()
            dimension.size = Int64(size)
            return dimension
        }
        return tensor
    }

    static func stringScalar(_ text: String) -> Tensorboard_TensorProto {
        var tensor = tensor(.dtString, shape: [])
        tensor.stringVal = [Data(text.utf8)]
        return tensor
    }

    /// Raw little-endian bytes, as TensorFlow's `tensor_content`.
    static func littleEndian<Number: BinaryFloatingPoint>(_ values: [Number]) -> Data {
        var data = Data(capacity: values.count * MemoryLayout<Number>.size)
        for value in values {
            switch value {
            case let float as Float: withUnsafeBytes(of: float.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            case let double as Double: withUnsafeBytes(of: double.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            default: preconditionFailure("tensor_content of \(Number.self) is not written")
            }
        }
        return data
    }
}
