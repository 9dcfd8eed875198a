internal import CHDF5

/// What a path inside an HDF5 file leads to.
public enum HDF5ObjectKind: Sendable, Equatable {
    case group
    case dataset
    /// A named datatype, or a link that leads nowhere (dangling soft link, external link).
    case other
}

/// A group or a dataset in an open file: both carry attributes (see HDF5Attribute.swift).
public class HDF5Object {
    let objectID: HDF5ObjectID
    let location: HDF5Location
    public let kind: HDF5ObjectKind

    /// The absolute path of the object inside its file, e.g. "/model_weights/dense".
    public var path: String { location.objectPath }
    /// The file as the caller named it.
    public var filePath: String { location.filePath }
    /// The last component of `path` ("/" for the root group).
    public var name: String { HDF5Path.components(path).last ?? "/" }

    init(objectID: HDF5ObjectID, location: HDF5Location, kind: HDF5ObjectKind) {
        self.objectID = objectID
        self.location = location
        self.kind = kind
    }

    func withID<T>(_ body: (hid_t) throws -> T) throws -> T {
        try objectID.withID(at: location, body)
    }

    /// A name that no link or attribute has: looking it up makes HDF5 decode every link or
    /// attribute message of the object, and fail cleanly on a damaged one.
    static let probeName = "\u{7F}keel: a name that is never used\u{7F}"

    /// A link or attribute name met while iterating, with its creation-order index when the
    /// object tracks creation order.
    struct IndexedName {
        let name: String
        let creationOrder: Int64?
    }

    /// Collects names from an HDF5 iteration callback.
    final class NameCollector {
        var names: [IndexedName] = []

        static func add(_ name: UnsafePointer<CChar>?, creationOrder: Int64?, to context: UnsafeMutableRawPointer?) -> herr_t {
            guard let name, let context else { return -1 }
            let collector = Unmanaged<NameCollector>.fromOpaque(context).takeUnretainedValue()
            collector.names.append(IndexedName(name: String(cString: name), creationOrder: creationOrder))
            return 0
        }

        /// Creation order when the object tracks it, otherwise name order by bytes (HDF5's and
        /// h5py's order). HDF5 reports creation indices even for untracked objects, so
        /// whether it tracks is asked of the object, not read from the indices.
        func ordered(byCreation tracked: Bool) -> [String] {
            if tracked {
                return names.enumerated().sorted {
                    ($0.element.creationOrder ?? 0, $0.offset) < ($1.element.creationOrder ?? 0, $1.offset)
                }.map(\.element.name)
            }
            return names.map(\.name).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
    }

    /// Whether this object asks HDF5 to track creation order of its links (`links: true`)
    /// or attributes. Files Keel writes track both; h5py tracks them only with
    /// `track_order=True`.
    func tracksCreationOrder(ofLinks links: Bool) throws -> Bool {
        try withID { id in
            let plist = kind == .group ? H5Gget_create_plist(id) : H5Dget_create_plist(id)
            return try HDF5Scoped.with(plist, close: H5Pclose,
                                       orThrow: location.libraryError(expected: "a readable creation property list")) { plist in
                var flags: UInt32 = 0
                let status = links ? H5Pget_link_creation_order(plist, &flags)
                                   : H5Pget_attr_creation_order(plist, &flags)
                guard status >= 0 else {
                    throw location.libraryError(expected: "a readable creation-order setting")
                }
                return flags & keel_h5p_crt_order_tracked() != 0
            }
        }
    }

    /// Iterates in the storage's native order, and sorts afterwards: HDF5 1.10 builds an index
    /// table for any other order, and its error path for a damaged message in that table frees
    /// pointers it never set, which crashes the process later.
    func orderedNames(ofLinks links: Bool, iterate: (_ context: UnsafeMutableRawPointer) -> herr_t) throws -> [String] {
        let tracked = try tracksCreationOrder(ofLinks: links)
        let collector = NameCollector()
        let status = withExtendedLifetime(collector) {
            iterate(Unmanaged.passUnretained(collector).toOpaque())
        }
        guard status >= 0 else { throw location.libraryError(expected: links ? "readable link names" : "readable attribute names") }
        return collector.ordered(byCreation: tracked)
    }
}

/// A property list asking HDF5 to track and index creation order, so children and attributes
/// list in the order they were written (what Keras relies on and h5py's `track_order` gives).
enum HDF5CreationOrder {
    static func withPropertyList<T>(_ plistClass: hid_t, tracksLinks: Bool, at location: HDF5Location,
                                    _ body: (hid_t) throws -> T) throws -> T {
        try HDF5Scoped.with(H5Pcreate(plistClass), close: H5Pclose,
                            orThrow: location.libraryError(expected: "a creation property list")) { plist in
            let flags = keel_h5p_crt_order_tracked_indexed()
            guard H5Pset_attr_creation_order(plist, flags) >= 0,
                  !tracksLinks || H5Pset_link_creation_order(plist, flags) >= 0 else {
                throw location.libraryError(expected: "creation order tracking")
            }
            return try body(plist)
        }
    }
}

/// Link and attribute names are stored flagged as UTF-8, as h5py stores them, so non-ASCII
/// layer names read back as the same `str`.
enum HDF5UTF8Names {
    static func withPropertyList<T>(_ plistClass: hid_t, at location: HDF5Location,
                                    _ body: (hid_t) throws -> T) throws -> T {
        try HDF5Scoped.with(H5Pcreate(plistClass), close: H5Pclose,
                            orThrow: location.libraryError(expected: "a name-encoding property list")) { plist in
            guard H5Pset_char_encoding(plist, H5T_CSET_UTF8) >= 0 else {
                throw location.libraryError(expected: "UTF-8 name encoding")
            }
            return try body(plist)
        }
    }
}
