/// The name-list attributes of legacy Keras HDF5 files (`layer_names`, `weight_names`), written
/// and read as Keras's `save_attributes_to_hdf5_group` / `load_attributes_from_hdf5_group` do.
enum HDF5NameList {
    /// Keras splits a list whose NumPy array would exceed this many bytes into `name0`,
    /// `name1`, ... (HDF5's classic object header limit).
    static let objectHeaderLimit = 64512

    /// The names stored under `name`, or under `name0`, `name1`, ... when Keras split them;
    /// an empty list (Keras writes a float64 array of shape (0,)) gives none.
    static func read(_ name: String, of object: HDF5Object) throws -> [String] {
        if try object.hasAttribute(name) { return try object.attributeStrings(name) }
        var names: [String] = []
        var chunk = 0
        while try object.hasAttribute("\(name)\(chunk)") {
            names += try object.attributeStrings("\(name)\(chunk)")
            chunk += 1
        }
        guard chunk > 0 else {
            throw KeelError("\(object.filePath) [\(object.path)]", expected: "an attribute '\(name)' (a list of names)",
                            found: "attributes \(try object.attributeNames().joined(separator: ", "))")
        }
        return names
    }

    /// Writes `names` as Keras does: variable-length strings, an empty float64 array for no
    /// names, and `np.array_split` chunks of fixed-length strings when the list is too large
    /// for one object header.
    static func write(_ names: [String], as name: String, on object: HDF5Object) throws {
        guard !names.isEmpty else {
            try object.setAttribute(name, ArrayData([Double](), shape: [0]))
            return
        }
        if let tooLong = names.first(where: { $0.utf8.count > objectHeaderLimit }) {
            throw KeelError("\(object.filePath) [\(object.path)] attribute '\(name)'",
                            expected: "names of at most \(objectHeaderLimit) bytes",
                            found: "a name of \(tooLong.utf8.count) bytes")
        }
        let width = names.map(\.utf8.count).max() ?? 1
        var chunkCount = 1
        while chunkSizes(count: names.count, chunks: chunkCount).contains(where: { $0 * width > objectHeaderLimit }) {
            chunkCount += 1
        }
        guard chunkCount > 1 else {
            try object.setAttribute(name, names)
            return
        }
        var start = 0
        for (index, size) in chunkSizes(count: names.count, chunks: chunkCount).enumerated() {
            try object.setAttribute("\(name)\(index)", Array(names[start..<(start + size)]), encoding: .fixedLengthBytes)
            start += size
        }
    }

    /// `np.array_split`'s sizes: the first `count % chunks` chunks hold one element more.
    private static func chunkSizes(count: Int, chunks: Int) -> [Int] {
        (0..<chunks).map { count / chunks + ($0 < count % chunks ? 1 : 0) }
    }
}
