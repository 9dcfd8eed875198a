/// Tensor-level entry points to the elementwise kernels (no tape involvement).
extension Tensor {
    @inline(__always)
    func mapFloats(_ op: String, _ f: (Float) -> Float) -> Tensor {
        withoutActuallyEscaping(f) { mapFloats(op, ClosureFunction(body: $0)) }
    }

    @inline(__always)
    func mapFloats<F: UnaryElementFunction>(_ op: String, _ f: F) -> Tensor {
        opCheck(dtype == .float32, "\(op): expected a float32 tensor, found \(dtype) \(shape)")
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
        opCheck(a.dtype == .float32 && b.dtype == .float32,
                "\(op): expected float32 tensors, found \(a.dtype) \(a.shape) and \(b.dtype) \(b.shape)")
        if a.shape == b.shape {
            let out = Tensor(uninitializedShape: a.shape)
            ElementwiseKernels.zip(a.storage.floats, b.storage.floats, out.storage.floats, count: a.count, f)
            return out
        }
        guard let shape = ShapeMath.broadcast(a.shape, b.shape) else {
            OpCheck.fail("\(op): shapes \(a.shape) and \(b.shape) cannot be broadcast together")
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
        opCheck(a.shape == b.shape && b.shape == c.shape,
                "\(op): expected equal shapes, found \(a.shape), \(b.shape) and \(c.shape)")
        opCheck(a.dtype == .float32 && b.dtype == .float32 && c.dtype == .float32,
                "\(op): expected float32 tensors, found \(a.dtype), \(b.dtype) and \(c.dtype) (shapes \(a.shape), \(b.shape) and \(c.shape))")
        let out = Tensor(uninitializedShape: a.shape)
        ElementwiseKernels.zip3(a.storage.floats, b.storage.floats, c.storage.floats, out.storage.floats,
                                count: a.count, f)
        return out
    }

    /// The gradient of a broadcast operand: `self` summed over the axes that were broadcast so
    /// it has `target`'s shape.
    public func summed(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        opCheck(ShapeMath.broadcast(target, shape) == shape,
                "sum_to_shape: \(shape) is not a broadcast of \(target), so it cannot be summed back to it")
        let extra = rank - target.count
        var axes = Array(0..<extra)
        for (i, d) in target.enumerated() where d == 1 && shape[extra + i] != 1 { axes.append(extra + i) }
        let reduced = axes.isEmpty ? self : sum(axes: axes)
        return reduced.shape == target ? reduced : reduced.reshaped(target)
    }
}
