import XCTest
@testable import KeelTensor

/// `gradient(of:wrt:whenReady:)`: each variable's gradient is handed out as soon as the reverse
/// walk can no longer change it, which is what lets data-parallel training reduce the last
/// layers' gradients while the walk still runs through the first layers.
final class GradientReadinessTests: XCTestCase {
    /// Counts how many of the layer markers' backward rules have run.
    private final class WalkProgress {
        var markersWalked = 0
    }

    /// An identity op whose backward rule counts itself: placed after each layer, it tells how
    /// far the reverse walk has come.
    private func marked(_ x: Tensor, _ progress: WalkProgress) -> Tensor {
        let y = stopGradient(x)
        GradientTape.recordOp(output: y, inputs: [x]) { gradient in
            progress.markersWalked += 1
            return [gradient]
        }
        return y
    }

    private struct Chain {
        let variables: [Variable]   // W1, b1, W2, b2, W3, b3
        let x: Tensor

        init(name: String) {
            var random = TestRandom(name: name)
            func variable(_ shape: [Int], _ label: String) -> Variable {
                Variable(Tensor(shape: shape, scalars: random.uniformValues(shape.reduce(1, *), -0.5, 0.5)), name: label)
            }
            variables = [variable([4, 5], "w1"), variable([5], "b1"), variable([5, 3], "w2"), variable([3], "b2"),
                         variable([3, 2], "w3"), variable([2], "b3")]
            x = Tensor(shape: [6, 4], scalars: random.uniformValues(24, -1, 1))
        }

        /// Three Dense-like layers (matmul + bias), each followed by a marker; `first` replaces the
        /// first layer's kernel (to share a variable between layers).
        func loss(_ progress: WalkProgress, marker: (Tensor, WalkProgress) -> Tensor, firstKernel: Variable? = nil) -> Tensor {
            let v = variables
            var h = marker((x.matmul((firstKernel ?? v[0]).value) + v[1].value).relu(), progress)
            h = marker((h.matmul(v[2].value) + v[3].value).relu(), progress)
            h = marker(h.matmul(v[4].value) + v[5].value, progress)
            return h.squared().sum()
        }
    }

    func testEverySourceIsReportedOnceWithThePlainCallsGradient() {
        let chain = Chain(name: "readiness-values")
        let unused = Variable(Tensor.ones([3]), name: "unused")
        let readButUnconnected = Variable(Tensor.ones([2]), name: "read_but_unconnected")
        let sources = chain.variables + [unused, readButUnconnected, chain.variables[2]]
        let progress = WalkProgress()
        let tape = GradientTape(persistent: true)
        let loss = tape.record { () -> Tensor in
            _ = readButUnconnected.value * 2
            return chain.loss(progress, marker: marked)
        }
        let plain = tape.gradient(of: loss, wrt: sources)
        var reported: [Int: [Tensor?]] = [:]
        let returned = tape.gradient(of: loss, wrt: sources) { index, gradient in reported[index, default: []].append(gradient) }

        XCTAssertEqual(reported.keys.sorted(), Array(sources.indices))
        for index in sources.indices {
            XCTAssertEqual(reported[index]?.count, 1, "\(sources[index].name) reported \(reported[index]?.count ?? 0) times")
            XCTAssertEqual(reported[index]?.first??.scalars, plain[index]?.scalars, sources[index].name)
            XCTAssertEqual(returned[index]?.scalars, plain[index]?.scalars, sources[index].name)
        }
        XCTAssertNotNil(plain[0])
        XCTAssertNil(plain[6], "a variable no op reads has no gradient")
        XCTAssertNil(plain[7], "a variable whose reader does not lead to the loss has no gradient")
    }

    func testTheLastLayerIsReportedFirstBeforeTheWalkReachesTheFirstLayer() {
        let chain = Chain(name: "readiness-order")
        let progress = WalkProgress()
        let tape = GradientTape()
        let loss = tape.record { chain.loss(progress, marker: marked) }
        XCTAssertEqual(progress.markersWalked, 0)
        var order: [Int] = []
        var markersWalkedWhenReported: [Int: Int] = [:]
        _ = tape.gradient(of: loss, wrt: chain.variables) { index, _ in
            order.append(index)
            markersWalkedWhenReported[index] = progress.markersWalked
        }
        XCTAssertEqual(progress.markersWalked, 3)
        XCTAssertEqual(Set(order.prefix(2)), [4, 5], "the last layer's kernel and bias come first: \(order)")
        XCTAssertEqual(Set(order.suffix(2)), [0, 1], "the first layer's come last: \(order)")
        // Only the last layer's marker had run: the walk had not reached the two layers before it.
        XCTAssertEqual(markersWalkedWhenReported[4], 1)
        XCTAssertEqual(markersWalkedWhenReported[5], 1)
        XCTAssertEqual(markersWalkedWhenReported[2], 2)
        XCTAssertEqual(markersWalkedWhenReported[3], 2)
        XCTAssertEqual(markersWalkedWhenReported[0], 3)
        XCTAssertEqual(markersWalkedWhenReported[1], 3)
    }

    /// A variable read by the last and the first layer collects gradient from both: it is final
    /// only once the walk has passed its first use.
    func testASharedVariableIsReportedAfterItsEarliestReader() {
        let chain = Chain(name: "readiness-shared")
        let shared = Variable(Tensor(shape: [4, 5], scalars: (0..<20).map { Float($0) / 40 }), name: "shared")
        let sources = [shared] + chain.variables[1...]
        let progress = WalkProgress()
        let tape = GradientTape(persistent: true)
        let loss = tape.record { () -> Tensor in
            let tail = chain.loss(progress, marker: marked, firstKernel: shared)
            // The last use of `shared`, after all three layers.
            return tail + (shared.value * 0.1).sum()
        }
        let plain = tape.gradient(of: loss, wrt: Array(sources))
        var walkedWhenShared: Int?
        var reported: Tensor?
        _ = tape.gradient(of: loss, wrt: Array(sources)) { index, gradient in
            if index == 0 { walkedWhenShared = progress.markersWalked - 3; reported = gradient }
        }
        XCTAssertEqual(walkedWhenShared, 3, "reported before the walk passed the first layer")
        XCTAssertEqual(reported?.scalars, plain[0]?.scalars)
    }

    /// Without a recorded path to the target every source is reported after the walk.
    func testAnUnrecordedTargetReportsEverySourceAtTheEnd() {
        let w = Variable(Tensor.ones([2]), name: "w")
        let tape = GradientTape()
        let constant = Tensor(3)
        var reported: [Int] = []
        let result = tape.gradient(of: constant, wrt: [w, w]) { index, gradient in
            XCTAssertNil(gradient)
            reported.append(index)
        }
        XCTAssertEqual(reported, [0, 1])
        XCTAssertEqual(result.count, 2)
    }
}
