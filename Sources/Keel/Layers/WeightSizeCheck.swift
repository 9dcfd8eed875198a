import Foundation

extension Layer {
    /// Refuses a weight that could never be allocated — more elements than a tensor may hold, or
    /// more bytes than the machine's memory — as a thrown error naming its shape and size, while the
    /// model is being built. Without it the allocation fails later, deep in a non-throwing op.
    public func checkWeightFits(_ shape: [Int], weight: String, shapes: [[Int?]]) throws {
        if let problem = ShapeMath.problem(with: shape) {
            throw invalidInput(expected: "a \(weight) that fits in memory", found: "a \(weight) whose \(problem)")
        }
        let bytes = ShapeMath.count(shape) * DType.float32.byteCount  // at most 2^47 by the check above
        let memory = ProcessInfo.processInfo.physicalMemory
        guard UInt64(bytes) <= memory else {
            throw invalidInput(
                expected: "a \(weight) that fits in this machine's \(BufferPool.describe(bytes: Int(clamping: memory))) of memory",
                found: "a float32 \(weight) of shape \(shape): \(bytes) bytes (\(BufferPool.describe(bytes: bytes))) for \(describeShapes(shapes))")
        }
    }
}
