/// The input checks layers share in `outputShape(for:)`: rank, axes, known dimensions and
/// windows that fit, each failing with the layer's `invalidInput` error.
extension Layer {
    /// The one input's shape, after checking its rank (`layout` names the axes in the message).
    public func singleInput(_ shapes: [[Int?]], rank: ClosedRange<Int>, layout: String? = nil) throws -> [Int?] {
        guard shapes.count == 1 else { throw invalidInput(expected: "one input", found: shapes) }
        guard rank.contains(shapes[0].count) else {
            let ranks = rank.lowerBound == rank.upperBound ? "rank \(rank.lowerBound)" : "rank \(rank.lowerBound) to \(rank.upperBound)"
            throw invalidInput(expected: "an input of \(ranks)" + (layout.map { " \($0)" } ?? ""), found: shapes)
        }
        return shapes[0]
    }

    /// An axis (possibly negative) within a rank, made non-negative.
    public func checkedAxis(_ axis: Int, rank: Int, shapes: [[Int?]], field: String = "axis") throws -> Int {
        guard axis >= -rank && axis < rank else {
            throw invalidInput(expected: "\(field) \(axis) within the input's rank \(rank)", found: shapes)
        }
        return axis < 0 ? axis + rank : axis
    }

    /// A dimension the layer's weights depend on, which must be known.
    public func knownDimension(_ shapes: [[Int?]], axis: Int, what: String) throws -> Int {
        guard let size = shapes[0][axis] else {
            throw invalidInput(expected: "a known \(what) dimension (axis \(axis))", found: shapes)
        }
        return size
    }

    /// A dimension the layer's weights were built for: a later call must bring the same size,
    /// as Keras's input spec requires (`built` nil: not built yet).
    public func checkBuiltDimension(_ size: Int, builtFor built: Int?, what: String, shapes: [[Int?]]) throws {
        guard let built, built != size else { return }
        throw invalidInput(expected: "\(what) \(built), as the layer's weights were built for", found: shapes)
    }

    /// The spatial sizes a convolution kernel gives over every spatial axis of `shape` (nil
    /// where a size is unknown), each checked by `windowOutput`.
    public func kernelWindowOutputs(_ shape: [Int?], format: DataFormat, kernel: [Int], strides: [Int], dilation: [Int],
                                    padding: Padding, shapes: [[Int?]]) throws -> [Int?] {
        try format.spatialAxes(rank: shape.count).enumerated().map { i, axis in
            try windowOutput(length: shape[axis], window: kernel[i], stride: strides[i], dilation: dilation[i],
                             padding: padding, what: "kernel", shapes: shapes)
        }
    }

    /// The spatial sizes a pooling window gives over every spatial axis of `shape` (nil where a
    /// size is unknown). With same padding a window may overhang the input, but not by more than
    /// the input.
    public func poolWindowOutputs(_ shape: [Int?], format: DataFormat, pool: [Int], strides: [Int], padding: Padding,
                                  shapes: [[Int?]]) throws -> [Int?] {
        try format.spatialAxes(rank: shape.count).enumerated().map { i, axis in
            if let length = shape[axis], pool[i] > 2 * length + 1 {
                throw invalidInput(expected: "a pool window (\(pool[i])) at most twice the input (\(length)) plus one", found: shapes)
            }
            return try windowOutput(length: shape[axis], window: pool[i], stride: strides[i], padding: padding,
                                    what: "pool", shapes: shapes)
        }
    }

    /// The output length of a window (kernel or pool) slid along one axis. With valid padding
    /// the window must fit in the input, as Keras raises ("would be negative").
    public func windowOutput(length: Int?, window: Int, stride: Int, dilation: Int = 1, padding: Padding,
                             what: String, shapes: [[Int?]]) throws -> Int? {
        guard let length else { return nil }
        // A window dilated past what the ops can index would otherwise stop the process in the op.
        if let problem = ConvArithmetic.axisProblem(length: length, kernel: window, stride: stride, dilation: dilation) {
            throw invalidInput(expected: "a \(what) window the input can take (\(problem))", found: shapes)
        }
        let span = dilation * (window - 1) + 1
        if padding == .valid && span > length {
            throw invalidInput(expected: "a \(what) window (\(span)) no larger than the input (\(length)) with valid padding",
                               found: shapes)
        }
        return ConvArithmetic.convolution(length: length, kernel: window, stride: stride, dilation: dilation,
                                          padding: padding).output
    }
}

/// "(None, 2, 2, 1)", as Keras prints shapes.
func describeShape(_ shape: [Int?]) -> String {
    "(" + shape.map { $0.map(String.init) ?? "None" }.joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
}

/// "input shape (None, 8)" or "input shapes (None, 8), (None, 5)".
func describeShapes(_ shapes: [[Int?]]) -> String {
    switch shapes.count {
    case 0: return "no inputs"
    case 1: return "input shape \(describeShape(shapes[0]))"
    default: return "input shapes " + shapes.map(describeShape).joined(separator: ", ")
    }
}
