/// Little-endian fields of zip headers.
struct ZipBytes {
    private(set) var bytes: [UInt8] = []

    mutating func append16(_ value: UInt16) {
        bytes += [UInt8(value & 0xFF), UInt8(value >> 8)]
    }

    mutating func append32(_ value: UInt32) {
        bytes += (0..<4).map { UInt8((value >> (8 * UInt32($0))) & 0xFF) }
    }

    static func read16(_ bytes: [UInt8], at offset: Int) -> Int {
        Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
    }

    static func read32(_ bytes: [UInt8], at offset: Int) -> Int {
        (0..<4).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
    }
}
