/// A layer with its own rules for the inputs it accepts (see `Layer.checkInputs`).
public protocol InputValidating {
    func validateInputs(_ shapes: [[Int?]]) throws
}

/// The input checks of the built-in layers, run on models built from files: rank, axis,
/// channel and window sizes that the ops would otherwise stop on.
func describeShape(_ shape: [Int?]) -> String {
    "(" + shape.map { $0.map(String.init) ?? "None" }.joined(separator: ", ") + ")"
}

extension Layer {
    /// The single input's shape, with its rank checked.
    func singleInput(_ shapes: [[Int?]], rank: ClosedRange<Int>) throws -> [Int?] {
        guard shapes.count == 1 else { throw invalidInput("one input", found: "\(shapes.count) inputs") }
        guard rank.contains(shapes[0].count) else {
            let expected = rank.lowerBound == rank.upperBound ? "rank \(rank.lowerBound)" : "rank \(rank.lowerBound) to \(rank.upperBound)"
            throw invalidInput("an input of \(expected)", found: "shape \(describeShape(shapes[0]))")
        }
        return shapes[0]
    }

    /// An axis (possibly negative) within a rank.
    func checkAxis(_ axis: Int, rank: Int, field: String = "axis") throws {
        guard axis >= -rank && axis < rank else {
            throw invalidInput("\(field) within rank \(rank)", found: "\(field) \(axis)")
        }
    }

    /// A spatial window (kernel or pool) that fits the padded input along one axis.
    func checkWindow(length: Int?, window: Int, dilation: Int, padding: Padding, what: String) throws {
        guard let length, padding == .valid else { return }
        let span = dilation * (window - 1) + 1
        guard span <= length else {
            throw invalidInput("a \(what) no larger than the input (\(length))", found: "\(what) span \(span)")
        }
    }
}

extension Dense: InputValidating {
    public func validateInputs(_ shapes: [[Int?]]) throws {
        let shape = try singleInput(shapes, rank: 2...8)
        guard shape.last != nil else { throw invalidInput("a known last dimension", found: "shape \(describeShape(shape))") }
    }
}

extension Conv2D: InputValidating {
    public func validateInputs(_ shapes: [[Int?]]) throws {
        let shape = try singleInput(shapes, rank: 4...4)
        if let channels = shape[3] ?? nil, channels % groups != 0 {
            throw invalidInput("input channels divisible by groups (\(groups))", found: "\(channels) channels")
        }
        try checkWindow(length: shape[1], window: kernelSize.0, dilation: dilationRate.0, padding: padding, what: "kernel")
        try checkWindow(length: shape[2], window: kernelSize.1, dilation: dilationRate.1, padding: padding, what: "kernel")
    }
}

extension Conv2DTranspose: InputValidating {
    public func validateInputs(_ shapes: [[Int?]]) throws {
        _ = try singleInput(shapes, rank: 4...4)
    }
}

extension Pooling2D: InputValidating {
    public func validateInputs(_ shapes: [[Int?]]) throws {
        let shape = try singleInput(shapes, rank: 4...4)
        try checkWindow(length: shape[1], window: poolSize.0, dilation: 1, padding: padding, what: "pool")
        try checkWindow(length: shape[2], window: poolSize.1, dilation: 1, padding: padding, what: "pool")
        for (value, length) in [(poolSize.0, shape[1]), (poolSize.1, shape[2])] where value > (length ?? value) * 2 + 1 {
            throw invalidInput("a pool no larger than the input", found: "pool \(value) over \(length ?? 0)")
        }
    }
}

extension GlobalPooling2D: InputValidating {
    public func validateInputs(_ shapes: [[Int?]]) throws {
        _ = try singleInput(shapes, rank: 4...4)
    }
}

extension Reshape: InputValidating {
    public func validateInputs(_ shapes: [[Int?]]) throws {
        let shape = try singleInput(shapes, rank: 1...8)
        let known = shape.dropFirst().compactMap { $0 }
        guard known.count == shape.count - 1 else { return }
        let count = known.reduce(1, *)
        let unknowns = targetShape.filter { $0 == -1 }.count
        let fixed = targetShape.filter { $0 != -1 }.reduce(1, *)
        let fits = unknowns == 0 ? fixed == count : (unknowns == 1 && fixed > 0 && count % fixed == 0)
        guard fits, targetShape.allSatisfy({ $0 == -1 || $0 > 0 }) else {
            throw invalidInput("a target shape holding \(count) elements", found: "target shape \(targetShape)")
        }
    }
}

extension Concatenate: InputValidating {
    public func validateInputs(_ shapes: [[Int?]]) throws {
        guard let first = shapes.first else { throw invalidInput("at least one input", found: "none") }
        try checkAxis(axis, rank: first.count)
        let a = axis < 0 ? axis + first.count : axis
        for shape in shapes {
            guard shape.count == first.count,
                  shape.indices.allSatisfy({ $0 == a || shape[$0] == nil || first[$0] == nil || shape[$0] == first[$0] }) else {
                throw invalidInput("inputs equal outside axis \(axis)", found: shapes.map(describeShape).joined(separator: ", "))
            }
        }
    }
}

extension Add: InputValidating {
    public func validateInputs(_ shapes: [[Int?]]) throws {
        guard let first = shapes.first else { throw invalidInput("at least one input", found: "none") }
        func compatible(_ a: Int?, _ b: Int?) -> Bool {
            guard let a, let b else { return true }
            return a == b || a == 1 || b == 1
        }
        for shape in shapes {
            let fits = shape.count == first.count && zip(shape, first).allSatisfy { compatible($0.0, $0.1) }
            if !fits { throw invalidInput("inputs of one shape", found: shapes.map(describeShape).joined(separator: ", ")) }
        }
    }
}

extension BatchNormalization: InputValidating {
    public func validateInputs(_ shapes: [[Int?]]) throws {
        let shape = try singleInput(shapes, rank: 2...8)
        try checkAxis(axis, rank: shape.count)
    }
}
