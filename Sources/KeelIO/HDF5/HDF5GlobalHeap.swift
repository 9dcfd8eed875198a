internal import CHDF5
import Foundation

/// Reads variable-length strings out of a file's global heap with every size and index
/// checked against the file.
///
/// HDF5 1.10 trusts what it finds in a global heap collection: `H5HG_read` only asserts that
/// an object index exists and copies as many bytes as the object claims, so one damaged byte
/// makes it copy past its buffers and crash the process. Keel therefore registers its own
/// conversion from on-disk variable-length strings to C strings, which HDF5 calls instead of
/// its own whenever Keel reads string values (attributes such as `layer_names`,
/// `model_config`, and string datasets).
final class HDF5GlobalHeap {
    /// The reader the conversion uses; set (under the library lock) only while Keel reads
    /// variable-length values of one file.
    static var active: HDF5GlobalHeap?

    private let descriptor: Int32
    private let fileSize: Int
    private let baseAddress: Int
    private let addressSize: Int
    private let lengthSize: Int
    private var collections: [UInt64: Collection] = [:]
    /// Why the last conversion failed, in words for the error message.
    private(set) var failure: String?
    /// Whether the conversion below produced the strings (so Keel frees them itself).
    private(set) var convertedStrings = false

    private struct Collection {
        let bytes: [UInt8]
        let objects: [Int: Range<Int>]
    }

    private struct Damage: Error, CustomStringConvertible {
        let description: String
    }

    init(descriptor: Int32, fileSize: Int, baseAddress: Int, addressSize: Int, lengthSize: Int) {
        self.descriptor = descriptor
        self.fileSize = fileSize
        self.baseAddress = baseAddress
        self.addressSize = addressSize
        self.lengthSize = lengthSize
    }

    /// Registers the conversion with HDF5; called once when the library is initialized.
    static func registerConversion() {
        let template = H5Tcopy(keel_h5t_c_s1())
        guard template >= 0 else { return }
        defer { H5Tclose(template) }
        guard H5Tset_size(template, keel_h5t_variable()) >= 0 else { return }
        _ = H5Tregister(H5T_PERS_SOFT, "keel_checked_vlen_string_read", template, template, convert)
    }

    private static let convert: H5T_conv_t = { source, destination, cdata, count, stride, _, buffer, _, _ in
        guard let cdata else { return -1 }
        switch cdata.pointee.command {
        case H5T_CONV_INIT:
            // Only reads: on-disk strings (length + heap address + index) into char pointers.
            // Anything else declines, and HDF5 uses its own conversion.
            let pointerSize = MemoryLayout<UnsafeMutablePointer<CChar>?>.size
            guard H5Tis_variable_str(source) > 0, H5Tis_variable_str(destination) > 0,
                  H5Tget_size(destination) == pointerSize, H5Tget_size(source) != pointerSize else { return -1 }
            cdata.pointee.need_bkg = H5T_BKG_NO
            return 0
        case H5T_CONV_FREE:
            return 0
        default:
            guard let heap = active, let buffer else { return -1 }
            return heap.convert(count: count, sourceSize: H5Tget_size(source), stride: stride, buffer: buffer) ? 0 : -1
        }
    }

    /// Converts in place. Destination elements (pointers) are smaller than source elements,
    /// so going forward never overwrites a source element before it is read.
    private func convert(count: Int, sourceSize: Int, stride: Int, buffer: UnsafeMutableRawPointer) -> Bool {
        let pointerSize = MemoryLayout<UnsafeMutablePointer<CChar>?>.size
        guard sourceSize == 4 + addressSize + 4 else {
            failure = "variable-length strings of \(sourceSize) bytes on disk (expected \(8 + addressSize))"
            return false
        }
        var produced: [UnsafeMutablePointer<CChar>] = []
        for index in 0..<count {
            let element = buffer + index * (stride == 0 ? sourceSize : stride)
            let length = Int(littleEndian(element, byteCount: 4))
            let address = littleEndian(element + 4, byteCount: addressSize)
            let objectIndex = Int(littleEndian(element + 4 + addressSize, byteCount: 4))
            let string: UnsafeMutablePointer<CChar>
            do {
                string = try makeString(length: length, address: address, objectIndex: objectIndex)
            } catch {
                failure = "\(error)"
                produced.forEach { free($0) }
                return false
            }
            produced.append(string)
            (buffer + index * (stride == 0 ? pointerSize : stride)).storeBytes(of: string, as: UnsafeMutablePointer<CChar>.self)
        }
        convertedStrings = true
        return true
    }

