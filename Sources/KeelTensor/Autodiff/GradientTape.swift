import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Records the differentiable ops run while it is active, so `gradient(of:wrt:)` can walk them
/// back. Like TensorFlow's: trainable variables read while recording are watched
/// automatically, plain tensors with `watch`; unconnected sources get `nil`; a non-persistent
/// tape answers one `gradient` call; tapes nest (an outer tape records the inner one's
/// gradient computation, which gives higher-order derivatives).
public final class GradientTape {
    public let persistent: Bool
    public let watchAccessedVariables: Bool

    struct Entry {
        let inputs: [UInt64]
        let output: UInt64
        /// The shape the gradient handed to `backward` must have: backward rules index their
        /// buffers by it.
        let outputShape: [Int]
        let backward: BackwardRule
    }

    /// An op's backward rule. Most map the output's gradient to one per input; expensive ones
    /// (matrix products, convolutions) also get which inputs the tape needs a gradient for and
    /// skip the others, e.g. the gradient of a model's input data. Kept as two cases rather than
    /// wrapping the first kind in a closure of the second: every recorded op would pay for one.
    enum BackwardRule {
        case plain((Tensor) -> [Tensor?])
        case skipping((Tensor, [Bool]) -> [Tensor?])

        func callAsFunction(_ gradient: Tensor, needed: @autoclosure () -> [Bool]) -> [Tensor?] {
            switch self {
            case .plain(let rule): return rule(gradient)
            case .skipping(let rule): return rule(gradient, needed())
            }
        }
    }

    private var tracked = Set<UInt64>()
    private var entries: [Entry] = []
    private var spent = false

    public init(persistent: Bool = false, watchAccessedVariables: Bool = true) {
        self.persistent = persistent
        self.watchAccessedVariables = watchAccessedVariables
    }

    // MARK: Activation

    /// Number of tapes recording on any thread; lets every op skip the tape lookup cheaply.
    private static let activeCount = Atomic<Int>(0)
    private static let stackKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    final class Stack {
        var tapes: [GradientTape] = []
    }

    static var currentStack: Stack {
        if let raw = pthread_getspecific(stackKey) {
            return Unmanaged<Stack>.fromOpaque(raw).takeUnretainedValue()
        }
        let stack = Stack()
        pthread_setspecific(stackKey, Unmanaged.passRetained(stack).toOpaque())
        return stack
    }

    /// True when some tape may want to record the op about to run.
    @inlinable
    public static var isRecording: Bool { activeCountValue > 0 }

    @usableFromInline
    static var activeCountValue: Int { activeCount.load(ordering: .relaxed) }

    /// Runs `body` with this tape recording on the current thread.
    public func record<T>(_ body: () throws -> T) rethrows -> T {
        opCheck(!spent, "GradientTape: a non-persistent tape cannot record after gradient() was called")
        let stack = GradientTape.currentStack
        stack.tapes.append(self)
        GradientTape.activeCount.wrappingAdd(1, ordering: .relaxed)
        defer {
            GradientTape.activeCount.wrappingSubtract(1, ordering: .relaxed)
            if let index = stack.tapes.lastIndex(where: { $0 === self }) { stack.tapes.remove(at: index) }
        }
        return try body()
    }

    // MARK: Watching

    public func watch(_ tensor: Tensor) {
        opCheck(tensor.dtype == .float32, "GradientTape.watch: only float32 tensors have gradients, found \(tensor.dtype) \(tensor.shape)")
        tracked.insert(tensor.id)
    }

    public func watch(_ variable: Variable) { tracked.insert(variable.value.id) }

    /// Called when a variable is read: watches it on every recording tape that watches accessed variables.
    static func noteRead(of tensor: Tensor, trainable: Bool) {
        guard trainable, isRecording else { return }
        for tape in currentStack.tapes where tape.watchAccessedVariables {
            tape.tracked.insert(tensor.id)
        }
    }

    // MARK: Recording ops

