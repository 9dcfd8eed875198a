/// Checks data against a model before any step runs, so a mismatch is a clear `KeelError`
/// naming the input, the expected and the found shape instead of a failed precondition deep in an op.
enum DataValidation {
    static func check(x: [Tensor], y: [Tensor]?, sampleWeight: Tensor?, model: Model, what: String) throws {
        guard let first = x.first else {
            throw KeelError("\(what) data", expected: "at least one input tensor", found: "none")
        }
        let n = first.shape.first ?? 0
        guard first.rank > 0, n > 0 else {
            throw KeelError("\(what) data", expected: "at least one sample", found: "an empty input of shape \(first.shape)")
        }
        if model.isFunctional {
            let inputs = model.inputs
            guard x.count == inputs.count else {
                throw KeelError("\(what) data for model '\(model.name)'", expected: "\(inputs.count) input arrays",
                                found: "\(x.count)")
            }
            for (tensor, symbol) in zip(x, inputs) {
                try checkEmbeddingIDs(tensor, fedTo: symbol, in: model, what: what)
                let name = symbol.layer?.name ?? "input"
                let expected = symbol.shape
                let matches = tensor.rank == expected.count
                    && zip(tensor.shape.dropFirst(), expected.dropFirst()).allSatisfy { $1 == nil || $0 == $1 }
                guard matches else {
                    throw KeelError("\(what) input '\(name)'", expected: "shape \(describe(expected))",
                                    found: "shape \(describe(tensor.shape.map { $0 }))")
                }
                let dtypeFits = symbol.dtype == tensor.dtype || symbol.dtype == .int32 || tensor.dtype == .float32
                guard dtypeFits else {
                    throw KeelError("\(what) input '\(name)'", expected: "\(symbol.dtype) values", found: "\(tensor.dtype)")
                }
            }
        }
        for (i, tensor) in x.enumerated() where tensor.shape.first != n {
            throw KeelError("\(what) input \(i)", expected: "\(n) samples like the first input",
                            found: "\(tensor.shape.first ?? 0) (shape \(tensor.shape))")
        }
        if let y {
            let outputs = model.isFunctional ? model.outputs.map(\.shape) : []
            if !outputs.isEmpty, y.count != outputs.count {
                throw KeelError("\(what) targets for model '\(model.name)'", expected: "\(outputs.count) target arrays",
                                found: "\(y.count)")
            }
            for (i, target) in y.enumerated() {
                guard target.shape.first == n else {
                    throw KeelError("\(what) targets \(i)", expected: "\(n) samples (as many as the inputs)",
                                    found: "\(target.shape.first ?? 0) (shape \(target.shape))")
                }
                if i < outputs.count {
                    let loss = model.compiled.flatMap { i < $0.losses.count ? $0.losses[i] : nil }
                    // An output without a compiled loss (a custom train step uses the targets its own
                    // way) or with a loss function written in Swift takes the targets as they are.
                    if model.compiled != nil, loss == nil || loss is FunctionLoss { continue }
                    try checkTarget(target, output: outputs[i], sparse: loss is SparseCategoricalCrossentropy,
                                    name: model.outputs[i].layer?.name ?? "output", what: what)
                }
            }
        }
        if let sampleWeight, sampleWeight.shape.first != n {
            throw KeelError("\(what) sample weights", expected: "\(n) weights", found: "shape \(sampleWeight.shape)")
        }
    }

    /// Targets match the output's shape (a trailing 1 may be left out), or — for a sparse
    /// categorical loss — are class ids for it: one rank less, or a trailing 1.
    private static func checkTarget(_ y: Tensor, output: [Int?], sparse: Bool, name: String, what: String) throws {
        let rest = Array(output.dropFirst())
        let found = Array(y.shape.dropFirst())
        func fits(_ a: [Int], _ b: [Int?]) -> Bool { a.count == b.count && zip(a, b).allSatisfy { $1 == nil || $0 == $1 } }
        if sparse {
            let ids = Array(rest.dropLast())
            guard !rest.isEmpty, fits(found, ids) || fits(found, ids + [1]) else {
                throw KeelError("\(what) targets for output '\(name)' (sparse categorical loss)",
                                expected: "class ids of shape \(describe([output.first ?? nil] + ids))",
                                found: "shape \(describe(y.shape.map { $0 }))")
            }
            return
        }
        let squeezed = rest.last == 1 && fits(found, Array(rest.dropLast()))
        guard fits(found, rest) || squeezed else {
            throw KeelError("\(what) targets for output '\(name)'", expected: "shape \(describe(output))",
                            found: "shape \(describe(y.shape.map { $0 }))")
        }
    }

    /// Ids fed straight into an Embedding must be whole numbers in 0..<inputDim.
    private static func checkEmbeddingIDs(_ tensor: Tensor, fedTo symbol: SymbolicTensor, in model: Model, what: String) throws {
        let embeddings = model.graphNodes.filter { node in node.inputs.contains { $0 === symbol } }.compactMap { $0.layer as? Embedding }
        guard let limit = embeddings.map(\.inputDim).min() else { return }
        let name = symbol.layer?.name ?? "input"
        if let bad = tensor.scalars.first(where: { !($0 >= 0 && $0 < Float(limit) && $0.rounded() == $0) }) {
            throw KeelError("\(what) input '\(name)' (token ids for an Embedding)", expected: "whole numbers from 0 to \(limit - 1)",
                            found: "\(bad)")
        }
    }

    static func describe(_ shape: [Int?]) -> String {
        "(" + shape.map { $0.map(String.init) ?? "None" }.joined(separator: ", ") + ")"
    }
}
