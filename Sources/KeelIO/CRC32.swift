internal import CKeelZlib

/// zlib's CRC-32 (the checksum of zip and gzip), continued across pieces: pass the previous
/// result as `continuing`.
public enum CRC32 {
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing previous: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return previous }
        return UInt32(truncatingIfNeeded: crc32_z(UInt(previous), base.assumingMemoryBound(to: UInt8.self), z_size_t(bytes.count)))
    }
}
