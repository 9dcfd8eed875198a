/// + - * / with NumPy broadcasting, negation, and their Float-operand forms.
extension Tensor {
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let sa = a.shape, sb = b.shape
        return differentiable(zipFloats(a, b, "add", AddFunction()), [a, b],
                              { g in [g.summed(toShape: sa), g.summed(toShape: sb)] })
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let sa = a.shape, sb = b.shape
        return differentiable(zipFloats(a, b, "subtract", SubtractFunction()), [a, b],
                              { g in [g.summed(toShape: sa), (-g).summed(toShape: sb)] })
    }

    public static func * (a: Tensor, b: Tensor) -> Tensor {
        differentiable(zipFloats(a, b, "multiply", MultiplyFunction()), [a, b],
                       { g in [(g * b).summed(toShape: a.shape), (g * a).summed(toShape: b.shape)] })
    }

    public static func / (a: Tensor, b: Tensor) -> Tensor {
        differentiable(zipFloats(a, b, "divide", DivideFunction()), [a, b], { g in
            [(g / b).summed(toShape: a.shape), (-(g * a) / (b * b)).summed(toShape: b.shape)]
        })
    }

    public static prefix func - (x: Tensor) -> Tensor {
        differentiable(x.mapFloats("negate", NegateFunction()), [x], { g in [-g] })
    }

    public static func + (a: Tensor, b: Float) -> Tensor { a + Tensor(b) }
    public static func + (a: Float, b: Tensor) -> Tensor { Tensor(a) + b }
    public static func - (a: Tensor, b: Float) -> Tensor { a - Tensor(b) }
    public static func - (a: Float, b: Tensor) -> Tensor { Tensor(a) - b }
    public static func * (a: Tensor, b: Float) -> Tensor { a * Tensor(b) }
    public static func * (a: Float, b: Tensor) -> Tensor { Tensor(a) * b }
    public static func / (a: Tensor, b: Float) -> Tensor { a / Tensor(b) }
    public static func / (a: Float, b: Tensor) -> Tensor { Tensor(a) / b }

    public static func += (a: inout Tensor, b: Tensor) { a = a + b }
    public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
    public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
    public static func /= (a: inout Tensor, b: Tensor) { a = a / b }
}

/// Elementwise minimum and maximum, with broadcasting. Where the operands tie, the gradient
/// goes to the first one (as TensorFlow does).
extension Tensor {
    public func minimum(_ other: Tensor) -> Tensor {
        let a = self, b = other
        return differentiable(Tensor.zipFloats(a, b, "minimum") { Swift.min($0, $1) }, [a, b], { g in
            let takeA = Tensor.zipFloats(a, b, "minimum") { $0 <= $1 ? 1 : 0 }
            return [(g * takeA).summed(toShape: a.shape), (g * (1 - takeA)).summed(toShape: b.shape)]
        })
    }

    public func maximum(_ other: Tensor) -> Tensor {
        let a = self, b = other
        return differentiable(Tensor.zipFloats(a, b, "maximum") { Swift.max($0, $1) }, [a, b], { g in
            let takeA = Tensor.zipFloats(a, b, "maximum") { $0 >= $1 ? 1 : 0 }
            return [(g * takeA).summed(toShape: a.shape), (g * (1 - takeA)).summed(toShape: b.shape)]
        })
    }

    /// Values limited to [low, high]; the gradient passes where the value was inside.
    public func clipped(min low: Float, max high: Float) -> Tensor {
        opCheck(low <= high, "clip: min \(low) is greater than max \(high)")
        let x = self
        return differentiable(mapFloats("clip") { Swift.min(Swift.max($0, low), high) }, [x], { g in
            [g * x.mapFloats("clip") { $0 >= low && $0 <= high ? 1 : 0 }]
        })
    }
}