    /// Records `output = op(inputs)` on every recording tape that tracks one of the inputs.
    /// `backward` maps the gradient of the output to one gradient (or nil) per input.
    public static func recordOp(output: Tensor, inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]) {
        record(output: output, inputs: inputs, .plain(backward))
    }

    /// `recordOp` for a rule that skips the gradients nobody needs: it gets, with the output's
    /// gradient, one flag per input telling whether the tape wants that input's gradient.
    public static func recordOp(output: Tensor, inputs: [Tensor],
                                backwardSkipping backward: @escaping (Tensor, [Bool]) -> [Tensor?]) {
        record(output: output, inputs: inputs, .skipping(backward))
    }

    private static func record(output: Tensor, inputs: [Tensor], _ backward: BackwardRule) {
        guard isRecording else { return }
        let stack = currentStack
        for tape in stack.tapes where !tape.spent {
            guard inputs.contains(where: { $0.dtype == .float32 && tape.tracked.contains($0.id) }) else { continue }
            tape.tracked.insert(output.id)
            tape.entries.append(Entry(inputs: inputs.map(\.id), output: output.id, outputShape: output.shape, backward: backward))
        }
    }

    // MARK: Gradients

    /// d`target`/d`sources` (the target is summed first when it is not a scalar); nil for a
    /// source the target does not depend on.
    public func gradient(of target: Tensor, wrt sources: [Tensor]) -> [Tensor?] {
        gradient(of: target, wrtIDs: sources.map(\.id), shapes: sources.map(\.shape))
    }

    public func gradient(of target: Tensor, wrt source: Tensor) -> Tensor? {
        gradient(of: target, wrtIDs: [source.id], shapes: [source.shape])[0]
    }

    public func gradient(of target: Tensor, wrt variables: [Variable]) -> [Tensor?] {
        gradient(of: target, wrtIDs: variables.map { $0.value.id }, shapes: variables.map(\.shape))
    }

    /// `gradient(of:wrt:)` that also hands each variable's gradient, by its index in
    /// `variables`, to `whenReady` as soon as it is final: right after the reverse walk has
    /// processed the earliest recorded op that reads the variable, since no op left to walk can
    /// add to it. A caller can then use the last layers' gradients (reduce them across processes)
    /// while the walk goes on through the first layers. Variables no recorded op reads are
    /// reported after the walk, with what the plain call returns for them (nil). Every index is
    /// reported exactly once, with the tensor the call returns for it.
    public func gradient(of target: Tensor, wrt variables: [Variable],
                         whenReady: (_ index: Int, _ gradient: Tensor?) -> Void) -> [Tensor?] {
        withoutActuallyEscaping(whenReady) { report in
            gradient(of: target, wrtIDs: variables.map { $0.value.id }, shapes: variables.map(\.shape), whenReady: report)
        }
    }

    /// A backward rule (a custom op's, through `recordOp`) may return a gradient of another shape
    /// than its input's; the rules after it would read past their buffers, so every gradient is
    /// checked where it is used: handed to a backward rule, or returned.
    private static func checkGradient(_ gradient: Tensor, of shape: [Int]) {
        opCheck(gradient.shape == shape && gradient.dtype == .float32,
                "GradientTape.gradient: a backward rule returned a \(gradient.dtype) \(gradient.shape) gradient for a tensor "
                    + "of shape \(shape) (a gradient must be float32 with its tensor's shape)")
    }

    /// For each recorded entry, the sources whose gradients are final once the reverse walk has
    /// processed it (the sources it is the earliest reader of), and the sources no entry reads.
    private func readiness(of sources: [UInt64]) -> (after: [Int: [Int]], unread: [Int]) {
        var unseen: [UInt64: [Int]] = [:]
        for (index, source) in sources.enumerated() { unseen[source, default: []].append(index) }
        var after: [Int: [Int]] = [:]
        for (position, entry) in entries.enumerated() where !unseen.isEmpty {
            for input in entry.inputs {
                if let indices = unseen.removeValue(forKey: input) { after[position, default: []] += indices }
            }
        }
        return (after, unseen.values.joined().sorted())
    }

    private func gradient(of target: Tensor, wrtIDs sources: [UInt64], shapes: [[Int]],
                          whenReady: ((Int, Tensor?) -> Void)? = nil) -> [Tensor?] {
        opCheck(!spent, "GradientTape.gradient: a non-persistent tape can compute gradients only once; use GradientTape(persistent: true)")
        opCheck(target.dtype == .float32, "GradientTape.gradient: the target must be float32, found \(target.dtype) \(target.shape)")
        if !persistent { spent = true }
        // Ops run while computing gradients are not recorded on this tape, only on outer ones.
        let stack = GradientTape.currentStack
        let position = stack.tapes.lastIndex { $0 === self }
        if let position { stack.tapes.remove(at: position) }
        defer { if let position { stack.tapes.insert(self, at: min(position, stack.tapes.count)) } }

        var gradients: [UInt64: Tensor] = [:]
        func result(_ index: Int) -> Tensor? {
            guard let gradient = gradients[sources[index]] else { return nil }
            GradientTape.checkGradient(gradient, of: shapes[index])
            return gradient
        }
        guard tracked.contains(target.id) else {
            let results: [Tensor?] = sources.map { $0 == target.id ? Tensor.ones(target.shape) : nil }
            if let whenReady { for (index, gradient) in results.enumerated() { whenReady(index, gradient) } }
            return results
        }
        gradients[target.id] = Tensor.ones(target.shape)
        let wanted = Set(sources)
        let schedule = whenReady == nil ? nil : readiness(of: sources)
        for index in entries.indices.reversed() {
            let entry = entries[index]
            if let outputGradient = gradients[entry.output] {
                GradientTape.checkGradient(outputGradient, of: entry.outputShape)
                if !wanted.contains(entry.output) { gradients[entry.output] = nil }
                let inputGradients = entry.backward(outputGradient, needed: entry.inputs.map { tracked.contains($0) })
                for (inputID, inputGradient) in zip(entry.inputs, inputGradients) {
                    guard let inputGradient, tracked.contains(inputID) else { continue }
                    if let existing = gradients[inputID] {
                        gradients[inputID] = existing + inputGradient
                    } else {
                        gradients[inputID] = inputGradient
                    }
                }
            }
            if let whenReady, let ready = schedule?.after[index] {
                for source in ready { whenReady(source, result(source)) }
            }
        }
        if let whenReady, let unread = schedule?.unread {
            for source in unread { whenReady(source, result(source)) }
        }
        let results = sources.indices.map(result)
        if !persistent { entries = []; tracked = [] }
        return results
    }
}

/// A tensor with the same value that no tape differentiates through.
public func stopGradient(_ tensor: Tensor) -> Tensor {
    Tensor(sharing: tensor.storage, shape: tensor.shape, dtype: tensor.dtype)
}
