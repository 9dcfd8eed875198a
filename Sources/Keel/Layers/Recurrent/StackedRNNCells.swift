/// Keras's `StackedRNNCells`: cells run one after the other within each time step, each taking
/// the previous one's output. Its states are the cells' states in order; its output is the last
/// cell's. `RNN` given a list of cells wraps them in one.
@Component(.layer)
open class StackedRNNCells: RNNCell {
    open override class var kerasClassName: String { "StackedRNNCells" }

    @Hyper("cells", HyperCheck("at least one cell") { !$0.isEmpty }) public var serializedCells: [NestedLayer<RNNCell>]

    public convenience init(_ cells: [RNNCell], name: String? = nil, trainable: Bool = true) {
        self.init(serializedCells: cells.map { NestedLayer($0) }, name: name, trainable: trainable)
    }

    public var cells: [RNNCell] { serializedCells.map(\.layer) }

    open override var sublayers: [Sublayer] { [.list("cells", cells)] }

    open override var stateSizes: [Int] { cells.flatMap(\.stateSizes) }
    open override var outputSize: Int { cells[cells.count - 1].outputSize }
    open override var usesTrainingFlag: Bool { cells.contains { $0.usesTrainingFlag } }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        var shapes = inputShapes
        for cell in cells { shapes = [try cell.checkInputs(shapes)] }
        return shapes[0]
    }

    open override func build(inputShape: [Int]) {
        var shape = inputShape
        for cell in cells {
            cell.buildIfNeeded(inputShapes: [shape])
            cell.prefixWeightPaths(with: name)
            shape = [inputShape[0], cell.outputSize]
        }
    }

    /// The states of each cell, cut from the flat list.
    private func statesByCell(_ states: [Tensor]) -> [[Tensor]] {
        var start = 0
        return cells.map { cell in
            defer { start += cell.stateSizes.count }
            return Array(states[start..<start + cell.stateSizes.count])
        }
    }

    open override func beginSequence(batchSize: Int, inputSize: Int, training: Bool) {
        var size = inputSize
        for cell in cells {
            cell.beginSequence(batchSize: batchSize, inputSize: size, training: training)
            size = cell.outputSize
        }
    }

    open override func endSequence() {
        for cell in cells { cell.endSequence() }
    }

    /// Only the first cell sees the sequence; the others see outputs known step by step.
    open override func projectSequence(_ sequence: Tensor, training: Bool) -> Tensor {
        cells[0].projectSequence(sequence, training: training)
    }

    open override func step(_ input: Tensor, states: [Tensor], training: Bool) -> (output: Tensor, states: [Tensor]) {
        run(input, projected: false, states: states, training: training)
    }

    open override func step(projected input: Tensor, states: [Tensor], training: Bool) -> (output: Tensor, states: [Tensor]) {
        run(input, projected: true, states: states, training: training)
    }

    private func run(_ input: Tensor, projected: Bool, states: [Tensor], training: Bool) -> (output: Tensor, states: [Tensor]) {
        var x = input
        var newStates: [Tensor] = []
        newStates.reserveCapacity(states.count)
        for (i, (cell, cellStates)) in zip(cells, statesByCell(states)).enumerated() {
            let result = i == 0 && projected
                ? cell.step(projected: x, states: cellStates, training: training)
                : cell.step(x, states: cellStates, training: training)
            x = result.output
            newStates += result.states
        }
        return (x, newStates)
    }

    open override func initialStates(batchSize: Int) -> [Tensor] {
        cells.flatMap { $0.initialStates(batchSize: batchSize) }
    }

    open override func previousOutput(in states: [Tensor]) -> Tensor {
        cells[cells.count - 1].previousOutput(in: statesByCell(states)[cells.count - 1])
    }
}
