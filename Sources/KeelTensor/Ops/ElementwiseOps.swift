/// Tensor-level entry points to the elementwise kernels (no tape involvement).
extension Tensor {
    @inline(__always)
    func mapFloats(_ op: String, _ f: (Float) -> Float) -> Tensor {
        withoutActuallyEscaping(f) { mapFloats(op, ClosureFunction(body: $0)) }
    }

    @inline(__always)
    func mapFloats<F: UnaryElementFunction>(_ op: String, _ f: F) -> Tensor {
        precondition(dtype == .float32, "\(op): expected a float32 tensor, found \(dtype)")
        let out = Tensor(uninitializedShape: shape)
        ElementwiseKernels.map(storage.floats, out.storage.floats, count: count, f)
        return out
    }

    /// f applied to a and b broadcast together (NumPy rules).
    @inline(__always)
    static func zipFloats(_ a: Tensor, _ b: Tensor, _ op: String, _ f: (Float, Float) -> Float) -> Tensor {
        withoutActuallyEscaping(f) { zipFloats(a, b, op, ClosureBinaryFunction(body: $0)) }
    }

    @inline(__always)
    static func zipFloats<F: BinaryElementFunction>(_ a: Tensor, _ b: Tensor, _ op: String, _ f: F) -> Tensor {
        precondition(a.dtype == .float32 && b.dtype == .float32,
                     "\(op): expected float32 tensors, found \(a.dtype) and \(b.dtype)")
        if a.shape == b.shape {
            let out = Tensor(uninitializedShape: a.shape)
            ElementwiseKernels.zip(a.storage.floats, b.storage.floats, out.storage.floats, count: a.count, f)
            return out
        }
        guard let shape = ShapeMath.broadcast(a.shape, b.shape) else {
            preconditionFailure("\(op): shapes \(a.shape) and \(b.shape) cannot be broadcast together")
        }
        let out = Tensor(uninitializedShape: shape)
        if out.count == 0 { return out }
        ElementwiseKernels.broadcastZip(
            a.storage.floats, aStrides: ElementwiseKernels.broadcastStrides(a.shape, to: shape),
            b.storage.floats, bStrides: ElementwiseKernels.broadcastStrides(b.shape, to: shape),
            out.storage.floats, shape: shape, f)
        return out
    }

    /// f applied to three same-shape tensors.
    @inline(__always)
    static func zip3Floats(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ op: String,
                           _ f: (Float, Float, Float) -> Float) -> Tensor {
        precondition(a.shape == b.shape && b.shape == c.shape,
                     "\(op): expected equal shapes, found \(a.shape), \(b.shape) and \(c.shape)")
        let out = Tensor(uninitializedShape: a.shape)
        ElementwiseKernels.zip3(a.storage.floats, b.storage.floats, c.storage.floats, out.storage.floats,
                                count: a.count, f)
        return out
    }

    /// The gradient of a broadcast operand: `self` summed over the axes that were broadcast so
    /// it has `target`'s shape.
    public func summed(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        let extra = rank - target.count
        precondition(extra >= 0, "summed(toShape:): cannot reduce \(shape) to the larger shape \(target)")
        var axes = Array(0..<extra)
        for (i, d) in target.enumerated() where d == 1 && shape[extra + i] != 1 { axes.append(extra + i) }
        let reduced = axes.isEmpty ? self : sum(axes: axes)
        return reduced.shape == target ? reduced : reduced.reshaped(target)
    }
}
