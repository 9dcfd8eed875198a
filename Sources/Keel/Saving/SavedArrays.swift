/// Saved arrays read back into variables. Keras writes each variable in its own dtype
/// (float32 weights, an int32 `iteration` on JAX, int64 on TensorFlow); Keel reads any numeric
/// type a variable can hold without losing range.
enum SavedArrays {
    /// The dataset's values as a tensor of `dtype` (its shape is the dataset's).
    static func tensor(_ dataset: HDF5Dataset, as dtype: DType) throws -> Tensor {
        switch dtype {
        case .float32:
            return Tensor(shape: dataset.shape, scalars: try dataset.readFloats())
        case .int32:
            let wide = try dataset.readValues(as: Int64.self)
            guard let outOfRange = wide.first(where: { !(Int64(Int32.min)...Int64(Int32.max)).contains($0) }) else {
                return Tensor(shape: dataset.shape, int32s: wide.map { Int32($0) })
            }
            throw KeelError("\(dataset.filePath) [\(dataset.path)]", expected: "int32 values",
                            found: "\(outOfRange), out of range")
        }
    }
}
