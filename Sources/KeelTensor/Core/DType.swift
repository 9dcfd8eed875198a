/// Element types a tensor can hold. Float32 is the working type; Int32 carries labels,
/// token ids and indices.
public enum DType: String, Sendable, CustomStringConvertible {
    case float32, int32

    public var byteCount: Int { 4 }
    public var description: String { rawValue }
}
