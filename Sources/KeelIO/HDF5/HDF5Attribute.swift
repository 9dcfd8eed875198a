internal import CHDF5

/// What an attribute holds, without reading its values.
public struct HDF5AttributeInfo: Sendable, Equatable {
    public let name: String
    public let datatype: HDF5Datatype
    /// [] for a scalar; nil for an empty (null) dataspace (h5py's `h5py.Empty`).
    public let shape: [Int]?
}

/// Attributes of groups, datasets and (through `HDF5File.root`) files. Reads accept every
/// encoding Keras and h5py write; writes use h5py's encodings, so h5py reads them back as the
/// same Python types.
extension HDF5Object {
    /// The attribute names, in creation order when the object tracks it, else in name order.
    public func attributeNames() throws -> [String] {
        try withID { id in
            guard H5Aexists(id, HDF5Object.probeName) >= 0 else {
                throw location.libraryError(expected: "readable attributes")
            }
            var position: hsize_t = 0
            return try orderedNames(ofLinks: false) { context in
                H5Aiterate2(id, H5_INDEX_NAME, H5_ITER_NATIVE, &position, { _, name, info, context in
                    let order = info.flatMap { $0.pointee.corder_valid ? Int64($0.pointee.corder) : nil }
                    return HDF5Object.NameCollector.add(name, creationOrder: order, to: context)
                }, context)
            }
        }
    }

    public func hasAttribute(_ name: String) throws -> Bool {
        try validateAttributeName(name)
        return try withID { id in
            let exists = H5Aexists(id, name)
            guard exists >= 0 else { throw location.libraryError(expected: "readable attributes") }
            return exists > 0
        }
    }

    public func attributeInfo(_ name: String) throws -> HDF5AttributeInfo {
        try withAttributeReader(name) { reader in
            HDF5AttributeInfo(name: name, datatype: reader.datatype, shape: reader.extent.shape)
        }
    }

    /// One string, whichever way it is stored (variable-length, fixed-length bytes, UTF-8 or
    /// ASCII; a scalar or a one-element array).
    public func attributeString(_ name: String) throws -> String {
        try withAttributeReader(name) { try $0.readString() }
    }

    /// Strings, whichever way they are stored. A scalar string gives one element; an empty
    /// attribute of any type (Keras writes `[]` as a float64 array of shape (0,)) gives none.
    public func attributeStrings(_ name: String) throws -> [String] {
        try withAttributeReader(name) { try $0.readStrings() }
    }

    /// The values with their shape, as `elementType` (the stored type when nil).
    public func attributeArray(_ name: String, as elementType: ElementType? = nil) throws -> ArrayData {
        try withAttributeReader(name) { try $0.readArray(as: elementType) }
    }

    /// A single number (a scalar or a one-element array), converted to `T` when lossless.
    public func attributeValue<T: ArrayElement>(_ name: String, as type: T.Type) throws -> T {
        try withAttributeReader(name) { try $0.readScalar(as: type) }
    }

    /// All values, flattened, converted to `T` when lossless.
    public func attributeValues<T: ArrayElement>(_ name: String, as type: T.Type) throws -> [T] {
        try withAttributeReader(name) { try $0.readValues(as: type) }
    }

    /// Creates or replaces a string attribute (a scalar).
    public func setAttribute(_ name: String, _ value: String,
                             encoding: HDF5StringEncoding = .variableLengthUTF8) throws {
        try writeAttribute(name, .strings([value], shape: [], encoding: encoding))
    }

    /// Creates or replaces a one-dimensional string attribute.
    public func setAttribute(_ name: String, _ values: [String],
                             encoding: HDF5StringEncoding = .variableLengthUTF8) throws {
        try writeAttribute(name, .strings(values, shape: [values.count], encoding: encoding))
    }

    /// Creates or replaces a numeric attribute of any shape ([] for a scalar).
    public func setAttribute(_ name: String, _ data: ArrayData) throws {
        try writeAttribute(name, .array(data))
    }

