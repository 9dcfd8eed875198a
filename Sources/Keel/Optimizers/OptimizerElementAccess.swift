/// Raw element access for update rules: the variable and up to three of its slots writable in
/// place, the gradient readable, all of one element count. A rule is then one tight loop over
/// pointers, with no tensor built and nothing allocated per element.
extension Optimizer {
    public typealias Writable = UnsafeMutablePointer<Float>
    public typealias Readable = UnsafePointer<Float>

    public func updateElements(of variable: Variable, gradient: Tensor,
                               _ rule: (_ count: Int, _ w: Writable, _ g: Readable) -> Void) {
        let n = checkedCount(variable, gradient)
        guard n > 0 else { return }
        gradient.withUnsafeFloats { g in
            variable.updateInPlace { w in rule(n, w.baseAddress!, g.baseAddress!) }
        }
    }

    public func updateElements(of variable: Variable, _ slot1: Variable, gradient: Tensor,
                               _ rule: (_ count: Int, _ w: Writable, _ s1: Writable, _ g: Readable) -> Void) {
        let n = checkedCount(variable, gradient, slot1)
        guard n > 0 else { return }
        gradient.withUnsafeFloats { g in
            variable.updateInPlace { w in
                slot1.updateInPlace { s1 in rule(n, w.baseAddress!, s1.baseAddress!, g.baseAddress!) }
            }
        }
    }

    public func updateElements(of variable: Variable, _ slot1: Variable, _ slot2: Variable, gradient: Tensor,
                               _ rule: (_ count: Int, _ w: Writable, _ s1: Writable, _ s2: Writable, _ g: Readable) -> Void) {
        let n = checkedCount(variable, gradient, slot1, slot2)
        guard n > 0 else { return }
        gradient.withUnsafeFloats { g in
            variable.updateInPlace { w in
                slot1.updateInPlace { s1 in
                    slot2.updateInPlace { s2 in rule(n, w.baseAddress!, s1.baseAddress!, s2.baseAddress!, g.baseAddress!) }
                }
            }
        }
    }

    public func updateElements(of variable: Variable, _ slot1: Variable, _ slot2: Variable, _ slot3: Variable,
                               gradient: Tensor,
                               _ rule: (_ count: Int, _ w: Writable, _ s1: Writable, _ s2: Writable, _ s3: Writable,
                                        _ g: Readable) -> Void) {
        let n = checkedCount(variable, gradient, slot1, slot2, slot3)
        guard n > 0 else { return }
        gradient.withUnsafeFloats { g in
            variable.updateInPlace { w in
                slot1.updateInPlace { s1 in
                    slot2.updateInPlace { s2 in
                        slot3.updateInPlace { s3 in
                            rule(n, w.baseAddress!, s1.baseAddress!, s2.baseAddress!, s3.baseAddress!, g.baseAddress!)
                        }
                    }
                }
            }
        }
    }

    private func checkedCount(_ variable: Variable, _ gradient: Tensor, _ slots: Variable...) -> Int {
        let n = gradient.count
        opCheck(variable.shape.reduce(1, *) == n && slots.allSatisfy { $0.shape == variable.shape },
                     "\(name): gradient, variable \(variable.path) and its slots differ in size")
        return n
    }
}
