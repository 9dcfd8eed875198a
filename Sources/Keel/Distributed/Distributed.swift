internal import CKeelMPI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Data-parallel training over MPI, shaped like Horovod: every process of a job started by
/// `mpirun` is one rank; they exchange tensors through collectives (allreduce, allgather,
/// broadcast) and nothing else. Keel adds no networking of its own: Open MPI moves the bytes
/// (shared memory on one host, TCP or a fabric between hosts).
///
/// Outside `mpirun` a process is rank 0 of 1, every collective returns its input, and Open MPI is
/// never loaded: `libmpi` is opened on demand by `initialize()` only when mpirun started the
/// process, so a single-machine user needs neither Open MPI nor its process manager.
public enum Distributed {
    /// How `allreduce` combines the ranks' values.
    public enum ReduceOp: Sendable {
        case sum, average, min, max
    }

    private static let state = NSLock()
    nonisolated(unsafe) private static var channel: MPIChannel?
    nonisolated(unsafe) private static var place = (rank: 0, size: 1, localRank: 0, localSize: 1)
    nonisolated(unsafe) private static var initialized = false

    /// Joins the job when the process was started by `mpirun` (Open MPI sets
    /// `OMPI_COMM_WORLD_SIZE`); otherwise the process is rank 0 of 1 and MPI is not loaded.
    /// Calling it again does nothing.
    public static func initialize() throws {
        try state.withLock {
            guard !initialized else { return }
            guard ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_SIZE"] != nil else {
                initialized = true
                return
            }
            var message = [CChar](repeating: 0, count: 1024)
            guard keel_mpi_load(&message, message.count) == 0 else {
                throw KeelError("distributed training", expected: "Open MPI's library", found: String(cString: message))
            }
            let channel = MPIChannel(timeout: timeoutSeconds())
            var rank: Int32 = 0, size: Int32 = 1, localRank: Int32 = 0, localSize: Int32 = 1
            var failure: String?
            try channel.run("initialisation") {
                var text = [CChar](repeating: 0, count: 1024)
                if keel_mpi_init(&rank, &size, &localRank, &localSize, &text, text.count) != 0 {
                    failure = String(cString: text)
                }
            }
            if let failure {
                throw KeelError("distributed training (MPI_Init_thread)", expected: "to join the job mpirun started", found: failure)
            }
            place = (Int(rank), Int(size), Int(localRank), Int(localSize))
            channel.place = "rank \(rank) of \(size)"
            self.channel = channel
            initialized = true
            if size > 1 { TerminationNotice.install(rank: Int(rank), size: Int(size)) }
        }
    }

    /// KEEL_DISTRIBUTED_TIMEOUT (seconds): how long a collective may wait for the other ranks.
    private static func timeoutSeconds() -> Double {
        if let text = ProcessInfo.processInfo.environment["KEEL_DISTRIBUTED_TIMEOUT"], let value = Double(text), value > 0 {
            return value
        }
        return 300
    }

    public static var isInitialized: Bool { state.withLock { initialized } }
    /// This process's index in the job, 0 ..< size.
    public static var rank: Int { place.rank }
    /// Number of processes in the job.
    public static var size: Int { place.size }
    /// This process's index among the job's processes on its host.
    public static var localRank: Int { place.localRank }
    public static var localSize: Int { place.localSize }
    /// Rank 0: the one that writes files and prints progress.
    public static var isRoot: Bool { place.rank == 0 }
    /// More than one rank: collectives move data.
    public static var isActive: Bool { place.size > 1 }

    // MARK: collectives

    /// Every rank's `tensor` combined element-wise; every rank gets the result. Float32 tensors
    /// of the same shape on every rank.
    public static func allreduce(_ tensor: Tensor, op: ReduceOp = .average, name: String = "allreduce") throws -> Tensor {
        try requireFloat(tensor, name)
        let result = tensor.copied()
        guard let channel, isActive else { return result }
        // Different element counts would make MPI read past the smaller buffers: compare first.
        try requireSameShape(tensor, name)
        try reduceInPlace(result.storage.pointer.assumingMemoryBound(to: Float.self), count: result.count, op: op,
                          name: name, on: channel).wait()
        return result
    }

    /// Starts reducing `count` floats at `buffer` in place; `wait()` on the ticket before reading
    /// them or freeing the buffer. Used by gradient buckets to overlap the reduction with the
    /// rest of the backward pass.
    static func startReduction(_ buffer: UnsafeMutablePointer<Float>, count: Int, op: ReduceOp,
                               name: String) throws -> MPIChannel.Ticket? {
        guard let channel, isActive else {
            return nil
        }
        return reduceInPlace(buffer, count: count, op: op, name: name, on: channel)
    }

    private static func reduceInPlace(_ buffer: UnsafeMutablePointer<Float>, count: Int, op: ReduceOp, name: String,
                                      on channel: MPIChannel) -> MPIChannel.Ticket {
        let size = place.size
        nonisolated(unsafe) let buffer = buffer
        return channel.submit(name) {
            // MPI counts are ints: a larger buffer goes in pieces.
            var offset = 0
            while offset < count {
                let piece = min(count - offset, 1 << 30)
                let mpiOp: keel_mpi_op = op == .min ? KEEL_MPI_MIN : op == .max ? KEEL_MPI_MAX : KEEL_MPI_SUM
                try channel.complete({ keel_mpi_start_allreduce_float(buffer + offset, Int32(piece), mpiOp, &$0) }, name)
                offset += piece
            }
            if op == .average {
                let scale = 1 / Float(size)
                for i in 0..<count { buffer[i] *= scale }
            }
        }
    }

    /// Sums (or averages) doubles, e.g. logs and metric totals, where float32 would lose digits.
    public static func allreduce(_ values: [Double], op: ReduceOp = .average, name: String = "allreduce") throws -> [Double] {
        guard let channel, isActive, !values.isEmpty else { return values }
        let count = values.count
        let size = place.size
        let buffer = UnsafeMutablePointer<Double>.allocate(capacity: count)
        defer { buffer.deallocate() }
        buffer.initialize(from: values, count: count)
        nonisolated(unsafe) let target = buffer
        try channel.run(name) {
            let mpiOp: keel_mpi_op = op == .min ? KEEL_MPI_MIN : op == .max ? KEEL_MPI_MAX : KEEL_MPI_SUM
            try channel.complete({ keel_mpi_start_allreduce_double(target, Int32(count), mpiOp, &$0) }, name)
        }
        let result = Array(UnsafeBufferPointer(start: buffer, count: count))
        return op == .average ? result.map { $0 / Double(size) } : result
    }

    /// Every rank's `tensor` concatenated along axis 0, in rank order. The tensors may differ in
    /// their first dimension; the other dimensions and the dtype must agree.
    public static func allgather(_ tensor: Tensor, name: String = "allgather") throws -> Tensor {
        guard isActive else { return tensor.copied() }
        let rows = try allgatherBytes(withUnsafeBytes(of: Int64(tensor.shape.first ?? 1).littleEndian) { Array($0) },
                                      name: name + " (sizes)")
        let counts = stride(from: 0, to: rows.count, by: 8).map { i in
            rows[i..<i + 8].withUnsafeBytes { Int(Int64(littleEndian: $0.loadUnaligned(as: Int64.self))) }
        }
        let signature = Array((tensor.shape.dropFirst().map(String.init).joined(separator: ",") + ":\(tensor.dtype)").utf8)
        let signatures = try allgatherStrings(signature, name: name + " (shapes)")
        if let other = signatures.firstIndex(where: { $0 != signature }) {
            throw KeelError("distributed \(name)", expected: "tensors whose shapes agree after the first dimension on every rank",
                            found: "[*, \(String(decoding: signature, as: UTF8.self))] on rank \(rank) and "
                                + "[*, \(String(decoding: signatures[other], as: UTF8.self))] on rank \(other)")
        }
        // Each rank contributes a block of the largest size; blocks are then trimmed.
        let rowBytes = (tensor.shape.dropFirst().reduce(1, *)) * tensor.dtype.byteCount
        let largest = counts.max() ?? 0
        var block = [UInt8](repeating: 0, count: largest * rowBytes)
        let ownBytes = tensor.count * tensor.dtype.byteCount
        if ownBytes > 0 {
            block.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: tensor.storage.pointer, byteCount: ownBytes) }
        }
        let gathered = try allgatherBytes(block, name: name)
        let total = counts.reduce(0, +)
        let result = Tensor(uninitializedShape: [total] + tensor.shape.dropFirst(), dtype: tensor.dtype)
        var written = 0
        gathered.withUnsafeBytes { source in
            for (r, count) in counts.enumerated() where count > 0 {
                let bytes = count * rowBytes
                (result.storage.pointer + written).copyMemory(from: source.baseAddress! + r * block.count, byteCount: bytes)
                written += bytes
            }
        }
        return result
    }

    /// `tensor` from rank `root` on every rank. Every rank passes a tensor of the root's shape.
    public static func broadcast(_ tensor: Tensor, root: Int = 0, name: String = "broadcast") throws -> Tensor {
        try checkRoot(root, name)
        guard isActive else { return tensor.copied() }
        let signature = Array("\(tensor.shape):\(tensor.dtype)".utf8)
        let rootSignature = try broadcast(bytes: signature, root: root, name: name + " (shape)")
        guard rootSignature == signature else {
            throw KeelError("distributed \(name) on rank \(rank)", expected: "a tensor like rank \(root)'s, \(String(decoding: rootSignature, as: UTF8.self))",
                            found: String(decoding: signature, as: UTF8.self))
        }
        return try broadcastPayload(tensor, root: root, name: name)
    }

    /// The broadcast itself, for callers that checked the shapes already.
    private static func broadcastPayload(_ tensor: Tensor, root: Int, name: String) throws -> Tensor {
        guard let channel, isActive else { return tensor.copied() }
        let result = tensor.copied()
        let bytes = result.count * result.dtype.byteCount
        nonisolated(unsafe) let pointer = result.storage.pointer
        try channel.run(name) {
            var offset = 0
            while offset < bytes || offset == 0 {
                let piece = min(bytes - offset, 1 << 30)
                try channel.complete({ keel_mpi_start_broadcast(pointer + offset, Int32(piece), Int32(root), &$0) }, name)
                offset += max(piece, 1)
            }
        }
        return result
    }

    /// Assigns rank `root`'s values to `variables` on every rank (Horovod's broadcast_variables),
    /// checking first that every rank holds the same variables with the same shapes.
    public static func broadcast(_ variables: [Variable], root: Int = 0, name: String = "broadcast of variables") throws {
        guard isActive else { return }
        let signature = Array(variables.map { "\($0.path):\($0.shape)" }.joined(separator: ";").utf8)
        let rootSignature = try broadcast(bytes: signature, root: root, name: name + " (names)")
        // Every rank learns which ranks disagree, so all of them stop here: a rank that went on to
        // the values would wait for the ones that stopped until the time-out.
        var disagreement = [Double](repeating: 0, count: size)
        disagreement[rank] = rootSignature == signature ? 0 : 1
        let votes = try allreduce(disagreement, op: .sum, name: name + " (agreement)")
        let disagreeing = votes.indices.filter { votes[$0] > 0 }
        guard disagreeing.isEmpty else {
            let ranks = disagreeing.map(String.init).joined(separator: ", ")
            if rootSignature == signature {
                throw KeelError("distributed \(name) on rank \(rank)",
                                expected: "every rank to hold the variables rank \(root) has",
                                found: "a different list on \(disagreeing.count == 1 ? "rank" : "ranks") \(ranks) (each of them names its own)")
            }
            throw KeelError("distributed \(name) on rank \(rank)",
                            expected: "the variables rank \(root) has (\(variables.count) on this rank)",
                            found: "a different list: this rank has \(String(decoding: signature, as: UTF8.self).prefix(300)), "
                                + "rank \(root) has \(String(decoding: rootSignature, as: UTF8.self).prefix(300))")
        }
        for variable in variables {
            variable.assign(try broadcastPayload(variable.value, root: root, name: name))
        }
    }

    /// Rank `root`'s bytes on every rank (any length: the length goes first).
    public static func broadcast(bytes: [UInt8], root: Int = 0, name: String = "broadcast") throws -> [UInt8] {
        try checkRoot(root, name)
        guard isActive else { return bytes }
        let length = try broadcastPayload(Tensor(shape: [2], int32s: [Int32(truncatingIfNeeded: bytes.count), Int32(truncatingIfNeeded: bytes.count >> 31)]),
                                   root: root, name: name + " (length)").int32Scalars
        let count = Int(length[0]) & 0x7fff_ffff | Int(length[1]) << 31
        let carrier = Tensor(uninitializedShape: [(count + 3) / 4], dtype: .int32)
        if rank == root && count > 0 { bytes.withUnsafeBytes { carrier.storage.pointer.copyMemory(from: $0.baseAddress!, byteCount: count) } }
        let received = try broadcastPayload(carrier, root: root, name: name)
        return Array(UnsafeRawBufferPointer(start: received.storage.pointer, count: count))
    }

    /// Waits until every rank got here.
    public static func barrier(name: String = "barrier") throws {
        guard let channel, isActive else { return }
        try channel.run(name) { try channel.complete({ keel_mpi_start_barrier(&$0) }, name) }
    }

    /// Equal-length byte blocks of every rank, concatenated in rank order.
    static func allgatherBytes(_ block: [UInt8], name: String) throws -> [UInt8] {
        guard let channel, isActive else { return block }
        let lengths = try allreduce([Double(block.count)], op: .max, name: name + " (length)")
        let minimum = try allreduce([Double(block.count)], op: .min, name: name + " (length)")
        guard lengths[0] == minimum[0] else {
            throw KeelError("distributed \(name)", expected: "blocks of one length on every rank",
                            found: "lengths from \(Int(minimum[0])) to \(Int(lengths[0]))")
        }
        let size = place.size
        let result = UnsafeMutableRawPointer.allocate(byteCount: max(1, block.count * size), alignment: 64)
        defer { result.deallocate() }
        nonisolated(unsafe) let target = result
        try block.withUnsafeBytes { source in
            nonisolated(unsafe) let input = source.baseAddress ?? UnsafeRawPointer(target)
            let count = block.count
            try channel.run(name) {
                try channel.complete({ keel_mpi_start_allgather(input, Int32(count), target, &$0) }, name)
            }
        }
        return Array(UnsafeRawBufferPointer(start: result, count: block.count * size))
    }

    /// Every rank's string (as bytes), in rank order.
    static func allgatherStrings(_ bytes: [UInt8], name: String) throws -> [[UInt8]] {
        guard isActive else { return [bytes] }
        let longest = Int(try allreduce([Double(bytes.count)], op: .max, name: name + " (length)")[0])
        var block = withUnsafeBytes(of: Int64(bytes.count).littleEndian) { Array($0) } + bytes
        block += [UInt8](repeating: 0, count: longest - bytes.count)
        let gathered = try allgatherBytes(block, name: name)
        let stride = 8 + longest
        return (0..<size).map { r in
            let base = r * stride
            let length = gathered[base..<base + 8].withUnsafeBytes { Int(Int64(littleEndian: $0.loadUnaligned(as: Int64.self))) }
            return Array(gathered[base + 8..<base + 8 + min(max(0, length), longest)])
        }
    }

    private static func requireFloat(_ tensor: Tensor, _ name: String) throws {
        guard tensor.dtype == .float32 else {
            throw KeelError("distributed \(name)", expected: "a float32 tensor", found: "\(tensor.dtype) \(tensor.shape)")
        }
    }

    /// Every rank's tensor must have the same shape for an element-wise reduction.
    private static func requireSameShape(_ tensor: Tensor, _ name: String) throws {
        let signature = Array(tensor.shape.map(String.init).joined(separator: ",").utf8)
        let signatures = try allgatherStrings(signature, name: name + " (shapes)")
        if let other = signatures.firstIndex(where: { $0 != signature }) {
            throw KeelError("distributed \(name)", expected: "tensors of one shape on every rank",
                            found: "[\(String(decoding: signature, as: UTF8.self))] on rank \(rank) and "
                                + "[\(String(decoding: signatures[other], as: UTF8.self))] on rank \(other)")
        }
    }

    private static func checkRoot(_ root: Int, _ name: String) throws {
        guard (0..<size).contains(root) else {
            throw KeelError("distributed \(name) root", expected: "a rank in 0..<\(size)", found: "\(root)")
        }
    }

    /// Ends the process after a collective failed where no error can be thrown (inside an
    /// optimizer update): the message names the rank and the operation; mpirun then ends the
    /// other ranks. The run's status records it like a failed op check.
    public static func fail(_ error: Error) -> Never {
        OpCheck.fail("\(error)")
    }

    /// Ends the job's MPI session at the end of the process (MPI_Finalize). Skipped after a failed
    /// collective: the other ranks may be gone and Finalize would wait for them.
    public static func finalize() {
        state.withLock {
            guard let channel else { return }
            if channel.brokenBy == nil {
                try? channel.run("finalisation") { _ = keel_mpi_finalize() }
            }
            self.channel = nil
        }
    }
}
