internal import CHDF5

/// A group in an HDF5 file: a folder of groups and datasets. Paths may be nested
/// ("model_weights/dense/dense") and are relative to this group unless they start with "/".
public final class HDF5Group: HDF5Object {
    public struct Child: Sendable, Equatable {
        public let name: String
        public let kind: HDF5ObjectKind
    }

    /// Takes ownership of an open group id.
    init(openID rawID: hid_t, in core: HDF5FileCore, location: HDF5Location) {
        super.init(objectID: HDF5ObjectID(rawID, in: core, close: H5Gclose), location: location, kind: .group)
    }

    /// What `path` leads to, or nil when nothing is there (also when the path runs through a
    /// dataset).
    public func kind(of path: String) throws -> HDF5ObjectKind? {
        let resolved = try resolve(path)
        return try withID { id in try kindOfObject(at: resolved, in: id) }
    }

    /// Whether `path` leads to a group, a dataset or another object.
    public func contains(_ path: String) throws -> Bool {
        try kind(of: path) != nil
    }

    /// Opens the group at `path`; throws when it is missing or not a group.
    public func group(_ path: String) throws -> HDF5Group {
        let resolved = try resolve(path)
        return try withID { id in
            try expect(.group, at: resolved, in: id)
            return try HDF5Scoped.adopt(H5Gopen2(id, resolved.hdf5Path, keel_h5p_default()),
                                        orThrow: location.child(resolved.hdf5Path).libraryError(expected: "a readable group")) {
                HDF5Group(openID: $0, in: objectID.core, location: location.child(resolved.hdf5Path))
            }
        }
    }

    /// Creates the group at `path` and any missing groups above it; throws if `path` exists.
    @discardableResult
    public func createGroup(_ path: String) throws -> HDF5Group {
        try makeGroups(path, allowExisting: false)
    }

    /// The group at `path`, created (with any missing groups above it) if missing; throws if
    /// something other than a group is there.
    @discardableResult
    public func requireGroup(_ path: String) throws -> HDF5Group {
        try makeGroups(path, allowExisting: true)
    }

    /// Opens the dataset at `path`; throws when it is missing or not a dataset.
    public func dataset(_ path: String) throws -> HDF5Dataset {
        let resolved = try resolve(path)
        return try withID { id in
            try expect(.dataset, at: resolved, in: id)
            return try HDF5Scoped.adopt(H5Dopen2(id, resolved.hdf5Path, keel_h5p_default()),
                                        orThrow: location.child(resolved.hdf5Path).libraryError(expected: "a readable dataset")) {
                try HDF5Dataset(openID: $0, in: objectID.core, location: location.child(resolved.hdf5Path))
            }
        }
    }

    /// Creates a dataset holding `data` (contiguous, uncompressed, as Keras writes weights),
    /// creating missing groups above it like h5py does; throws if `path` exists.
    @discardableResult
    public func createDataset(_ path: String, data: ArrayData) throws -> HDF5Dataset {
        try makeDataset(path, .array(data))
    }

    /// Creates a one-dimensional dataset of strings.
    @discardableResult
    public func createDataset(_ path: String, strings: [String],
                              encoding: HDF5StringEncoding = .variableLengthUTF8) throws -> HDF5Dataset {
        try makeDataset(path, .strings(strings, shape: [strings.count], encoding: encoding))
    }

    /// The names of the groups and datasets in this group, in creation order when the group
    /// tracks it (files Keel writes do), in name order otherwise.
    public func childNames() throws -> [String] {
        try withID { id in
            guard H5Lexists(id, HDF5Object.probeName, keel_h5p_default()) >= 0 else {
                throw location.libraryError(expected: "readable links")
            }
            var position: hsize_t = 0
            return try orderedNames(ofLinks: true) { context in
                H5Literate(id, H5_INDEX_NAME, H5_ITER_NATIVE, &position, { _, name, info, context in
                    let order = info.flatMap { $0.pointee.corder_valid ? $0.pointee.corder : nil }
                    return HDF5Object.NameCollector.add(name, creationOrder: order, to: context)
                }, context)
            }
        }
    }

    /// The children with what each one is, in the order of `childNames()`.
    public func children() throws -> [Child] {
        let names = try childNames()
        return try withID { id in
            try names.map { name in
                Child(name: name, kind: try kindOfObject(at: ResolvedPath(components: [name], isAbsolute: false),
                                                         in: id) ?? .other)
            }
        }
    }

    /// Removes the link at `path` (the space it used is not reclaimed: HDF5 never shrinks
    /// files, which is one more reason Keel rewrites checkpoints instead of editing them).
    public func removeChild(_ path: String) throws {
        let resolved = try resolve(path)
        try withID { id in
            guard try kindOfObject(at: resolved, in: id) != nil else {
                throw location.child(resolved.hdf5Path).error(expected: "an object to remove", found: "nothing there")
            }
            guard H5Ldelete(id, resolved.hdf5Path, keel_h5p_default()) >= 0 else {
                throw location.child(resolved.hdf5Path).libraryError(expected: "the object to be removed")
            }
        }
    }

    // MARK: - Paths

    struct ResolvedPath {
        let components: [String]
        let isAbsolute: Bool

        var hdf5Path: String {
            let joined = components.joined(separator: "/")
            return isAbsolute ? "/" + joined : (joined.isEmpty ? "." : joined)
        }

        func prefix(_ count: Int) -> ResolvedPath {
            ResolvedPath(components: Array(components.prefix(count)), isAbsolute: isAbsolute)
        }
    }