    private func littleEndian(_ pointer: UnsafeMutableRawPointer, byteCount: Int) -> UInt64 {
        (0..<byteCount).reversed().reduce(UInt64(0)) { ($0 << 8) | UInt64(pointer.load(fromByteOffset: $1, as: UInt8.self)) }
    }

    private func littleEndian(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.reversed().reduce(0) { ($0 << 8) | Int($1) }
    }

    /// A malloc'ed, NUL-terminated copy of one heap object (freed by the caller with `free`).
    /// A null reference (address 0) or a zero length is the empty string, as in HDF5.
    private func makeString(length: Int, address: UInt64, objectIndex: Int) throws -> UnsafeMutablePointer<CChar> {
        var object: ArraySlice<UInt8> = []
        if address != 0 && length > 0 {
            let collection = try collection(at: address)
            guard objectIndex > 0, let range = collection.objects[objectIndex] else {
                throw Damage(description: "a string refers to object \(objectIndex) of the global heap collection at address \(address), which holds no such object")
            }
            guard length <= range.count else {
                throw Damage(description: "a string of \(length) bytes refers to a global heap object of \(range.count) bytes")
            }
            object = collection.bytes[range.lowerBound..<(range.lowerBound + length)]
        }
        guard let string = malloc(object.count + 1)?.assumingMemoryBound(to: CChar.self) else {
            throw Damage(description: "no memory for a string of \(object.count) bytes")
        }
        object.withUnsafeBytes { raw in
            if let base = raw.baseAddress { memcpy(string, base, raw.count) }
        }
        string[object.count] = 0
        return string
    }

    /// Parses (once per read) the collection at `address`, checking that its objects tile it
    /// exactly as the format requires.
    private func collection(at address: UInt64) throws -> Collection {
        if let known = collections[address] { return known }
        let headerSize = 8 + lengthSize
        guard address <= UInt64(fileSize) else {
            throw Damage(description: "a string refers to global heap address \(address), beyond the end of the file")
        }
        let offset = baseAddress + Int(address)
        let header = read(at: offset, count: headerSize)
        guard header.count == headerSize, header.prefix(4).elementsEqual("GCOL".utf8), header[4] == 1 else {
            throw Damage(description: "no global heap collection at address \(address)")
        }
        let size = littleEndian(header[8...])
        guard size >= headerSize, size <= fileSize - offset else {
            throw Damage(description: "the global heap collection at address \(address) claims \(size) bytes, beyond the end of the file")
        }
        let bytes = read(at: offset, count: size)
        guard bytes.count == size else {
            throw Damage(description: "the global heap collection at address \(address) cannot be read")
        }
        let objectHeaderSize = 8 + lengthSize
        var objects: [Int: Range<Int>] = [:]
        var position = headerSize
        while position + objectHeaderSize <= size {
            let objectIndex = Int(bytes[position]) | Int(bytes[position + 1]) << 8
            let objectSize = littleEndian(bytes[(position + 8)..<(position + objectHeaderSize)])
            // Object 0 is the free space, whose size includes its header; others are padded to 8.
            let need = objectIndex == 0 ? objectSize : objectHeaderSize + ((objectSize &+ 7) / 8) * 8
            guard objectSize >= 0, objectSize <= size, need > 0, need <= size - position else {
                throw Damage(description: "the global heap collection at address \(address) holds an object of \(objectSize) bytes that does not fit in its \(size) bytes")
            }
            if objectIndex != 0 {
                objects[objectIndex] = (position + objectHeaderSize)..<(position + objectHeaderSize + objectSize)
            }
            position += need
        }
        let collection = Collection(bytes: bytes, objects: objects)
        collections[address] = collection
        return collection
    }

    private func read(at offset: Int, count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let result = bytes.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return pread(descriptor, base + done, count - done, off_t(offset + done))
            }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { return Array(bytes.prefix(done)) }
            done += result
        }
        return bytes
    }
}
