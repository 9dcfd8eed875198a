import Foundation

/// A zip archive taken apart into its stored entries and written back, with or without ZIP64
/// extra fields, so an entry's content (config.json, model.weights.h5) can be mutated inside
/// an otherwise valid archive.
struct FuzzZip {
    var entries: [(name: String, data: [UInt8])]

    /// nil unless every entry is stored (Keel and Keras write `.keras` files uncompressed).
    init?(_ bytes: [UInt8]) {
        guard let end = FuzzBinary.find([0x50, 0x4B, 0x05, 0x06], in: bytes).last,
              var count = FuzzBinary.read(bytes, end + 10, width: 2),
              var at = FuzzBinary.read(bytes, end + 16, width: 4).map(Int.init) else { return nil }
        if count == 0xFFFF || at == 0xFFFF_FFFF { // the ZIP64 end record, through its locator
            guard FuzzBinary.read(bytes, end - 20, width: 4) == 0x0706_4B50,
                  let record = FuzzBinary.read(bytes, end - 12, width: 8), record < UInt64(bytes.count),
                  let count64 = FuzzBinary.read(bytes, Int(record) + 32, width: 8),
                  let offset64 = FuzzBinary.read(bytes, Int(record) + 48, width: 8),
                  count64 < 1 << 16, offset64 < UInt64(bytes.count) else { return nil }
            count = count64
            at = Int(offset64)
        }
        entries = []
        for _ in 0..<count {
            guard FuzzBinary.read(bytes, at, width: 4) == 0x0201_4B50,
                  FuzzBinary.read(bytes, at + 10, width: 2) == 0,
                  var size = FuzzBinary.read(bytes, at + 20, width: 4),
                  let nameLength = FuzzBinary.read(bytes, at + 28, width: 2).map(Int.init),
                  let extraLength = FuzzBinary.read(bytes, at + 30, width: 2).map(Int.init),
                  let commentLength = FuzzBinary.read(bytes, at + 32, width: 2).map(Int.init),
                  var local = FuzzBinary.read(bytes, at + 42, width: 4),
                  at + 46 + nameLength <= bytes.count else { return nil }
            let name = String(decoding: bytes[at + 46..<at + 46 + nameLength], as: UTF8.self)
            if size == 0xFFFF_FFFF || local == 0xFFFF_FFFF { // ZIP64 values, in the order of the fields they replace
                var values = ZipMap.zip64Values(Array(bytes[at..<min(bytes.count, at + 46 + nameLength + extraLength)]))
                    .compactMap { FuzzBinary.read(bytes, at + $0, width: 8) }
                if FuzzBinary.read(bytes, at + 24, width: 4) == 0xFFFF_FFFF, !values.isEmpty { values.removeFirst() }
                if size == 0xFFFF_FFFF, !values.isEmpty { size = values.removeFirst() }
                if local == 0xFFFF_FFFF, !values.isEmpty { local = values.removeFirst() }
            }
            guard let localNameLength = FuzzBinary.read(bytes, Int(local) + 26, width: 2),
                  let localExtraLength = FuzzBinary.read(bytes, Int(local) + 28, width: 2) else { return nil }
            let start = Int(local) + 30 + Int(localNameLength) + Int(localExtraLength)
            guard start + Int(size) <= bytes.count else { return nil }
            entries.append((name, Array(bytes[start..<start + Int(size)])))
            at += 46 + nameLength + extraLength + commentLength
        }
    }

