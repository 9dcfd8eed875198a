/// What ZeroPadding and Cropping share: the (before, after) amounts of each spatial axis turned
/// into the output's shape and into per-axis amounts for the whole tensor.
extension Layer {
    /// The input's shape with `pairs` added to (padding) or removed from (cropping) its spatial
    /// axes. Keras refuses a cropping that would leave nothing of an axis.
    func spatialEdgesShape(_ inputShapes: [[Int?]], pairs: [[Int]], dataFormat: DataFormat, cropping: Bool) throws -> [Int?] {
        let names = SpatialAxisNames.forCount(pairs.count)
        let rank = pairs.count + 2
        let shape = try singleInput(inputShapes, rank: rank...rank, layout: dataFormat.layout(spatialNames: names))
        var output = shape
        for (i, axis) in dataFormat.spatialAxes(rank: rank).enumerated() {
            guard let length = shape[axis] else { continue }
            let total = pairs[i][0] + pairs[i][1]
            if cropping {
                guard total < length else {
                    throw invalidInput(expected: "a cropping of the \(names[i]) (\(pairs[i][0]) + \(pairs[i][1])) smaller than the \(names[i]) (\(length))",
                                       found: inputShapes)
                }
                output[axis] = length - total
            } else {
                output[axis] = length + total
            }
        }
        return output
    }

    /// `pairs` spread over every axis of a tensor of `rank` (zero for batch and channels).
    func spatialEdgesPerAxis(rank: Int, pairs: [[Int]], dataFormat: DataFormat) -> [(before: Int, after: Int)] {
        var perAxis = [(before: Int, after: Int)](repeating: (0, 0), count: rank)
        for (i, axis) in dataFormat.spatialAxes(rank: rank).enumerated() { perAxis[axis] = (pairs[i][0], pairs[i][1]) }
        return perAxis
    }

    /// The input with `pairs` cut from its spatial axes.
    func cropped(_ input: Tensor, pairs: [[Int]], dataFormat: DataFormat) -> Tensor {
        let edges = spatialEdgesPerAxis(rank: input.rank, pairs: pairs, dataFormat: dataFormat)
        return input.slice(begin: edges.map(\.before), size: zip(input.shape, edges).map { $0 - $1.before - $1.after })
    }
}
