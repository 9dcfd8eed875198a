import Foundation

/// One SummaryWriter per log folder, opened when first asked for: the TensorBoard callback and an
/// experiment's own code (GANMonitor's images, a hand-written loop's scalars) then add to one event
/// file per folder instead of each opening its own.
final class SummaryWriterPool {
    private var writers: [String: SummaryWriter] = [:]

    func writer(for directory: String) throws -> SummaryWriter {
        let key = URL(fileURLWithPath: directory).standardizedFileURL.path
        if let open = writers[key] { return open }
        let writer = try SummaryWriter(logDirectory: directory)
        writers[key] = writer
        return writer
    }

    func flushAll() throws {
        for writer in writers.values { try writer.flush() }
    }

    /// Closes every writer; the next request opens a new file.
    func closeAll() throws {
        defer { writers = [:] }
        for writer in writers.values { try writer.close() }
    }
}
