/// Conversions between tensors and the arrays the file formats exchange.
extension Tensor {
    /// A tensor from file data: integer types become int32, floats (and bool) float32. Int64
    /// values outside Int32's range are clamped; `init(validating:source:)` refuses them instead.
    public init(_ array: ArrayData) {
        switch array.elementType {
        case .float32:
            self.init(shape: array.shape, scalars: array.values(as: Float.self)!)
        case .int32:
            self.init(shape: array.shape, int32s: array.values(as: Int32.self)!)
        case .int64:
            self.init(shape: array.shape, int32s: array.values(as: Int64.self)!.map { Int32(clamping: $0) })
        case .int8:
            self.init(shape: array.shape, int32s: array.values(as: Int8.self)!.map { Int32($0) })
        case .uint8:
            self.init(shape: array.shape, int32s: array.values(as: UInt8.self)!.map { Int32($0) })
        case .int16:
            self.init(shape: array.shape, int32s: array.values(as: Int16.self)!.map { Int32($0) })
        case .float64, .bool:
            self.init(shape: array.shape, scalars: array.floatValues())
        }
    }

    /// A tensor from data a user gave (an .npy file): int64 values must fit in int32.
    public init(validating array: ArrayData, source: String) throws {
        if array.elementType == .int64, let outside = array.values(as: Int64.self)!.first(where: { Int32(exactly: $0) == nil }) {
            throw KeelError(source, expected: "integers that fit in 32 bits", found: "\(outside) in an int64 array")
        }
        self.init(array)
    }

    /// A tensor for a model input of `dtype` from data a user gave (an .npy file), cast as Keras
    /// casts inputs to the input's dtype: any number or bool to float32; integers and bools to
    /// int32 when every value fits. Float data for an int32 input stays float32 (the model checks
    /// such values as ids, and Embedding truncates them as Keras does).
    public init(casting array: ArrayData, to dtype: DType, source: String) throws {
        switch (dtype, array.elementType) {
        case (.float32, .float32), (.int32, .float32), (.int32, .float64):
            self.init(array)
        case (.float32, _):
            self.init(shape: array.shape, scalars: array.floatValues())
        case (.int32, .int64):
            if let outside = array.values(as: Int64.self)!.first(where: { Int32(exactly: $0) == nil }) {
                throw KeelError(source, expected: "int64 values that fit in the model's int32 input",
                                found: "\(outside)")
            }
            self.init(array)
        case (.int32, .bool):
            self.init(shape: array.shape, int32s: array.bytes.map { $0 == 0 ? 0 : 1 })
        case (.int32, _):
            self.init(array)
        }
    }

    /// The tensor as file data (float32 or int32).
    public var arrayData: ArrayData {
        dtype == .float32 ? ArrayData(scalars, shape: shape) : ArrayData(int32Scalars, shape: shape)
    }
}
