/// Conversion between the big-endian element bytes some files hold (IDX always, NPY with a
/// `>` descriptor) and the little-endian bytes `ArrayData` carries.
enum ByteOrder {
    /// Reverses the bytes of every `elementSize`-byte element of `bytes`, in place.
    static func reverseElements(of bytes: inout [UInt8], elementSize: Int) {
        bytes.withUnsafeMutableBytes { raw in
            switch elementSize {
            case 2: reverse(raw, as: UInt16.self)
            case 4: reverse(raw, as: UInt32.self)
            case 8: reverse(raw, as: UInt64.self)
            default: precondition(elementSize == 1, "no byte order for \(elementSize)-byte elements")
            }
        }
    }

    /// Unaligned loads and stores keep this correct for any buffer; the compiler still turns the
    /// loop into vector byte shuffles.
    private static func reverse<Word: FixedWidthInteger>(_ raw: UnsafeMutableRawBufferPointer, as: Word.Type) {
        let size = MemoryLayout<Word>.size
        precondition(raw.count % size == 0, "\(raw.count) bytes are not whole \(size)-byte elements")
        for offset in stride(from: 0, to: raw.count, by: size) {
            let word = raw.loadUnaligned(fromByteOffset: offset, as: Word.self)
            raw.storeBytes(of: word.byteSwapped, toByteOffset: offset, as: Word.self)
        }
    }
}
