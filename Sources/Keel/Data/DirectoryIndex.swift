#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Where a directory reader's labels come from (Keras's `labels` argument).
public enum DirectoryLabels: Sendable {
    /// One class per subdirectory, in sorted order (or `classNames`'s order).
    case inferred
    /// One integer label per file, in the order of the sorted file paths.
    case given([Int])
    /// No labels: the dataset yields the files' contents only.
    case unlabeled
}

/// How labels are encoded in a directory reader's elements (Keras's `label_mode`).
public enum LabelMode: String, Sendable {
    /// An int32 scalar per sample.
    case int
    /// A float32 one-hot vector of the class count.
    case categorical
    /// A float32 vector [0] or [1] (exactly two classes).
    case binary
}

/// Which part of a split a reader returns (Keras's `subset`; "both" is the overload taking
/// `BothSubsets`).
public enum DatasetSubset: String, Sendable {
    case training, validation
}

/// Keras's `subset="both"`: the training and the validation dataset together.
public enum BothSubsets: Sendable {
    case both
}

/// The files under a directory with their labels, found and ordered exactly as Keras's
/// `index_directory` does, then shuffled with NumPy's legacy generator as Keras does.
struct DirectoryIndex {
    var paths: [String]
    var labels: [Int]?
    var classNames: [String]?

    static func index(directory: String, labels: DirectoryLabels, classNames: [String]?, extensions: [String],
                      shuffle: Bool, seed: UInt32, followLinks: Bool) throws -> DirectoryIndex {
        let subdirectories: [String]
        switch labels {
        case .inferred:
            let found = try classFolders(of: directory)
            if let classNames {
                let missing = classNames.filter { !found.contains($0) }
                guard missing.isEmpty else {
                    throw KeelError("classNames", expected: "names of subdirectories of \(directory) (\(found.joined(separator: ", ")))",
                                    found: missing.joined(separator: ", "))
                }
                subdirectories = classNames
            } else {
                subdirectories = found
            }
        case .given, .unlabeled:
            guard classNames == nil else {
                throw KeelError("classNames", expected: "nil unless labels are inferred from subdirectories",
                                found: "\(classNames!) with labels \(labels)")
            }
            guard FileManager.default.fileExists(atPath: directory) else {
                throw KeelError(directory, expected: "an existing directory", found: "no such directory")
            }
            subdirectories = [""]
        }

        var paths: [String] = []
        var inferredLabels: [Int] = []
        for (classIndex, subdirectory) in subdirectories.enumerated() {
            let folder = join(directory, subdirectory)
            for relative in walk(folder, followLinks: followLinks, extensions: extensions) {
                paths.append(join(directory, join(subdirectory, relative)))
                inferredLabels.append(classIndex)
            }
        }

        var index = DirectoryIndex(paths: paths, labels: nil, classNames: nil)
        switch labels {
        case .inferred:
            index.labels = inferredLabels
            index.classNames = subdirectories
        case .given(let given):
            guard given.count == paths.count else {
                throw KeelError("labels for \(directory)", expected: "one label per file (\(paths.count) files found)",
                                found: "\(given.count) labels")
            }
            if let outside = given.first(where: { Int32(exactly: $0) == nil }) {
                throw KeelError("labels for \(directory)", expected: "32-bit integers", found: "\(outside)")
            }
            index.labels = given
            index.classNames = Set(given).sorted().map(String.init)
        case .unlabeled:
            break
        }
        if shuffle {
            // Keras shuffles paths and labels with two generators seeded alike: one permutation.
            var order = Array(paths.indices)
            var generator = MersenneTwister(numpySeed: seed)
            generator.numpyShuffle(&order)
            index.paths = order.map { index.paths[$0] }
            index.labels = index.labels.map { labels in order.map { labels[$0] } }
        }
        return index
    }

    /// Keras's `get_training_or_validation_split`: the last int(split · n) files are the
    /// validation files, the others the training ones. A split rounding to 0 files leaves no
    /// training files (Python's `x[:-0]` is empty), as in Keras.
    func subset(_ subset: DatasetSubset, validationSplit: Double?) -> DirectoryIndex {
        guard let validationSplit, validationSplit != 0 else { return self }
        let validationCount = Int(validationSplit * Double(paths.count))
        let cut = validationCount == 0 ? 0 : paths.count - validationCount
        let range = subset == .training ? 0..<cut : cut..<paths.count
        return DirectoryIndex(paths: Array(paths[range]), labels: labels.map { Array($0[range]) }, classNames: classNames)
    }

