/// Conversions between tensors and the arrays the file formats exchange.
extension Tensor {
    /// A tensor from file data: integer types become int32, floats (and bool) float32.
    public init(_ array: ArrayData) {
        switch array.elementType {
        case .float32:
            self.init(shape: array.shape, scalars: array.values(as: Float.self)!)
        case .int32:
            self.init(shape: array.shape, int32s: array.values(as: Int32.self)!)
        case .int8, .uint8, .int16, .int64:
            self.init(shape: array.shape, int32s: array.floatValues().map { Int32($0) })
        case .float64, .bool:
            self.init(shape: array.shape, scalars: array.floatValues())
        }
    }

    /// The tensor as file data (float32 or int32).
    public var arrayData: ArrayData {
        dtype == .float32 ? ArrayData(scalars, shape: shape) : ArrayData(int32Scalars, shape: shape)
    }
}
