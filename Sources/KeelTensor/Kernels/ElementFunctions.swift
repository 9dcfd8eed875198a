/// Elementwise functions as types. A kernel generic over one of these is specialized with the
/// function inlined into its loop, also inside the closures that split work across cores;
/// a plain closure there would cost an indirect call per element and block vectorisation.
/// The ops that touch the most data (arithmetic, ReLU) use these.
public protocol BinaryElementFunction {
    func callAsFunction(_ a: Float, _ b: Float) -> Float
}

public protocol UnaryElementFunction {
    func callAsFunction(_ x: Float) -> Float
}

struct AddFunction: BinaryElementFunction {
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a + b }
}
struct SubtractFunction: BinaryElementFunction {
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a - b }
}
struct MultiplyFunction: BinaryElementFunction {
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a * b }
}
struct DivideFunction: BinaryElementFunction {
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a / b }
}
/// The ReLU gradient in one pass: the upstream gradient where the input was positive.
struct ReluGradientFunction: BinaryElementFunction {
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float { x > 0 ? g : 0 }
}
struct LeakyReluFunction: UnaryElementFunction {
    let slope: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x > 0 ? x : x * slope }
}
/// The leaky ReLU gradient in one pass: 1 where the input is ≥ 0 (JAX's convention), else the slope.
struct LeakyReluGradientFunction: BinaryElementFunction {
    let slope: Float
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float { x >= 0 ? g : g * slope }
}
struct ReluFunction: UnaryElementFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x > 0 ? x : 0 }
}
/// Copies the first operand (broadcasting a tensor to a larger shape).
struct FirstFunction: BinaryElementFunction {
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a }
}
struct SquareFunction: UnaryElementFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x * x }
}
struct NegateFunction: UnaryElementFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { -x }
}
/// Wraps a closure for the ops that are not hot enough to deserve a type of their own.
struct ClosureFunction: UnaryElementFunction {
    let body: (Float) -> Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { body(x) }
}
struct ClosureBinaryFunction: BinaryElementFunction {
    let body: (Float, Float) -> Float
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { body(a, b) }
}
