/// Rows of elements: what `fromTensorSlices` and `unbatch` cut along the first axis, and what
/// `batch` stacks back together.
extension DataElement {
    /// The length of the first axis, the same for every leaf; an error names `what` when a leaf
    /// has no first axis or the leaves disagree.
    func rowCount(_ what: String) throws -> Int {
        var count: Int?
        for leaf in leaves {
            guard let shape = leaf.shape, let first = shape.first else {
                throw KeelError(what, expected: "arrays with a first axis to slice", found: leaf.kind)
            }
            if let count, count != first {
                throw KeelError(what, expected: "the same first dimension in every array", found: self.kind)
            }
            count = first
        }
        guard let count else { throw KeelError(what, expected: "at least one array", found: "an empty structure") }
        return count
    }

    /// Row `index` of every leaf (the first axis dropped). `index` is in range (checked by the caller).
    func row(_ index: Int) -> DataElement {
        mapLeaves { leaf in
            switch leaf {
            case .tensor(let t):
                var begin = [Int](repeating: 0, count: t.rank), size = t.shape
                begin[0] = index
                size[0] = 1
                return .tensor(t.slice(begin: begin, size: size).reshaped(Array(t.shape.dropFirst())))
            case .bytes(let b):
                let width = b.shape.dropFirst().reduce(1, *)
                return .bytes(ByteArray(unchecked: Array(b.shape.dropFirst()),
                                        bytes: Array(b.bytes[(index &* width)..<(index &* width &+ width)])))
            case .strings(let s):
                let width = s.shape.dropFirst().reduce(1, *)
                return .strings(StringArray(unchecked: Array(s.shape.dropFirst()),
                                            strings: Array(s.strings[(index &* width)..<(index &* width &+ width)])))
            case .tuple, .dict: return leaf
            }
        }
    }

    /// Rows `indices` of every leaf, as one batched element (the first axis kept).
    func rows(_ indices: [Int]) -> DataElement {
        mapLeaves { leaf in
            switch leaf {
            case .tensor(let t):
                return .tensor(t.gathering(Tensor(shape: [indices.count], int32s: indices.map { Int32($0) }), axis: 0))
            case .bytes(let b):
                let width = b.shape.dropFirst().reduce(1, *)
                var bytes = [UInt8]()
                bytes.reserveCapacity(indices.count &* width)
                for i in indices { bytes.append(contentsOf: b.bytes[(i &* width)..<(i &* width &+ width)]) }
                return .bytes(ByteArray(unchecked: [indices.count] + b.shape.dropFirst(), bytes: bytes))
            case .strings(let s):
                let width = s.shape.dropFirst().reduce(1, *)
                var strings = [String]()
                strings.reserveCapacity(indices.count &* width)
                for i in indices { strings.append(contentsOf: s.strings[(i &* width)..<(i &* width &+ width)]) }
                return .strings(StringArray(unchecked: [indices.count] + s.shape.dropFirst(), strings: strings))
            case .tuple, .dict: return leaf
            }
        }
    }

    /// Elements of one structure stacked along a new first axis. Leaves must agree in kind and
    /// shape (tf.data's `batch` has the same rule; pad or resize in a `map` first).
    static func stack(_ elements: [DataElement]) throws -> DataElement {
        guard let first = elements.first else { throw KeelError("Dataset.batch", expected: "at least one element", found: "none") }
        for element in elements.dropFirst() where !element.hasSameStructure(as: first) {
            throw KeelError("Dataset.batch", expected: "elements of one structure \(first.kind)", found: element.kind)
        }
        let columns = elements.map(\.leaves)
        var leafIndex = 0
        return try first.mapLeaves { leaf in
            defer { leafIndex += 1 }
            let column = columns.map { $0[leafIndex] }
            for other in column where other.shape != leaf.shape {
                throw KeelError("Dataset.batch", expected: "elements of one shape \(leaf.kind) (map them to one size first)",
                                found: other.kind)
            }
            switch leaf {
            case .tensor:
                return .tensor(Tensor.stack(column.map { if case .tensor(let t) = $0 { return t } else { return Tensor(0) } }, axis: 0))
            case .bytes(let b):
                var bytes = [UInt8]()
                bytes.reserveCapacity(column.count &* b.bytes.count)
                for case .bytes(let other) in column { bytes.append(contentsOf: other.bytes) }
                return .bytes(ByteArray(unchecked: [column.count] + b.shape, bytes: bytes))
            case .strings(let s):
                var strings = [String]()
                strings.reserveCapacity(column.count &* s.strings.count)
                for case .strings(let other) in column { strings.append(contentsOf: other.strings) }
                return .strings(StringArray(unchecked: [column.count] + s.shape, strings: strings))
            case .tuple, .dict: return leaf
            }
        }
    }
}
