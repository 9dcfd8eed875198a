/// A named, mutable tensor that layers own and optimizers update in place.
public final class Variable {
    public let name: String
    /// Where the variable lives in its model, e.g. `dense_1/kernel` (Keras's `variable.path`).
    public var path: String
    public var trainable: Bool
    /// Projects the value after each optimizer update (Keras's `variable.constraint`); nil: none.
    public var constraint: (any VariableConstraint)?
    private var stored: Tensor

    public init(_ initialValue: Tensor, name: String, path: String? = nil, trainable: Bool = true) {
        self.stored = initialValue
        self.name = name
        self.path = path ?? name
        self.trainable = trainable
    }

    /// The current value. Reading it while a tape records watches a trainable variable.
    public var value: Tensor {
        GradientTape.noteRead(of: stored, trainable: trainable)
        return stored
    }

    public var shape: [Int] { stored.shape }
    public var dtype: DType { stored.dtype }

    public func assign(_ newValue: Tensor) {
        opCheck(newValue.shape == stored.shape && newValue.dtype == stored.dtype,
                "Variable.assign(\(path)): expected \(stored.dtype) \(stored.shape), found \(newValue.dtype) \(newValue.shape)")
        stored = Tensor(sharing: newValue.storage, shape: newValue.shape, dtype: newValue.dtype)
    }

    public func assignAdd(_ delta: Tensor) { update(with: delta) { $0 + $1 } }
    public func assignSub(_ delta: Tensor) { update(with: delta) { $0 - $1 } }

    private func update(with delta: Tensor, _ combine: (Float, Float) -> Float) {
        opCheck(delta.dtype == .float32 && (delta.shape == stored.shape || delta.count == 1),
                "Variable.assignAdd/assignSub(\(path)): expected float32 \(stored.shape), found \(delta.dtype) \(delta.shape)")
        let broadcastScalar = delta.count == 1 && stored.count != 1
        updateInPlace { values in
            delta.withUnsafeFloats { d in
                if broadcastScalar {
                    let s = d[0]
                    for i in 0..<values.count { values[i] = combine(values[i], s) }
                } else {
                    for i in 0..<values.count { values[i] = combine(values[i], d[i]) }
                }
            }
        }
    }

    /// Writes the value in place (after copying it if another tensor still shares it), for
    /// optimizers; the variable's value gets a new identity so no tape confuses old and new.
    public func updateInPlace(_ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        var value = stored
        stored = Tensor.zerosLikeScalarPlaceholder
        value.withUniqueMutableFloats(body)
        stored = Tensor(sharing: value.storage, shape: value.shape, dtype: value.dtype)
    }
}

/// A projection an optimizer puts a variable's value through right after updating it, as Keras
/// assigns `variable.constraint(variable)`; Keel's `Constraint` components conform.
public protocol VariableConstraint: AnyObject {
    func callAsFunction(_ weight: Tensor) -> Tensor
}

extension Tensor {
    /// Held by a variable for the instant of an in-place update, so the variable's own reference
    /// does not make its storage look shared.
    static let zerosLikeScalarPlaceholder = Tensor(0)
}
