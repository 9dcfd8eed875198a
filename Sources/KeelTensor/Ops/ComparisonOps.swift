/// Comparisons give float32 masks (1 where true, 0 where false), with broadcasting; they have no
/// gradient. `where` selects between two tensors by such a mask.
extension Tensor {
    public func equal(_ other: Tensor) -> Tensor { Tensor.zipFloats(self, other, "equal") { $0 == $1 ? 1 : 0 } }
    public func notEqual(_ other: Tensor) -> Tensor { Tensor.zipFloats(self, other, "not_equal") { $0 != $1 ? 1 : 0 } }
    public func less(_ other: Tensor) -> Tensor { Tensor.zipFloats(self, other, "less") { $0 < $1 ? 1 : 0 } }
    public func lessEqual(_ other: Tensor) -> Tensor { Tensor.zipFloats(self, other, "less_equal") { $0 <= $1 ? 1 : 0 } }
    public func greater(_ other: Tensor) -> Tensor { Tensor.zipFloats(self, other, "greater") { $0 > $1 ? 1 : 0 } }
    public func greaterEqual(_ other: Tensor) -> Tensor { Tensor.zipFloats(self, other, "greater_equal") { $0 >= $1 ? 1 : 0 } }

    public var isNaN: Tensor { mapFloats("is_nan") { $0.isNaN ? 1 : 0 } }
    public var isFinite: Tensor { mapFloats("is_finite") { $0.isFinite ? 1 : 0 } }
}

/// Elementwise `condition ? a : b` (condition nonzero means true), all three broadcast together.
public func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    guard let ab = ShapeMath.broadcast(a.shape, b.shape), let shape = ShapeMath.broadcast(ab, condition.shape) else {
        OpCheck.fail("where: shapes \(condition.shape), \(a.shape) and \(b.shape) cannot be broadcast together")
    }
    let mask = condition.dtype == .int32 ? condition.cast(to: .float32) : condition
    let c = mask.broadcasted(to: shape)
    let x = a.broadcasted(to: shape), y = b.broadcasted(to: shape)
    let out = Tensor.zip3Floats(stopGradient(c), stopGradient(x), stopGradient(y), "where") { $0 != 0 ? $1 : $2 }
    return differentiable(out, [x, y], { g in
        let keep = c.mapFloats("where") { $0 != 0 ? 1 : 0 }
        return [g * keep, g * (1 - keep)]
    })
}

extension Tensor {
    /// Converts between float32 and int32 (float to int truncates toward zero, as TensorFlow's cast).
    public func cast(to target: DType) -> Tensor {
        if target == dtype { return self }
        let out = Tensor(uninitializedShape: shape, dtype: target)
        if target == .int32 {
            let x = storage.floats, o = out.storage.int32s
            for i in 0..<count {
                let v = x[i]
                o[i] = v.isNaN ? 0 : Int32(Swift.max(Swift.min(v.rounded(.towardZero), 2_147_483_520), -2_147_483_648))
            }
            return out
        }
        let x = storage.int32s, o = out.storage.floats
        for i in 0..<count { o[i] = Float(x[i]) }
        return out
    }
}
