internal import CHDF5

/// The shape of a dataset's or attribute's dataspace.
struct HDF5Extent {
    /// nil for a null dataspace (h5py's `h5py.Empty`), which holds no values at all.
    let shape: [Int]?
    let count: Int

    init(shape: [Int]?) {
        self.shape = shape
        self.count = shape.map { $0.reduce(1, *) } ?? 0
    }

    init(describing spaceID: hid_t, at location: HDF5Location, what: String) throws {
        switch H5Sget_simple_extent_type(spaceID) {
        case H5S_NULL:
            self.init(shape: nil)
        case H5S_SCALAR:
            self.init(shape: [])
        case H5S_SIMPLE:
            let rank = H5Sget_simple_extent_ndims(spaceID)
            guard rank >= 0 else { throw location.libraryError(expected: "a readable dataspace for \(what)") }
            var dimensions = [hsize_t](repeating: 0, count: Int(rank))
            guard H5Sget_simple_extent_dims(spaceID, &dimensions, nil) >= 0 else {
                throw location.libraryError(expected: "a readable dataspace for \(what)")
            }
            var count = 1
            for dimension in dimensions {
                let (product, overflow) = count.multipliedReportingOverflow(by: Int(clamping: dimension))
                guard !overflow, dimension <= UInt64(Int.max) else {
                    throw location.error(expected: "a dataspace for \(what) whose size fits in memory",
                                         found: "dimensions \(dimensions)")
                }
                count = product
            }
            self.init(shape: dimensions.map { Int($0) })
        default:
            throw location.libraryError(expected: "a readable dataspace for \(what)")
        }
    }

    var shapeDescription: String {
        guard let shape else { return "an empty (null) dataspace" }
        return shape.isEmpty ? "a scalar" : "shape \(shape)"
    }

    /// `count * byteCount`, or a KeelError when that exceeds `limit` (which a corrupt
    /// dimension would make huge).
    func byteCount(elementSize byteCount: Int, limit: Int, at location: HDF5Location,
                   what: String) throws -> Int {
        let (total, overflow) = count.multipliedReportingOverflow(by: byteCount)
        guard !overflow, total <= limit else {
            throw location.error(expected: "\(what) no larger than the file can hold (\(limit) bytes)",
                                 found: "\(shapeDescription) of \(byteCount)-byte elements")
        }
        return total
    }

    /// Creates the dataspace that holds `shape` ([] for a scalar).
    static func withDataspace<T>(shape: [Int], at location: HDF5Location,
                                 _ body: (hid_t) throws -> T) throws -> T {
        let dimensions = shape.map { hsize_t($0) }
        let space = shape.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(shape.count), dimensions, nil)
        return try HDF5Scoped.with(space, close: H5Sclose,
                                   orThrow: location.libraryError(expected: "a dataspace of shape \(shape)"), body)
    }
}
