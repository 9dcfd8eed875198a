/// The local entries of a zip file as laid out on disk (tests check how members are stored
/// and damage them in place).
struct ZipLayout {
    struct Entry {
        let name: String
        let method: UInt16
        let dataOffset: Int
        let compressedSize: Int
    }

    let entries: [Entry]

    init(_ bytes: [UInt8]) {
        func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        var entries: [Entry] = []
        var position = 0
        while position + 30 <= bytes.count, bytes[position..<position + 4].elementsEqual([0x50, 0x4B, 0x03, 0x04]) {
            let nameLength = u16(position + 26), extraLength = u16(position + 28)
            let name = String(decoding: bytes[(position + 30)..<(position + 30 + nameLength)], as: UTF8.self)
            let dataOffset = position + 30 + nameLength + extraLength
            let size = u32(position + 18)
            entries.append(Entry(name: name, method: UInt16(u16(position + 8)), dataOffset: dataOffset, compressedSize: size))
            position = dataOffset + size
        }
        self.entries = entries
    }
}
