import Foundation

/// Saves a grid of generated images after every `every` epochs, as the GAN tutorials'
/// `GANMonitor` does: `generate(epoch)` returns a batch of images (NHWC, values in [0, 1] or
/// [-1, 1]) and the grid goes to `<directory>/samples/epoch_<NNN>.png`, NNN being the 1-based
/// epoch (the number the progress bar shows).
public final class GANMonitor: Callback {
    public override class var kerasClassName: String { "GANMonitor" }

    public let directory: String
    public let rows: Int
    public let columns: Int
    public let every: Int
    public let range: SampleGrid.ValueRange
    public let generate: (_ epoch: Int) -> Tensor
    /// Every grid written, in order.
    public private(set) var writtenFiles: [String] = []

    public init(directory: String, rows: Int, columns: Int, every: Int = 1, range: SampleGrid.ValueRange = .automatic,
                generate: @escaping (_ epoch: Int) -> Tensor) {
        precondition(rows > 0 && columns > 0 && every > 0, "GANMonitor: rows, columns and every must be positive")
        self.directory = directory
        self.rows = rows
        self.columns = columns
        self.every = every
        self.range = range
        self.generate = generate
        super.init()
    }

    public var samplesDirectory: String { URL(fileURLWithPath: directory).appendingPathComponent("samples").path }

    public static func fileName(epoch: Int) -> String {
        "epoch_" + String(repeating: "0", count: max(0, 3 - String(epoch + 1).count)) + "\(epoch + 1).png"
    }

    public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        guard (epoch + 1) % every == 0 else { return }
        let path = URL(fileURLWithPath: samplesDirectory).appendingPathComponent(GANMonitor.fileName(epoch: epoch)).path
        do {
            try FileManager.default.createDirectory(atPath: samplesDirectory, withIntermediateDirectories: true)
            try SampleGrid.write(images: generate(epoch), rows: rows, columns: columns, to: path, range: range)
        } catch {
            throw KeelError("GANMonitor: cannot write \(path): \(error)")
        }
        writtenFiles.append(path)
    }
}
