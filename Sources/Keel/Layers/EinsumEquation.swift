/// EinsumDense's equation `"<input>,<kernel>->{output}"` (one letter per axis, batch axis
/// included), analysed as Keras's `_analyze_split_string` does: the kernel's and the bias's
/// shapes and the output's, from the input's shape and the partial output shape.
struct EinsumEquation: Equatable {
    let input: [Character]
    let kernel: [Character]
    let output: [Character]

    /// nil with the reason when the text is not an equation Keel computes.
    static func parse(_ text: String) -> Result<EinsumEquation, ShapeProblem> {
        if text.contains("...") {
            return .failure(ShapeProblem("an equation with a letter for every axis (Keel does not take '...')"))
        }
        let sides = text.split(separator: "->", omittingEmptySubsequences: false)
        guard sides.count == 2 else { return .failure(ShapeProblem("an equation of the form 'ab,bc->ac'")) }
        let operands = sides[0].split(separator: ",", omittingEmptySubsequences: false)
        guard operands.count == 2 else { return .failure(ShapeProblem("two operands (input and kernel), as in 'ab,bc->ac'")) }
        let specs = [Array(operands[0]), Array(operands[1]), Array(sides[1])]
        for spec in specs {
            guard !spec.isEmpty, spec.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                return .failure(ShapeProblem("operands and output made of letters, as in 'ab,bc->ac'"))
            }
            guard Set(spec).count == spec.count else {
                return .failure(ShapeProblem("no letter repeated within an operand or the output"))
            }
        }
        let equation = EinsumEquation(input: specs[0], kernel: specs[1], output: specs[2])
        if let missing = equation.output.first(where: { !equation.input.contains($0) && !equation.kernel.contains($0) }) {
            return .failure(ShapeProblem("every output letter in the input or the kernel ('\(missing)' is in neither)"))
        }
        if let unmatched = equation.kernel.first(where: { !equation.input.contains($0) && !equation.output.contains($0) }) {
            return .failure(ShapeProblem("every kernel letter in the input or the output ('\(unmatched)' is in neither)"))
        }
        return .success(equation)
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
    func shapes(input inputShape: [Int?], partialOutput: [Int?], biasAxes: String?) -> Result<Shapes, ShapeProblem> {
        guard inputShape.count == input.count else {
            return .failure(ShapeProblem("an input of rank \(input.count), as the equation's input '\(String(input))' has"))
        }
        guard partialOutput.count + 1 == output.count else {
            return .failure(ShapeProblem("output_shape with \(output.count - 1) sizes (the output '\(String(output))' without its batch axis), found \(partialOutput.count)"))
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