    /// Keras's checks of `validation_split` against `subset`, `shuffle` and `seed`.
    static func checkSplit(_ validationSplit: Double?, subset: Bool, shuffle: Bool, seed: Int?) throws {
        if let validationSplit, validationSplit != 0, !(validationSplit > 0 && validationSplit < 1) {
            throw KeelError("validationSplit", expected: "a fraction between 0 and 1", found: "\(validationSplit)")
        }
        let hasSplit = validationSplit.map { $0 != 0 } ?? false
        guard hasSplit == subset else {
            throw KeelError("validationSplit and subset", expected: "both set or both nil",
                            found: hasSplit ? "a validation split without a subset" : "a subset without a validation split")
        }
        if hasSplit, shuffle, seed == nil {
            throw KeelError("seed", expected: "a seed when shuffling with a validation split (so training and validation files do not overlap)",
                            found: "nil")
        }
    }

    /// The seed Keras's shuffles use: the given one (NumPy accepts 0 ..< 2^32), or one drawn from
    /// Keel's generator below 10^6 as Keras draws `np.random.randint(1e6)`.
    static func seed(_ seed: Int?) throws -> UInt32 {
        guard let seed else { return UInt32(KeelRandom.generator.integer(below: 1_000_000)) }
        guard let value = UInt32(exactly: seed) else {
            throw KeelError("seed", expected: "an integer between 0 and 2^32 - 1", found: "\(seed)")
        }
        return value
    }

    /// The class folders: visible subdirectories (symbolic links to directories count), sorted.
    private static func classFolders(of directory: String) throws -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw KeelError(directory, expected: "a readable directory of class folders", found: "\(error.localizedDescription)")
        }
        return sortedLikePython(names.filter { name in
            var isDirectory: ObjCBool = false
            return !name.hasPrefix(".") && FileManager.default.fileExists(atPath: join(directory, name), isDirectory: &isDirectory)
                && isDirectory.boolValue
        })
    }

    /// The files under `folder` whose names end in one of `extensions` (any case), as paths
    /// relative to it: folders in the order of their sorted paths, files sorted within each, like
    /// Keras's `sorted(os.walk(...))`. Hidden files count; links to directories are entered only
    /// with `followLinks` (and a directory already entered is never entered again).
    private static func walk(_ folder: String, followLinks: Bool, extensions: [String]) -> [String] {
        var folders: [(path: String, relative: String, files: [String])] = []
        var visited = Set<[UInt64]>()
        func visit(_ path: String, relative: String) {
            var status = stat()
            guard stat(path, &status) == 0 else { return }
            guard visited.insert([UInt64(status.st_dev), UInt64(status.st_ino)]).inserted else { return }
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
            var files: [String] = []
            for name in names {
                let child = join(path, name)
                var childStatus = stat()
                guard stat(child, &childStatus) == 0, childStatus.st_mode & S_IFMT == S_IFDIR else {
                    files.append(name)
                    continue
                }
                var linkStatus = stat()
                let isLink = lstat(child, &linkStatus) == 0 && linkStatus.st_mode & S_IFMT == S_IFLNK
                if followLinks || !isLink { visit(child, relative: join(relative, name)) }
            }
            folders.append((path, relative, files))
        }
        visit(folder, relative: "")
        let lowered = extensions.map { $0.lowercased() }
        return folders.sorted { pythonLess($0.path, $1.path) }.flatMap { folder in
            sortedLikePython(folder.files.filter { name in lowered.contains { name.lowercased().hasSuffix($0) } })
                .map { join(folder.relative, $0) }
        }
    }

    /// Python's `os.path.join` for two parts.
    static func join(_ head: String, _ tail: String) -> String {
        if tail.hasPrefix("/") || head.isEmpty { return tail }
        return head.hasSuffix("/") ? head + tail : head + "/" + tail
    }

    /// Python compares strings by code point, which is the order of their UTF-8 bytes.
    static func pythonLess(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    static func sortedLikePython(_ names: [String]) -> [String] {
        names.sorted(by: pythonLess)
    }
}
