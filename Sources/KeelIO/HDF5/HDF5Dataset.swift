internal import CHDF5

/// An n-dimensional array stored in an HDF5 file (a Keras weight, an optimizer slot...).
/// Its type and shape are read when it is opened; the values when asked.
public final class HDF5Dataset: HDF5Object {
    /// [] for a scalar dataset.
    public let shape: [Int]
    public let datatype: HDF5Datatype
    /// The type `read()` returns, nil when the dataset holds no `ElementType` (strings,
    /// uint16, float16, compound...).
    public var elementType: ElementType? { datatype.elementType }
    public var count: Int { shape.reduce(1, *) }
    private let hasNullDataspace: Bool

    /// Takes ownership of an open dataset id (closed here if it cannot be described).
    init(openID rawID: hid_t, in core: HDF5FileCore, location: HDF5Location) throws {
        let objectID = HDF5ObjectID(rawID, in: core, close: H5Dclose)
        let (datatype, extent) = try HDF5Dataset.describe(rawID, at: location)
        self.datatype = datatype
        self.shape = extent.shape ?? []
        self.hasNullDataspace = extent.shape == nil
        super.init(objectID: objectID, location: location, kind: .dataset)
    }

    private static func describe(_ id: hid_t, at location: HDF5Location) throws -> (HDF5Datatype, HDF5Extent) {
        try HDF5Scoped.with(H5Dget_type(id), close: H5Tclose,
                            orThrow: location.libraryError(expected: "a dataset with a readable datatype")) { type in
            try HDF5Scoped.with(H5Dget_space(id), close: H5Sclose,
                                orThrow: location.libraryError(expected: "a dataset with a readable dataspace")) { space in
                (try HDF5Datatype(describing: type, at: location, what: "dataset"),
                 try HDF5Extent(describing: space, at: location, what: "dataset"))
            }
        }
    }

    /// The values in their stored type; throws when that is not an `ElementType`.
    public func read() throws -> ArrayData {
        try withReader { try $0.readArray() }
    }

    /// The values as `elementType` (converted when lossless: any number to float32/float64,
    /// integers to wider integers); `shape`, when given, must be the dataset's shape.
    public func read(as elementType: ElementType, shape expectedShape: [Int]? = nil) throws -> ArrayData {
        try withReader { try $0.readArray(as: elementType, shape: expectedShape) }
    }

    /// The values, flattened in C order, as `T` (converted like `read(as:shape:)`).
    public func readValues<T: ArrayElement>(as type: T.Type, shape expectedShape: [Int]? = nil) throws -> [T] {
        try withReader { try $0.readValues(as: type, shape: expectedShape) }
    }

    /// The values as Float, whatever number type is stored.
    public func readFloats(shape expectedShape: [Int]? = nil) throws -> [Float] {
        try readValues(as: Float.self, shape: expectedShape)
    }

    /// A single value (a scalar dataset such as an optimizer's `iteration`).
    public func readScalar<T: ArrayElement>(as type: T.Type) throws -> T {
        try withReader { try $0.readScalar(as: type) }
    }

    /// The values as strings, for datasets of variable- or fixed-length strings.
    public func readStrings() throws -> [String] {
        try withReader { try $0.readStrings() }
    }

    /// Replaces the values; `data` must have the dataset's shape (its element type is
    /// converted to the stored one, e.g. float32 values into a float64 dataset).
    public func write(_ data: ArrayData) throws {
        guard data.shape == shape, !hasNullDataspace, datatype.elementType != nil else {
            throw location.error(expected: "values for a dataset of \(datatype) with shape \(shape)",
                                 found: "\(data.elementType) of shape \(data.shape)")
        }
        try withID { id in
            try HDF5Payload.array(data).withEncoded(at: location) { memoryType, _, values in
                guard H5Dwrite(id, memoryType, keel_h5s_all(), keel_h5s_all(), keel_h5p_default(), values) >= 0 else {
                    throw location.libraryError(expected: "dataset values (\(data.elementType)) to be written")
                }
            }
        }
    }

    private func withReader<T>(_ body: (HDF5ValueReader) throws -> T) throws -> T {
        let limit = try storedByteLimit()
        return try withID { id in
            try HDF5Scoped.with(H5Dget_type(id), close: H5Tclose,
                                orThrow: location.libraryError(expected: "a dataset with a readable datatype")) { type in
                try HDF5Scoped.with(H5Dget_space(id), close: H5Sclose,
                                    orThrow: location.libraryError(expected: "a dataset with a readable dataspace")) { space in
                    try body(HDF5ValueReader(location: location, core: objectID.core, what: "dataset", typeID: type, spaceID: space,
                                             storedByteLimit: limit) { memoryType, buffer in
                        H5Dread(id, memoryType, keel_h5s_all(), keel_h5s_all(), keel_h5p_default(), buffer)
                    })
                }
            }
        }
    }

    /// The most bytes the values can take given the file's size: a corrupt dimension must
    /// not make Keel allocate terabytes. Chunked data may be compressed (deflate shrinks at
    /// most ~1000 times), contiguous and compact data cannot be; a never-written dataset
    /// (read as fill values) gets a modest allowance.
    private func storedByteLimit() throws -> Int {
        let fileSize = objectID.core.fileSize()
        return try withID { id in
            let storage = Int(clamping: H5Dget_storage_size(id))
            let base = max(fileSize, storage, 64 << 20)
            let layout = try HDF5Scoped.with(H5Dget_create_plist(id), close: H5Pclose,
                                             orThrow: location.libraryError(expected: "a readable dataset layout")) {
                H5Pget_layout($0)
            }
            guard layout != H5D_LAYOUT_ERROR else {
                throw location.libraryError(expected: "a readable dataset layout")
            }
            return layout == H5D_CHUNKED ? min(base, Int.max / 2048) * 1100 + (1 << 20) : base
        }
    }
}
