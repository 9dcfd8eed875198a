#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One TensorBoard event file, `events.out.tfevents.<seconds>.<host>.<pid>.<n>.v2` as TensorFlow 2
/// names them (`n` counts the files this process opened, so two writers on one folder in the
/// same second never collide). The first record is the `file_version: "brain.Event:2"` event
/// TensorBoard looks for; the others are what the `write…` methods add. Records are buffered and
/// reach the file on `flush()` (or once the buffer grows past `bufferLimit`); a killed process
/// loses only what it did not flush, and TensorBoard ignores a record cut short at the end.
public final class EventFile {
    public let path: String
    /// Bytes kept before an automatic flush.
    public var bufferLimit = 1 << 16
    private var handle: FileHandle?
    private var pending: [UInt8] = []

    /// Creates `directory` if needed and a new event file in it.
    public init(directory: String, now: Date = Date()) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw KeelError("TensorBoard log directory \(directory)", expected: "a directory that can be created", found: "\(error)")
        }
        let seconds = Int(now.timeIntervalSince1970)
        let name = "events.out.tfevents." + String(format: "%010d", seconds)
            + ".\(EventFile.hostName).\(getpid()).\(EventFile.nextFileNumber()).v2"
        path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw KeelError("TensorBoard event file \(path)", expected: "a file that can be created", found: String(cString: strerror(errno)))
        }
        self.handle = handle
        var first = Tensorboard_Event()
        first.wallTime = Double(seconds)
        first.fileVersion = "brain.Event:2"
        first.sourceMetadata.writer = "keel"
        try write(first)
        try flush()
    }

    deinit { try? close() }

    func write(_ event: Tensorboard_Event) throws {
        guard handle != nil else {
            throw KeelError("TensorBoard event file \(path)", expected: "an open file", found: "a closed one")
        }
        let data: [UInt8]
        do {
            data = try event.serializedBytes()
        } catch {
            throw KeelError("TensorBoard event for \(path)", expected: "a message that serializes", found: "\(error)")
        }
        pending += TFRecord.frame(data)
        if pending.count >= bufferLimit { try flush() }
    }

    /// Writes the buffered records to the file.
    public func flush() throws {
        guard let handle, !pending.isEmpty else { return }
        do {
            try handle.write(contentsOf: pending)
        } catch {
            throw KeelError("TensorBoard event file \(path)", expected: "a file that can be written", found: "\(error)")
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes; later writes throw.
    public func close() throws {
        guard let open = handle else { return }
        defer { handle = nil; try? open.close() }
        try flush()
    }

    private static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(cString: buffer)
    }()

    nonisolated(unsafe) private static var filesOpened = 0
    private static let counterLock = NSLock()

    private static func nextFileNumber() -> Int {
        counterLock.lock()
        defer { counterLock.unlock() }
        filesOpened += 1
        return filesOpened - 1
    }
}