    /// The archive, stored; `zip64` gives every entry ZIP64 sizes and adds the ZIP64 end
    /// records, as writers do for archives over 4 GiB.
    func encoded(zip64: Bool) -> [UInt8] {
        var out: [UInt8] = [], central: [UInt8] = []
        func u16(_ v: Int, _ b: inout [UInt8]) { b += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        func u32(_ v: UInt64, _ b: inout [UInt8]) { for i in 0..<4 { b.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }
        func u64(_ v: UInt64, _ b: inout [UInt8]) { for i in 0..<8 { b.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }
        for entry in entries {
            let name = Array(entry.name.utf8), crc = FuzzZip.crc32(entry.data), size = UInt64(entry.data.count)
            let offset = UInt64(out.count)
            var localExtra: [UInt8] = [], centralExtra: [UInt8] = []
            if zip64 {
                u16(1, &localExtra); u16(16, &localExtra); u64(size, &localExtra); u64(size, &localExtra)
                // Sizes only, as writers do for small entries of a ZIP64 archive (the offset still
                // fits its 32-bit field; an offset of 0 in the extra field is what ZIPFoundation
                // mistakes for "absent", a clean error worth its own mutation but not every seed).
                u16(1, &centralExtra); u16(16, &centralExtra); u64(size, &centralExtra); u64(size, &centralExtra)
            }
            let shown: UInt64 = zip64 ? 0xFFFF_FFFF : size
            out += [0x50, 0x4B, 0x03, 0x04]; u16(zip64 ? 45 : 20, &out); u16(0, &out); u16(0, &out); u16(0, &out); u16(0x21, &out)
            u32(UInt64(crc), &out); u32(shown, &out); u32(shown, &out); u16(name.count, &out); u16(localExtra.count, &out)
            out += name + localExtra + entry.data
            central += [0x50, 0x4B, 0x01, 0x02]; u16(zip64 ? 45 : 20, &central); u16(zip64 ? 45 : 20, &central); u16(0, &central)
            u16(0, &central); u16(0, &central); u16(0x21, &central); u32(UInt64(crc), &central); u32(shown, &central); u32(shown, &central)
            u16(name.count, &central); u16(centralExtra.count, &central); u16(0, &central); u16(0, &central); u16(0, &central)
            u32(0, &central); u32(offset, &central)
            central += name + centralExtra
        }
        let centralOffset = UInt64(out.count)
        out += central
        if zip64 {
            let recordOffset = UInt64(out.count)
            out += [0x50, 0x4B, 0x06, 0x06]; u64(44, &out); u16(45, &out); u16(45, &out); u32(0, &out); u32(0, &out)
            u64(UInt64(entries.count), &out); u64(UInt64(entries.count), &out); u64(UInt64(central.count), &out); u64(centralOffset, &out)
            out += [0x50, 0x4B, 0x06, 0x07]; u32(0, &out); u64(recordOffset, &out); u32(1, &out)
        }
        out += [0x50, 0x4B, 0x05, 0x06]; u16(0, &out); u16(0, &out)
        u16(zip64 ? 0xFFFF : entries.count, &out); u16(zip64 ? 0xFFFF : entries.count, &out)
        u32(zip64 ? 0xFFFF_FFFF : UInt64(central.count), &out); u32(zip64 ? 0xFFFF_FFFF : centralOffset, &out); u16(0, &out)
        return out
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }
}

/// `.npy`: the magic, the header length, and the header's Python dict (descr, fortran_order,
/// shape) edited as text.
enum FuzzNPY {
    static func mutate(_ bytes: [UInt8], _ random: inout FuzzRandom) -> ([UInt8], String) {
        guard bytes.count >= 10, let length = FuzzBinary.read(bytes, 8, width: 2), 10 + Int(length) <= bytes.count else {
            return FuzzBinary.mutate(bytes, fields: [], &random)
        }
        let header = String(decoding: bytes[10..<10 + Int(length)], as: UTF8.self)
        let data = Array(bytes[(10 + Int(length))...])
        if random.chance(0.3) {
            return FuzzBinary.mutate(bytes, fields: [0, 6, 7, 8, 9] + Array(10..<min(bytes.count, 10 + Int(length) + 16)), &random)
        }
        var edited = header, what = ""
        switch random.below(6) {
        case 0:
            let dtype = random.pick(["<f8", "<f2", ">f4", "<i8", "|u1", "|i1", "<u8", "|b1", "<c8", "|O", "<U10", "|V4", "<M8[s]",
                                     "<f16", "<f0", "<f99999999999999999999", "", "float32", "'", "<f4', 'x': '"])
            edited = replacing(header, pattern: "'descr': *'[^']*'", with: "'descr': '\(dtype)'")
            what = "descr set to \(dtype.debugDescription)"
        case 1:
            let dims = (0..<random.pick([0, 1, 2, 3, 8, 40])).map { _ in random.pick(FuzzExtremes.decimal.filter { !$0.contains(".") && !$0.contains("e") } + ["1", "2", "3"]) }
            let shape = "(" + dims.joined(separator: ", ") + (dims.count == 1 ? ",)" : ")")
            edited = replacing(header, pattern: "'shape': *\\([^)]*\\)", with: "'shape': \(shape)")
            what = "shape set to \(shape.prefix(120))"
        case 2:
            edited = replacing(header, pattern: "'fortran_order': *(True|False)", with: "'fortran_order': \(random.pick(["True", "1", "None", "'yes'"]))")
            what = "fortran_order changed"
        case 3:
            let key = random.pick(["'descr': *'[^']*', *", "'fortran_order': *(True|False), *", "'shape': *\\([^)]*\\), *"])
            edited = replacing(header, pattern: key, with: "")
            what = "a key removed (\(key.prefix(8)))"
        case 4:
            let junk = random.pick(["{", "}", "(", ")", "'", "\u{0}", "é", ":", ","])
            var chars = Array(header)
            if !chars.isEmpty { chars[random.below(chars.count)] = Character(junk) }
            edited = String(chars)
            what = "header character set to \(junk.debugDescription)"
        default:
            edited = replacing(header, pattern: "'shape': *\\(", with: "'shape': ((((((1,),),),),),")
            what = "nested tuples in shape"
        }
        var headerBytes = Array(edited.utf8)
        if headerBytes.last != 0x0A { headerBytes.append(0x0A) }
        var declared = headerBytes.count
        if random.chance(0.2) {
            declared = random.pick([0, headerBytes.count + 1, headerBytes.count - 1, 0xFFFF])
            what += ", header length field \(declared)"
        }
        let out = Array(bytes[0..<8]) + [UInt8(declared & 0xFF), UInt8((declared >> 8) & 0xFF)] + headerBytes
        if random.chance(0.3) {
            let keep = random.below(data.count + 1)
            what += ", data cut to \(keep) of \(data.count) bytes"
            return (out + data[..<keep], what)
        }
        return (out + data, what)
    }

    private static func replacing(_ text: String, pattern: String, with replacement: String) -> String {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return text }
        let range = NSRange(text.startIndex..., in: text)
        return regex.stringByReplacingMatches(in: text, range: range, withTemplate: NSRegularExpression.escapedTemplate(for: replacement))
    }
}

/// A CSV log as CSVLogger writes it: values made extreme (subnormal, largest double, NaN,
/// infinities), columns and rows dropped or multiplied, quoting and line endings damaged.
enum FuzzCSV {
    static func mutate(_ bytes: [UInt8], _ random: inout FuzzRandom) -> ([UInt8], String) {
        let text = String(decoding: bytes, as: UTF8.self)
        var rows = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        if rows.last == [""] { rows.removeLast() }
        guard rows.count >= 2, random.chance(0.9) else { return FuzzBinary.mutate(bytes, fields: [], &random) }
        var what: String
        let values = ["5e-324", "-5e-324", "1.7976931348623157e308", "-1.7976931348623157e308", "1e308", "nan", "NaN",
                      "inf", "-inf", "Infinity", "", "NA", "1e400", "-0", "0", "2.2250738585072014e-308", "\"", "\"1,2\"",
                      String(repeating: "9", count: 400), "0x1p-1074", "１"]
        switch random.below(8) {
        case 0, 1:
            let value = random.pick(values)
            let count = random.pick([1, 1, 3, 1000])
            for _ in 0..<count {
                let r = 1 + random.below(rows.count - 1)
                guard !rows[r].isEmpty else { continue }
                rows[r][random.below(rows[r].count)] = value
            }
            what = "\(count) cells set to \(value.prefix(30).debugDescription)"
        case 2:
            let value = random.pick(values)
            let column = random.below(rows[0].count)
            for r in 1..<rows.count where column < rows[r].count { rows[r][column] = value }
            what = "column \(column) set to \(value.prefix(30).debugDescription) in every row"
        case 3:
            let column = random.below(rows[0].count)
            let x = random.pick(["0", "1", "5e-324", "1e308", "nan"])
            for r in 1..<rows.count where column < rows[r].count { rows[r][column] = r == 1 ? x : rows[1][column] }
            what = "column \(column) constant (a zero-width axis)"
        case 4:
            let copies = random.pick([0, 2, 5000])
            rows = [rows[0]] + Array(repeating: Array(rows.dropFirst()), count: max(copies, 1)).flatMap { $0 }.prefix(copies == 0 ? 0 : Int.max)
            what = "\(copies) copies of the data rows"
        case 5:
            let extra = random.pick([1, 50, 3000])
            rows[0] += (0..<extra).map { "metric_\($0)" }
            for r in 1..<rows.count { rows[r] += (0..<extra).map { _ in random.pick(values) } }
            what = "\(extra) extra columns"
        case 6:
            let r = random.below(rows.count)
            if rows[r].count > 1 && random.chance(0.5) { rows[r].removeLast() } else { rows[r].append("1") }
            what = "row \(r) has a cell less or more"
        default:
            let header = random.pick(["", "\"", "epoch,epoch", "epoch", ",", "é,\u{0}", String(repeating: "x", count: 100_000) + ",loss"])
            rows[0] = header.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            what = "header replaced by \(header.prefix(20).debugDescription)"
        }
        let ending = random.chance(0.2) ? "\r\n" : "\n"
        return (Array((rows.map { $0.joined(separator: ",") }.joined(separator: ending) + ending).utf8), what)
    }
}
