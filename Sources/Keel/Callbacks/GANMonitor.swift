import Foundation

/// Saves a grid of generated images after every `every` epochs, as the GAN tutorials'
/// `GANMonitor` does: `generate(epoch)` returns a batch of images (NHWC, values in [0, 1] or
/// [-1, 1]) and the grid goes to `<directory>/samples/epoch_<NNN>.png`, NNN being the 1-based
/// epoch (the number the progress bar shows). Small images are enlarged pixel for pixel to a
/// viewable grid (`SampleGrid`'s automatic scale), as one would look at them anyway. With a
/// `summaryWriter` the same grid also goes to TensorBoard's Images dashboard (tag `samples`, at
/// the 0-based epoch, as Keras's epoch summaries count).
@Component(.plain)
public final class GANMonitor: Callback {
    public override class var kerasClassName: String { "GANMonitor" }

    @Hyper("directory") public var directory: String
    @Hyper("rows", .size) public var rows: Int
    @Hyper("columns", .size) public var columns: Int
    @Hyper("every", .positive) public var every: Int = 1

    public convenience init(directory: String, rows: Int, columns: Int, every: Int = 1,
                            range: SampleGrid.ValueRange = .automatic, generate: @escaping (_ epoch: Int) -> Tensor) {
        self.init(directory: directory, rows: rows, columns: columns, every: every)
        self.range = range
        self.generate = generate
    }

    public var range: SampleGrid.ValueRange = .automatic
    /// The batch of images for an epoch; set it before training.
    public var generate: ((_ epoch: Int) -> Tensor)?
    /// Where the grids also go as TensorBoard image summaries; nil: only the PNG files.
    public var summaryWriter: SummaryWriter?
    /// Every grid written, in order.
    public private(set) var writtenFiles: [String] = []

    public var samplesDirectory: String { URL(fileURLWithPath: directory).appendingPathComponent("samples").path }

    public static func fileName(epoch: Int) -> String {
        "epoch_" + String(repeating: "0", count: max(0, 3 - String(epoch + 1).count)) + "\(epoch + 1).png"
    }

    public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        guard (epoch + 1) % every == 0 else { return }
        let path = URL(fileURLWithPath: samplesDirectory).appendingPathComponent(GANMonitor.fileName(epoch: epoch)).path
        do {
            try FileManager.default.createDirectory(atPath: samplesDirectory, withIntermediateDirectories: true)
            guard let generate else {
                throw KeelError("GANMonitor", expected: "a generate function giving each epoch's images", found: "none")
            }
            let grid = try SampleGrid.image(images: generate(epoch), rows: rows, columns: columns, range: range)
            try grid.write(to: path)
            try summaryWriter?.image(tag: "samples", picture: grid, step: epoch)
            try summaryWriter?.flush()
        } catch {
            throw KeelError("GANMonitor: cannot write \(path): \(error)")
        }
        writtenFiles.append(path)
    }
}
