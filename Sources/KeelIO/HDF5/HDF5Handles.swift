internal import CHDF5
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// An open HDF5 file id and a registry of the group and dataset ids opened in it. Closing the
/// file closes them first, so the file is really closed (and complete on disk) when `close()`
/// returns even if a caller still holds a group; that group then reports "file is closed"
/// instead of touching a dead id.
final class HDF5FileCore {
    /// The file as the caller named it (for an atomic write: the destination, not the
    /// temporary file HDF5 writes).
    let location: HDF5Location
    /// Where HDF5 reads and writes the bytes (the temporary file during an atomic write).
    private let diskPath: String
    private let isWritable: Bool
    /// The file's address width, length width and base address (the user block's size),
    /// which Keel needs to follow heap addresses itself.
    private let addressSize: Int
    private let lengthSize: Int
    private let baseAddress: Int
    private var fileID: hid_t
    private var openObjects: [ObjectIdentifier: WeakObjectID] = [:]

    private struct WeakObjectID { weak var object: HDF5ObjectID? }

    /// Takes ownership of `fileID`: it is closed here if the file cannot be described.
    init(fileID: hid_t, displayPath: String, diskPath: String) throws {
        let location = HDF5Location(filePath: displayPath, objectPath: "/")
        var intent: UInt32 = 0
        var addressSize = 0, lengthSize = 0
        var userBlock: hsize_t = 0
        let plist = H5Fget_create_plist(fileID)
        let described = plist >= 0 && H5Fget_intent(fileID, &intent) >= 0
            && H5Pget_sizes(plist, &addressSize, &lengthSize) >= 0 && H5Pget_userblock(plist, &userBlock) >= 0
        let failure = described ? nil : location.libraryError(expected: "a file with a readable superblock")
        if plist >= 0 { _ = H5Pclose(plist) }
        if let failure {
            _ = H5Fclose(fileID)
            throw failure
        }
        guard (2...8).contains(addressSize), (2...8).contains(lengthSize), userBlock < hsize_t(Int.max / 2) else {
            _ = H5Fclose(fileID)
            throw location.error(expected: "a superblock with 2- to 8-byte addresses and lengths",
                                 found: "\(addressSize)-byte addresses, \(lengthSize)-byte lengths")
        }
        self.fileID = fileID
        self.location = location
        self.diskPath = diskPath
        self.isWritable = intent & keel_h5f_acc_rdwr() != 0
        self.addressSize = addressSize
        self.lengthSize = lengthSize
        self.baseAddress = Int(userBlock)
    }

    deinit {
        HDF5Library.locked {
            if fileID >= 0 { _ = H5Fclose(fileID) }
        }
    }

    var isOpen: Bool { HDF5Library.locked { fileID >= 0 } }

    func withFileID<T>(_ body: (hid_t) throws -> T) throws -> T {
        try HDF5Library.locked {
            guard fileID >= 0 else {
                throw location.error(expected: "an open file", found: "the file was already closed")
            }
            return try body(fileID)
        }
    }

    /// The file's size, the bound for any value read from it (compressed chunks aside).
    func fileSize() -> Int {
        HDF5Library.locked {
            var size: hsize_t = 0
            guard fileID >= 0, H5Fget_filesize(fileID, &size) >= 0 else { return 0 }
            return Int(clamping: size)
        }
    }

    /// Runs `body` (which reads variable-length values) with Keel's checked global-heap
    /// reader active for this file. A writable file is flushed first, because the reader
    /// reads the heap from disk, not from HDF5's caches.
    func withGlobalHeap<T>(_ body: (HDF5GlobalHeap) throws -> T) throws -> T {
        try withFileID { fileID in
            if isWritable {
                guard H5Fflush(fileID, H5F_SCOPE_LOCAL) >= 0 else {
                    throw location.libraryError(expected: "the file to be flushed before reading strings")
                }
            }
            let descriptor = open(diskPath, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw location.error(expected: "a readable file", found: String(cString: strerror(errno)))
            }
            defer { Glibc.close(descriptor) }
            var status = stat()
            guard fstat(descriptor, &status) == 0 else {
                throw location.error(expected: "a readable file", found: String(cString: strerror(errno)))
            }
            let heap = HDF5GlobalHeap(descriptor: descriptor, fileSize: Int(status.st_size), baseAddress: baseAddress,
                                      addressSize: addressSize, lengthSize: lengthSize)
            let previous = HDF5GlobalHeap.active
            HDF5GlobalHeap.active = heap
            defer { HDF5GlobalHeap.active = previous }
            return try body(heap)
        }
    }

    func register(_ object: HDF5ObjectID) {
        HDF5Library.locked { openObjects[ObjectIdentifier(object)] = WeakObjectID(object: object) }
    }

    func unregister(_ object: HDF5ObjectID) {
        HDF5Library.locked { _ = openObjects.removeValue(forKey: ObjectIdentifier(object)) }
    }

    /// Closes every object still open in the file, then the file. HDF5 writes out its caches
    /// here, so a failure means the file on disk is incomplete.
    func close() throws {
        try HDF5Library.locked {
            guard fileID >= 0 else { return }
            for entry in openObjects.values { entry.object?.close() }
            openObjects.removeAll()
            let id = fileID
            fileID = -1
            guard H5Fclose(id) >= 0 else {
                throw location.libraryError(expected: "the file to be written out and closed")
            }
        }
    }
}

/// Owns one group or dataset id: closed exactly once, by `close()` (directly or through the
/// file's close) or at deinit. Holds its file, so the file id outlives every object in it.
final class HDF5ObjectID {
    let core: HDF5FileCore
    private var rawID: hid_t
    private let closeFunction: (hid_t) -> herr_t

    /// Takes ownership of `rawID` (which must be valid).
    init(_ rawID: hid_t, in core: HDF5FileCore, close closeFunction: @escaping (hid_t) -> herr_t) {
        self.core = core
        self.rawID = rawID
        self.closeFunction = closeFunction
        core.register(self)
    }

    deinit {
        HDF5Library.locked {
            close()
            core.unregister(self)
        }
    }

    func close() {
        HDF5Library.locked {
            guard rawID >= 0 else { return }
            _ = closeFunction(rawID)
            rawID = -1
        }
    }

    /// Runs `body` with the id under the library lock, or throws if the file was closed.
    func withID<T>(at location: HDF5Location, _ body: (hid_t) throws -> T) throws -> T {
        try HDF5Library.locked {
            guard rawID >= 0 else {
                throw location.error(expected: "an open object", found: "its file was already closed")
            }
            return try body(rawID)
        }
    }
}
