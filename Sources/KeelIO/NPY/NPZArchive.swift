/// The named arrays of an `.npz` file, in the order the file lists them (NumPy's `np.savez`
/// writes keyword arrays in the order given, and Keel keeps that order when writing back).
public struct NPZArchive: Equatable, Sendable {
    public private(set) var names: [String] = []
    private var arraysByName: [String: ArrayData] = [:]

    public init() {}

    /// Keeps the order of `members`; a repeated name keeps its first position and last array.
    public init(_ members: [(name: String, array: ArrayData)]) {
        for (name, array) in members { self[name] = array }
    }

    public var count: Int { names.count }

    /// The array stored under `name`; setting a new name appends it, setting nil removes it.
    public subscript(name: String) -> ArrayData? {
        get { arraysByName[name] }
        set {
            if newValue == nil {
                names.removeAll { $0 == name }
            } else if arraysByName[name] == nil {
                names.append(name)
            }
            arraysByName[name] = newValue
        }
    }

    /// The members as name/array pairs, in order.
    public var members: [(name: String, array: ArrayData)] {
        names.compactMap { name in arraysByName[name].map { (name, $0) } }
    }

    /// The arrays by name, when order does not matter.
    public var arrays: [String: ArrayData] { arraysByName }

    /// The array named `name`, demanding an element type and shape (nil sizes match any).
    /// `source` names the archive in errors (usually its path).
    public func array(named name: String, as elementType: ElementType? = nil, shape: [Int?]? = nil,
                      in source: String) throws -> ArrayData {
        guard let array = arraysByName[name] else {
            let available = names.isEmpty ? "no arrays" : "arrays " + names.joined(separator: ", ")
            throw KeelError(source, expected: "an array named '\(name)'", found: available)
        }
        return try array.requiring(elementType, shape: shape, in: "\(source) member '\(name)'")
    }
}
