/// A PNG diagram of a Functional or Sequential model, as Keras's `plot_model(show_shapes=True)`
/// draws it: one box per layer with `name (Class)` and its output shape, arrows from each layer
/// to the layers it feeds, inputs at the top. Layers sit in rows by their longest distance from
/// an input, so every arrow points down.
public enum ModelPlot {
    /// Writes the diagram to `path` as PNG.
    public static func write(_ model: Model, to path: String, showShapes: Bool = true) throws {
        try render(model, showShapes: showShapes).write(to: path)
    }

    public static func render(_ model: Model, showShapes: Bool = true) throws -> Canvas {
        guard model.isFunctional else {
            throw KeelError("plot of model '\(model.name)'", expected: "a Functional or Sequential model with known inputs",
                            found: "a subclassed (or not yet built) model, whose connections are only known by running it")
        }
        let graph = LayerGraph(model)
        let style = Style()
        let boxes = graph.layers.map { layer -> Box in
            var lines = ["\(layer.name) (\(type(of: layer).kerasClassName))"]
            if showShapes { lines.append("Output shape: " + Model.outputShapeText(layer)) }
            let textWidth = lines.map { Canvas.textWidth($0, scale: style.textScale) }.max() ?? 0
            return Box(lines: lines, width: textWidth + 2 * style.padding, height: style.boxHeight(lines: lines.count))
        }

        let rows = (0...(graph.depths.max() ?? 0)).map { depth in graph.layers.indices.filter { graph.depths[$0] == depth } }
        let rowWidths = rows.map { row in row.map { boxes[$0].width }.reduce(0, +) + max(row.count - 1, 0) * style.columnGap }
        let rowHeight = boxes.map(\.height).max() ?? 0
        let width = (rowWidths.max() ?? 0) + 2 * style.margin
        let height = rows.count * rowHeight + max(rows.count - 1, 0) * style.rowGap + 2 * style.margin
        var frames = [(x: Int, y: Int)](repeating: (0, 0), count: boxes.count)
        for (depth, row) in rows.enumerated() {
            var x = (width - rowWidths[depth]) / 2
            let y = style.margin + depth * (rowHeight + style.rowGap)
            for index in row {
                frames[index] = (x, y + (rowHeight - boxes[index].height) / 2)
                x += boxes[index].width + style.columnGap
            }
        }

        var canvas = Canvas(width: width, height: height)
        for (target, sources) in graph.inputs.enumerated() {
            for (slot, source) in sources.enumerated() {
                let from = Point(x: Double(frames[source].x) + Double(boxes[source].width) / 2,
                                 y: Double(frames[source].y + boxes[source].height))
                let share = Double(slot + 1) / Double(sources.count + 1)
                let to = Point(x: Double(frames[target].x) + Double(boxes[target].width) * share, y: Double(frames[target].y))
                canvas.drawArrow(from: from, to: to, color: .darkGray)
            }
        }
        for (index, box) in boxes.enumerated() {
            let (x, y) = frames[index]
            canvas.fillRectangle(x: x, y: y, width: box.width, height: box.height, color: style.fill)
            canvas.strokeRectangle(x: x, y: y, width: box.width, height: box.height, color: .darkGray, thickness: 2)
            for (line, text) in box.lines.enumerated() {
                canvas.drawText(text, x: x + (box.width - Canvas.textWidth(text, scale: style.textScale)) / 2,
                                y: y + style.padding + line * style.lineAdvance, color: line == 0 ? .black : .darkGray,
                                scale: style.textScale)
            }
        }
        return canvas
    }

    private struct Box {
        let lines: [String]
        let width: Int
        let height: Int
    }

    private struct Style {
        let textScale = 2
        let padding = 10
        let margin = 20
        let columnGap = 30
        let rowGap = 40
        let fill = Color(hex: 0xF2F6FB)
        var lineAdvance: Int { Canvas.textHeight(scale: textScale) + 6 }
        func boxHeight(lines: Int) -> Int { 2 * padding + lines * lineAdvance - 6 }
    }
}

/// The layers of a Functional graph, which layers feed each one (by index, per input, in node
/// order), and each layer's depth: the longest path from an input.
private struct LayerGraph {
    let layers: [Layer]
    let inputs: [[Int]]
    let depths: [Int]

    init(_ model: Model) {
        let nodes = model.graphNodes
        var layers: [Layer] = []
        var index: [ObjectIdentifier: Int] = [:]
        for node in nodes where index[ObjectIdentifier(node.layer)] == nil {
            index[ObjectIdentifier(node.layer)] = layers.count
            layers.append(node.layer)
        }
        var inputs = [[Int]](repeating: [], count: layers.count)
        var depths = [Int](repeating: 0, count: layers.count)
        // Nodes come in execution order, so every source's depth is final before it is used.
        for node in nodes {
            let target = index[ObjectIdentifier(node.layer)]!
            for tensor in node.inputs {
                guard let source = tensor.layer.flatMap({ index[ObjectIdentifier($0)] }) else { continue }
                inputs[target].append(source)
                depths[target] = max(depths[target], depths[source] + 1)
            }
        }
        self.layers = layers
        self.inputs = inputs
        self.depths = depths
    }
}

/// Keras's `keras.utils.plot_model(model, to_file=...)`: the layer graph as a PNG.
public func plotModel(_ model: Model, toFile path: String, showShapes: Bool = true) throws {
    try ModelPlot.write(model, to: path, showShapes: showShapes)
}
