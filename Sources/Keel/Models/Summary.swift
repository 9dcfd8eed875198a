import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `model.summary()` exactly as Keras 3 prints it (keras-spec §5).
extension Model {
    /// The summary text, ending with a newline. `lineLength` nil means Keras's rule: its default
    /// (88, or 108 with a "Connected to" column) capped by the terminal width − 4, where a pipe
    /// or file counts as 80 columns.
    public func summary(lineLength: Int? = nil) -> String {
        let sequentialLike = isSequentialLike
        let positions = sequentialLike ? [0.45, 0.80, 1.0] : [0.30, 0.56, 0.74, 1.0]
        let length = lineLength ?? min(sequentialLike ? 88 : 108, Model.terminalColumns() - 4)
        let widths = TextTable.columnWidths(positions: positions, lineLength: length)
        var headers: [(String, TextTable.Justify)] = [("Layer (type)", .left), ("Output Shape", .left), ("Param #", .right)]
        if !sequentialLike { headers.append(("Connected to", .left)) }
        var table = TextTable(columns: zip(headers, widths).map { TextTable.Column(header: $0.0, width: $1, justify: $0.1) })
        let modelNodes = Set(graphNodes.map { ObjectIdentifier($0) })
        for layer in layers {
            var row = ["\(layer.name) (\(type(of: layer).kerasClassName))", Model.outputShapeText(layer),
                       layer.isBuilt ? Model.grouped(layer.weights.reduce(0) { $0 + ShapeMath.count($1.shape) }) : "0 (unbuilt)"]
            if !sequentialLike { row.append(connections(of: layer, within: modelNodes)) }
            table.rows.append(row)
        }
        var lines = ["Model: \"\(name)\""] + table.render()
        let trainable = trainableWeights, nonTrainable = nonTrainableWeights
        let optimizerVariables = optimizer.flatMap { $0.isBuilt ? $0.variables : nil } ?? []
        let counts = [trainable, nonTrainable, optimizerVariables].map { vs in vs.reduce(0) { $0 + ShapeMath.count($1.shape) } }
        let bytes = counts.map { $0 * 4 }
        let total = counts.reduce(0, +), totalBytes = bytes.reduce(0, +)
        lines.append(" Total params: \(Model.grouped(total)) (\(Model.readableSize(totalBytes)))")
        lines.append(" Trainable params: \(Model.grouped(counts[0])) (\(Model.readableSize(bytes[0])))")
        lines.append(" Non-trainable params: \(Model.grouped(counts[1])) (\(Model.readableSize(bytes[1])))")
        if !optimizerVariables.isEmpty {
            lines.append(" Optimizer params: \(Model.grouped(counts[2])) (\(Model.readableSize(bytes[2])))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Keras prints three columns for Sequential and subclassed models and for Functional
    /// models that are a plain chain (one input per call, no shared layers, one output).
    var isSequentialLike: Bool {
        if self is Sequential || !isFunctional { return true }
        guard inputs.count == 1, outputs.count == 1 else { return false }
        var consumers: [ObjectIdentifier: Int] = [:]
        var layerCalls: [ObjectIdentifier: Int] = [:]
        for node in graphNodes {
            if node.inputs.count > 1 { return false }
            for input in node.inputs { consumers[ObjectIdentifier(input), default: 0] += 1 }
            layerCalls[ObjectIdentifier(node.layer), default: 0] += 1
        }
        return consumers.values.allSatisfy { $0 <= 1 } && layerCalls.values.allSatisfy { $0 <= 1 }
    }

    private func connections(of layer: Layer, within modelNodes: Set<ObjectIdentifier>) -> String {
        let parts = layer.inboundNodes.filter { modelNodes.contains(ObjectIdentifier($0)) }.flatMap { node in
            node.inputs.compactMap { $0.history.map { "\($0.layer)[\($0.nodeIndex)][\($0.tensorIndex)]" } }
        }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }

    static func outputShapeText(_ layer: Layer) -> String {
        guard let shape = layer.inboundNodes.last?.outputs.first?.shape else { return "?" }
        return "(" + shape.map { $0.map(String.init) ?? "None" }.joined(separator: ", ") + ")"
    }

    /// 1286789 → "1,286,789".
    static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Keras's `readable_memory_size`: "636.00 B", "4.91 MB".
    static func readableSize(_ bytes: Int) -> String {
        var size = Double(bytes)
        for unit in ["B", "KB", "MB", "GB", "TB"] {
            if size / 1024 < 1 { return String(format: "%.2f", size) + " " + unit }
            size /= 1024
        }
        return String(format: "%.2f PB", size)
    }

    static func terminalColumns() -> Int {
        var size = winsize()
        if isatty(STDOUT_FILENO) != 0, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        return 80
    }
}