    /// Creates or replaces a scalar numeric attribute.
    public func setAttribute<T: ArrayElement>(_ name: String, _ value: T) throws {
        try writeAttribute(name, .array(ArrayData([value], shape: [])))
    }

    /// Creates or replaces a one-dimensional numeric attribute.
    public func setAttribute<T: ArrayElement>(_ name: String, _ values: [T]) throws {
        try writeAttribute(name, .array(ArrayData(values, shape: [values.count])))
    }

    /// Creates or replaces a scalar int64 attribute (what h5py stores for a Python int).
    public func setAttribute(_ name: String, _ value: Int) throws {
        try setAttribute(name, Int64(value))
    }

    /// Creates or replaces a one-dimensional int64 attribute.
    public func setAttribute(_ name: String, _ values: [Int]) throws {
        try setAttribute(name, values.map { Int64($0) })
    }

    public func deleteAttribute(_ name: String) throws {
        guard try hasAttribute(name) else {
            throw location.error(expected: "an attribute '\(name)' to delete", found: "no attribute of that name")
        }
        try withID { id in
            guard H5Adelete(id, name) >= 0 else {
                throw location.libraryError(expected: "attribute '\(name)' to be deleted")
            }
        }
    }

    private func validateAttributeName(_ name: String) throws {
        guard !name.isEmpty, !name.utf8.contains(0) else {
            throw location.error(expected: "an attribute name (non-empty, without NUL)", found: "\"\(name)\"")
        }
    }

    private func withAttributeReader<T>(_ name: String, _ body: (HDF5ValueReader) throws -> T) throws -> T {
        guard try hasAttribute(name) else {
            let present = (try? attributeNames()) ?? []
            let listing = present.isEmpty ? "no attributes" : "only \(present.prefix(12).joined(separator: ", "))"
            throw location.error(expected: "an attribute '\(name)'", found: listing)
        }
        // Attribute values live in the file's object headers and heaps, so none can be larger.
        let limit = max(objectID.core.fileSize(), 1 << 20)
        let what = "attribute '\(name)'"
        return try withID { id in
            try HDF5Scoped.with(H5Aopen(id, name, keel_h5p_default()), close: H5Aclose,
                                orThrow: location.libraryError(expected: "a readable \(what)")) { attribute in
                try HDF5Scoped.with(H5Aget_type(attribute), close: H5Tclose,
                                    orThrow: location.libraryError(expected: "a readable datatype for \(what)")) { type in
                    try HDF5Scoped.with(H5Aget_space(attribute), close: H5Sclose,
                                        orThrow: location.libraryError(expected: "a readable dataspace for \(what)")) { space in
                        try body(HDF5ValueReader(location: location, core: objectID.core, what: what, typeID: type, spaceID: space,
                                                 storedByteLimit: limit) { memoryType, buffer in
                            H5Aread(attribute, memoryType, buffer)
                        })
                    }
                }
            }
        }
    }

    private func writeAttribute(_ name: String, _ payload: HDF5Payload) throws {
        try validateAttributeName(name)
        try withID { id in
            let exists = H5Aexists(id, name)
            guard exists >= 0 else { throw location.libraryError(expected: "readable attributes") }
            if exists > 0 {
                guard H5Adelete(id, name) >= 0 else {
                    throw location.libraryError(expected: "attribute '\(name)' to be replaced")
                }
            }
            try payload.withEncoded(at: location) { type, space, values in
                let expected = "attribute '\(name)' (\(payload.summary)) to be written"
                do {
                    try HDF5UTF8Names.withPropertyList(keel_h5p_attribute_create(), at: location) { acpl in
                        try HDF5Scoped.with(H5Acreate2(id, name, type, space, acpl, keel_h5p_default()),
                                            close: H5Aclose, orThrow: location.libraryError(expected: expected)) { attribute in
                            guard H5Awrite(attribute, type, values) >= 0 else {
                                throw location.libraryError(expected: expected)
                            }
                        }
                    }
                } catch {
                    // No half-written attribute stays behind.
                    if H5Aexists(id, name) > 0 { _ = H5Adelete(id, name) }
                    throw error
                }
            }
        }
    }
}
