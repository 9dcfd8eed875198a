/// EinsumDense's equation `"<input>,<kernel>->{output}"` (one letter per axis, batch axis
/// included), analysed as Keras's `_analyze_split_string` does: the kernel's and the bias's
/// shapes and the output's, from the input's shape and the partial output shape. As in Keras,
/// `...` may stand for the input's leading axes (`"...b,bc->...c"`, batch included) or its
/// trailing ones (`"ab...,bc->ac..."`); it is spelled out in letters once the input's rank is known.
struct EinsumEquation: Equatable {
    let input: [Character]
    let kernel: [Character]
    let output: [Character]
    let ellipsis: Ellipsis

    /// Where `...` stands in the input and the output (never in the kernel).
    enum Ellipsis: Equatable { case none, leading, trailing }

    /// The equation, or what it should have been.
    static func parse(_ text: String) -> Result<EinsumEquation, ShapeProblem> {
        let sides = text.components(separatedBy: "->")
        guard sides.count == 2 else { return .failure(ShapeProblem("an equation of the form 'ab,bc->ac'")) }
        let operands = sides[0].components(separatedBy: ",")
        guard operands.count == 2 else { return .failure(ShapeProblem("two operands (input and kernel), as in 'ab,bc->ac'")) }
        var (input, kernel, output) = (operands[0], operands[1], sides[1])
        let ellipsis: Ellipsis
        if input.hasPrefix("...") && output.hasPrefix("...") {
            ellipsis = .leading
            input.removeFirst(3)
            output.removeFirst(3)
        } else if input.hasSuffix("...") && output.hasSuffix("...") && input.count >= 5 {
            ellipsis = .trailing
            input.removeLast(3)
            output.removeLast(3)
        } else {
            ellipsis = .none
        }
        if (input + kernel + output).contains(".") {
            return .failure(ShapeProblem("'...' at the start of both the input and the output, or at the end of both after at least two input letters"))
        }
        let specs = [Array(input), Array(kernel), Array(output)]
        for spec in specs {
            guard !spec.isEmpty, spec.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                return .failure(ShapeProblem("operands and output made of letters, as in 'ab,bc->ac'"))
            }
            guard Set(spec).count == spec.count else {
                return .failure(ShapeProblem("no letter repeated within an operand or the output"))
            }
        }
        let equation = EinsumEquation(input: specs[0], kernel: specs[1], output: specs[2], ellipsis: ellipsis)
        if let missing = equation.output.first(where: { !equation.input.contains($0) && !equation.kernel.contains($0) }) {
            return .failure(ShapeProblem("every output letter in the input or the kernel ('\(missing)' is in neither)"))
        }
        if let unmatched = equation.kernel.first(where: { !equation.input.contains($0) && !equation.output.contains($0) }) {
            return .failure(ShapeProblem("every kernel letter in the input or the output ('\(unmatched)' is in neither)"))
        }
        return .success(equation)
    }

    /// The equation with `...` spelled out in unused letters for an input of `rank`, and the
    /// partial output shape with the sizes those axes take (unknown here, the input's later).
    func spelledOut(rank: Int, partialOutput: [Int?]) -> Result<(EinsumEquation, [Int?]), ShapeProblem> {
        guard ellipsis != .none else { return .success((self, partialOutput)) }
        // A leading '...' holds the batch axis, so it covers at least one axis.
        let least = input.count + (ellipsis == .leading ? 1 : 0)
        guard rank >= least else {
            return .failure(ShapeProblem("an input of rank \(least) or more, as the equation's input '\(ellipsis == .leading ? "..." : "")\(String(input))\(ellipsis == .trailing ? "..." : "")' needs"))
        }
        let used = Set(input + kernel + output)
        let free = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".filter { !used.contains($0) }
        let elided = rank - input.count
        guard free.count >= elided else { return .failure(ShapeProblem("an input of rank \(input.count + free.count) or less")) }
        let letters = Array(free.prefix(elided))
        if ellipsis == .leading {
            return .success((EinsumEquation(input: letters + input, kernel: kernel, output: letters + output, ellipsis: .none),
                             [Int?](repeating: nil, count: elided - 1) + partialOutput))
        }
        return .success((EinsumEquation(input: input + letters, kernel: kernel, output: output + letters, ellipsis: .none),
                         partialOutput + [Int?](repeating: nil, count: elided)))
    }

    /// The shapes an input of `inputShape` (batch first) gives.
    struct Shapes {
        var output: [Int?]
        var kernel: [Int]
        var bias: [Int]?
        /// The kernel axes that count as inputs and as outputs for the initializer's fans.
        var kernelInputAxes: [Int]
        var kernelOutputAxes: [Int]
    }

    /// Keras's analysis; the failure says what the input or the output shape should have been.
    func shapes(input inputShape: [Int?], partialOutput givenPartialOutput: [Int?], biasAxes: String?) -> Result<Shapes, ShapeProblem> {
        // output_shape leaves out the batch axis, which a leading '...' already holds.
        let partialCount = ellipsis == .leading ? output.count : output.count - 1
        guard givenPartialOutput.count == partialCount else {
            return .failure(ShapeProblem("output_shape with \(partialCount) sizes (one per output letter\(ellipsis == .leading ? " after '...'" : " but the batch's")), found \(givenPartialOutput.count)"))
        }
        guard ellipsis == .none else {
            return spelledOut(rank: inputShape.count, partialOutput: givenPartialOutput).flatMap { spelled in
                spelled.0.shapes(input: inputShape, partialOutput: spelled.1, biasAxes: biasAxes)
            }
        }
        let partialOutput = givenPartialOutput
        guard inputShape.count == input.count else {
            return .failure(ShapeProblem("an input of rank \(input.count), as the equation's input '\(String(input))' has"))
        }
        var outputShape = [inputShape[0]] + partialOutput
        for (i, letter) in output.enumerated() {
            guard let inputAxis = input.firstIndex(of: letter) else { continue }
            let size = inputShape[inputAxis]
            if let given = outputShape[i], let size, given != size {
                return .failure(ShapeProblem("output_shape's size of '\(letter)' (\(given)) equal to the input's (\(size))"))
            }
            // Keras leaves such sizes unknown when output_shape does; the input says them.
            outputShape[i] = outputShape[i] ?? size
        }
        var kernelShape: [Int] = [], inputAxes: [Int] = [], outputAxes: [Int] = []
        for (i, letter) in kernel.enumerated() {
            let size: Int?
            if let o = output.firstIndex(of: letter) {
                size = outputShape[o]
                outputAxes.append(i)
            } else {
                size = input.firstIndex(of: letter).flatMap { inputShape[$0] }
                inputAxes.append(i)
            }
            guard let size else {
                return .failure(ShapeProblem("a known size for the kernel's axis '\(letter)'"))
            }
            kernelShape.append(size)
        }
        var biasShape: [Int]?
        if let biasAxes {
            let letters = Array(biasAxes)
            if let stray = letters.first(where: { !output.contains($0) }) {
                return .failure(ShapeProblem("bias_axes letters from the output '\(String(output))' ('\(stray)' is not)"))
            }
            if !letters.isEmpty {
                let first = letters.compactMap { output.firstIndex(of: $0) }.min()!
                var shape: [Int] = []
                for i in first..<output.count {
                    guard letters.contains(output[i]) else { shape.append(1); continue }
                    guard let size = outputShape[i] else {
                        return .failure(ShapeProblem("a known output size for the bias axis '\(output[i])'"))
                    }
                    shape.append(size)
                }
                biasShape = shape
            }
        }
        return .success(Shapes(output: outputShape, kernel: kernelShape, bias: biasShape,
                               kernelInputAxes: inputAxes, kernelOutputAxes: outputAxes))
    }

    /// einsum(equation, x, kernel) as one matrix product between transposes: axes only the input
    /// has are summed first; then the letters in all three are batch axes, those in the input
    /// and kernel only are contracted, and the rest stay free.
    func apply(_ x: Tensor, _ w: Tensor) -> Tensor {
        guard ellipsis == .none else {
            guard case .success(let (equation, _)) = spelledOut(rank: x.rank, partialOutput: []) else {
                OpCheck.fail("einsum: an input of shape \(x.shape) does not fit the equation's '...'")
            }
            return equation.apply(x, w)
        }
        let summed = input.indices.filter { !kernel.contains(input[$0]) && !output.contains(input[$0]) }
        let inputLetters = input.enumerated().filter { !summed.contains($0.offset) }.map(\.element)
        let xs = summed.isEmpty ? x : x.sum(axes: summed)
        let batch = inputLetters.filter { kernel.contains($0) && output.contains($0) }
        let contracted = inputLetters.filter { kernel.contains($0) && !output.contains($0) }
        let freeInput = inputLetters.filter { !kernel.contains($0) }
        let freeKernel = kernel.filter { !input.contains($0) }
        func size(_ letter: Character) -> Int {
            if let i = inputLetters.firstIndex(of: letter) { return xs.shape[i] }
            return w.shape[kernel.firstIndex(of: letter)!]
        }
        func count(_ letters: [Character]) -> Int { letters.reduce(1) { $0 * size($1) } }
        let (nb, nf, nc, ng) = (count(batch), count(freeInput), count(contracted), count(freeKernel))
        let left = xs.transposed((batch + freeInput + contracted).map { inputLetters.firstIndex(of: $0)! })
        let right = w.transposed((batch + contracted + freeKernel).map { kernel.firstIndex(of: $0)! })
        let product = batch.isEmpty
            ? left.reshaped([nf, nc]).matmul(right.reshaped([nc, ng]))
            : left.reshaped([nb, nf, nc]).matmul(right.reshaped([nb, nc, ng]))
        let produced = batch + freeInput + freeKernel
        let result = product.reshaped(produced.map(size))
        return result.transposed(output.map { produced.firstIndex(of: $0)! })
    }
}