    private func resolve(_ path: String) throws -> ResolvedPath {
        try HDF5Path.validate(path, what: "object path", at: location)
        return ResolvedPath(components: HDF5Path.components(path), isAbsolute: path.hasPrefix("/"))
    }

    /// Walks the path link by link: HDF5 treats a missing intermediate group as an error,
    /// which must not be confused with a damaged file.
    private func kindOfObject(at path: ResolvedPath, in id: hid_t) throws -> HDF5ObjectKind? {
        guard !path.components.isEmpty else { return .group }
        for depth in 1...path.components.count {
            let prefix = path.prefix(depth).hdf5Path
            let isLast = depth == path.components.count
            let linkExists = H5Lexists(id, prefix, keel_h5p_default())
            guard linkExists >= 0 else { throw location.child(prefix).libraryError(expected: "readable links") }
            guard linkExists > 0 else { return nil }
            let objectExists = H5Oexists_by_name(id, prefix, keel_h5p_default())
            guard objectExists >= 0 else { throw location.child(prefix).libraryError(expected: "a readable object") }
            guard objectExists > 0 else { return isLast ? .other : nil }
            var info = H5O_info_t()
            guard H5Oget_info_by_name2(id, prefix, &info, UInt32(H5O_INFO_BASIC), keel_h5p_default()) >= 0 else {
                throw location.child(prefix).libraryError(expected: "a readable object header")
            }
            let kind: HDF5ObjectKind
            switch info.type {
            case H5O_TYPE_GROUP: kind = .group
            case H5O_TYPE_DATASET: kind = .dataset
            default: kind = .other
            }
            if isLast { return kind }
            if kind != .group { return nil }
        }
        return nil
    }

    private func expect(_ wanted: HDF5ObjectKind, at path: ResolvedPath, in id: hid_t) throws {
        let found = try kindOfObject(at: path, in: id)
        guard found != wanted else { return }
        let what = wanted == .group ? "a group" : "a dataset"
        let subject = location.child(path.hdf5Path)
        let description: String
        switch found {
        case .group: description = "a group"
        case .dataset: description = "a dataset"
        case .other: description = "a link to something that is neither a group nor a dataset"
        case nil:
            let names = (try? childNames()) ?? []
            description = "nothing there (\(location.objectPath) "
                + (names.isEmpty ? "is empty)" : "contains: \(names.prefix(12).joined(separator: ", ")))")
        }
        throw subject.error(expected: what, found: description)
    }

    // MARK: - Creating

    private func makeGroups(_ path: String, allowExisting: Bool) throws -> HDF5Group {
        let resolved = try resolve(path)
        try withID { id in
            try HDF5CreationOrder.withPropertyList(keel_h5p_group_create(), tracksLinks: true, at: location) { gcpl in
                try HDF5UTF8Names.withPropertyList(keel_h5p_link_create(), at: location) { lcpl in
                    for depth in 0...resolved.components.count {
                        let prefix = resolved.prefix(depth)
                        let isLast = depth == resolved.components.count
                        switch try kindOfObject(at: prefix, in: id) {
                        case .group:
                            if isLast && !allowExisting {
                                throw location.child(prefix.hdf5Path).error(
                                    expected: "no object (to create a group here)", found: "a group already here")
                            }
                        case nil:
                            let created = H5Gcreate2(id, prefix.hdf5Path, lcpl, gcpl, keel_h5p_default())
                            guard created >= 0 else {
                                throw location.child(prefix.hdf5Path).libraryError(expected: "a new group")
                            }
                            _ = H5Gclose(created)
                        case .dataset, .other:
                            throw location.child(prefix.hdf5Path).error(
                                expected: "a group or nothing (to create a group in)", found: "a dataset or another object")
                        }
                    }
                }
            }
        }
        return try group(path)
    }

    private func makeDataset(_ path: String, _ payload: HDF5Payload) throws -> HDF5Dataset {
        let resolved = try resolve(path)
        guard let name = resolved.components.last else {
            throw location.error(expected: "a dataset name", found: "\"\(path)\"")
        }
        let parentPath = resolved.prefix(resolved.components.count - 1)
        let parent = parentPath.components.isEmpty && !parentPath.isAbsolute
            ? self : try requireGroup(parentPath.hdf5Path)
        return try parent.withID { parentID in
            let target = parent.location.child(name)
            if try parent.kindOfObject(at: ResolvedPath(components: [name], isAbsolute: false), in: parentID) != nil {
                throw target.error(expected: "no object (to create a dataset here)", found: "an object already here")
            }
            return try payload.withEncoded(at: parent.location) { type, space, values in
                try HDF5CreationOrder.withPropertyList(keel_h5p_dataset_create(), tracksLinks: false,
                                                       at: parent.location) { dcpl in
                    try HDF5UTF8Names.withPropertyList(keel_h5p_link_create(), at: parent.location) { lcpl in
                        let expected = "a new dataset of \(payload.summary)"
                        let created = H5Dcreate2(parentID, name, type, space, lcpl, dcpl, keel_h5p_default())
                        guard created >= 0 else { throw target.libraryError(expected: expected) }
                        guard H5Dwrite(created, type, keel_h5s_all(), keel_h5s_all(), keel_h5p_default(), values) >= 0 else {
                            let failure = target.libraryError(expected: expected)
                            // No half-written dataset stays behind.
                            _ = H5Dclose(created)
                            _ = H5Ldelete(parentID, name, keel_h5p_default())
                            throw failure
                        }
                        return try HDF5Dataset(openID: created, in: objectID.core, location: target)
                    }
                }
            }
        }
    }
}
