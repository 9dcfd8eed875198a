import Foundation

/// Writes TensorBoard summaries into one log folder (TensorFlow's `tf.summary.create_file_writer`):
/// scalars, histograms, images and text, in TensorBoard's own event-file format, for hand-written
/// training loops and for the `TensorBoard` callback. Values reach the file on `flush()`,
/// `close()`, or when enough are buffered.
///
///     let writer = try SummaryWriter(logDirectory: "logs/train")
///     try writer.scalar(tag: "loss", value: 0.25, step: 1)
///     try writer.image(tag: "samples", images: batch, step: 1)   // NHWC, values in [0, 1]
///     try writer.flush()
public final class SummaryWriter {
    public let logDirectory: String
    private let file: EventFile

    /// The event file this writer adds to.
    public var path: String { file.path }

    public init(logDirectory: String) throws {
        self.logDirectory = logDirectory
        file = try EventFile(directory: logDirectory)
    }

    /// A scalar of TensorBoard's Scalars dashboard, stored as float32 as `tf.summary.scalar` does.
    public func scalar(tag: String, value: Double, step: Int) throws {
        try file.writeScalar(tag: tag, value: Float(value), step: step)
    }

    /// The distribution of `values` (any shape) in `buckets` equal-width buckets, as
    /// `tf.summary.histogram` computes it.
    public func histogram(tag: String, values: Tensor, step: Int, buckets: Int = 30) throws {
        guard buckets >= 0 else {
            throw KeelError("histogram '\(tag)' buckets", expected: "a count ≥ 0", found: "\(buckets)")
        }
        try file.writeHistogram(tag: tag, buckets: HistogramBuckets.of(values.scalars, count: buckets), step: step)
    }

    /// The first `maxOutputs` images of an NHWC batch with 1, 3 or 4 channels and values in [0, 1]
    /// (as `tf.summary.image`: scaled to 0...255, values outside clamped).
    public func image(tag: String, images: Tensor, step: Int, maxOutputs: Int = 3) throws {
        let encoded = try ImageSummary.pngImages(images, maxOutputs: maxOutputs, tag: tag)
        try file.writeImages(tag: tag, width: encoded.width, height: encoded.height, png: encoded.png, step: step)
    }

    /// One picture already made (a sample grid), shown as it is.
    public func image(tag: String, picture: PNGImage, step: Int) throws {
        try file.writeImages(tag: tag, width: picture.width, height: picture.height, png: [try picture.encoded()], step: step)
    }

    /// Markdown text for TensorBoard's Text dashboard.
    public func text(tag: String, text: String, step: Int) throws {
        try file.writeText(tag: tag, text: text, step: step)
    }

    /// A Sequential or Functional model's Keras JSON for the Graphs dashboard's conceptual graph,
    /// as Keras's TensorBoard callback writes it. Returns false (writing nothing) for a
    /// subclassed model, whose architecture has no JSON form.
    @discardableResult
    public func graph(of model: Model, tag: String = "keras", step: Int = 0) throws -> Bool {
        guard let json = try? ArchitectureConfig.json(of: model) else { return false }
        try file.writeKerasModel(tag: tag, json: json.serialized(), step: step)
        return true
    }

    /// Makes this folder a session of TensorBoard's HParams dashboard with these hyper-parameters.
    public func hyperparameters(_ values: [String: HParamValue], groupName: String = "", startTime: Date = Date()) throws {
        try file.writeSessionStart(hparams: values, groupName: groupName, startTime: startTime)
    }

    /// Records how the HParams session of this folder ended.
    public func sessionEnded(_ status: HParamsSessionStatus, at time: Date = Date()) throws {
        try file.writeSessionEnd(status: status, endTime: time)
    }

    public func flush() throws { try file.flush() }

    /// Flushes and closes the file; later writes throw.
    public func close() throws { try file.close() }
}
