extension ArrayData {
    /// This array, when it has `elementType` and a shape matching `shape`; otherwise a
    /// `KeelError` naming `source` (the file, or file and member) with what was demanded and
    /// what was found. A nil entry in `shape` matches any size of that axis; a nil `shape` or
    /// `elementType` matches anything.
    public func requiring(_ elementType: ElementType? = nil, shape: [Int?]? = nil,
                          in source: String) throws -> ArrayData {
        if let elementType, elementType != self.elementType {
            throw KeelError(source, expected: "\(elementType) elements",
                            found: "\(self.elementType) elements (shape \(Self.describe(self.shape)))")
        }
        if let shape {
            let matches = shape.count == self.shape.count
                && zip(shape, self.shape).allSatisfy { demanded, actual in demanded.map { $0 == actual } ?? true }
            guard matches else {
                throw KeelError(source, expected: "shape \(Self.describe(shape))",
                                found: "shape \(Self.describe(self.shape))")
            }
        }
        return self
    }

    /// The number of bytes `shape` of `elementType` takes, or nil when it does not fit in `Int`.
    /// Zero-size axes are set aside while checking, so `(2**62, 0)` is a valid empty array; and
    /// when the non-zero sizes fit, so does every partial product `ArrayData` computes.
    static func byteCount(of elementType: ElementType, shape: [Int]) -> Int? {
        byteCount(elementSize: elementType.byteCount, shape: shape)
    }

    static func byteCount(elementSize: Int, shape: [Int]) -> Int? {
        var total = elementSize
        for dimension in shape where dimension != 0 {
            let (product, overflow) = total.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            total = product
        }
        return shape.contains(0) ? 0 : total
    }

    /// A shape written the way NumPy prints one: `()`, `(3,)`, `(2, 3)`; `?` for any size.
    static func describe(_ shape: [Int?]) -> String {
        let sizes = shape.map { $0.map(String.init) ?? "?" }
        return sizes.count == 1 ? "(\(sizes[0]),)" : "(" + sizes.joined(separator: ", ") + ")"
    }

    static func describe(_ shape: [Int]) -> String {
        describe(shape.map { Optional($0) })
    }
}
