import XCTest
@testable import KeelTensor

/// The size-bucketed pool behind every tensor: aligned buffers, reused rather than reallocated.
final class BufferPoolTests: XCTestCase {
    func testSizeClassesArePowersOfTwoOfAtLeastSixtyFourBytes() {
        XCTAssertEqual(BufferPool.sizeClass(for: 0), 6)
        XCTAssertEqual(BufferPool.sizeClass(for: 1), 6)
        XCTAssertEqual(BufferPool.sizeClass(for: 64), 6)
        XCTAssertEqual(BufferPool.sizeClass(for: 65), 7)
        XCTAssertEqual(BufferPool.sizeClass(for: 4096), 12)
        XCTAssertEqual(BufferPool.sizeClass(for: 4097), 13)
    }

    func testBuffersAreSixtyFourByteAligned() {
        let pool = BufferPool()
        defer { pool.trim() }
        for size in [1, 100, 4000, 70_000] {
            let pointer = pool.allocate(byteCount: size)
            XCTAssertEqual(Int(bitPattern: pointer) % 64, 0, "\(size) bytes")
            pool.release(pointer, byteCount: size)
        }
        XCTAssertEqual(Int(bitPattern: Tensor.zeros([3]).storage.pointer) % 64, 0)
    }

    func testReleasedBufferIsReusedForTheSameSizeClass() {
        let pool = BufferPool()
        defer { pool.trim() }
        let first = pool.allocate(byteCount: 1000)
        pool.release(first, byteCount: 1000)
        let second = pool.allocate(byteCount: 900)  // same 1024-byte class
        XCTAssertEqual(second, first)
        XCTAssertEqual(pool.statistics.systemAllocations, 1)
        XCTAssertEqual(pool.statistics.reuses, 1)
        let other = pool.allocate(byteCount: 3000)  // another class: a new buffer
        XCTAssertNotEqual(other, first)
        XCTAssertEqual(pool.statistics.systemAllocations, 2)
        pool.release(second, byteCount: 900)
        pool.release(other, byteCount: 3000)
    }

    func testTrimReturnsCachedBuffersToTheSystem() {
        let pool = BufferPool()
        let pointer = pool.allocate(byteCount: 256)
        pool.release(pointer, byteCount: 256)
        pool.trim()
        let again = pool.allocate(byteCount: 256)
        XCTAssertEqual(pool.statistics.systemAllocations, 2, "after trim nothing is cached")
        XCTAssertEqual(pool.statistics.reuses, 0)
        pool.release(again, byteCount: 256)
        pool.trim()
    }

    /// After warm-up, repeating a training step (forward, tape gradient, in-place update) takes
    /// every buffer from the pool: no new system allocations.
    func testRepeatedTrainingStepMakesNoNewSystemAllocations() {
        var random = TestRandom(seed: 31)
        let kernel = Variable(Tensor.testUniform([8, 4], &random), name: "kernel")
        let bias = Variable(Tensor.zeros([4]), name: "bias")
        let x = Tensor.testUniform([5, 8], &random)
        let labels = Tensor(shape: [5], int32s: [0, 1, 2, 3, 0]).oneHot(depth: 4)

        func step() {
            let tape = GradientTape()
            let loss = tape.record { () -> Tensor in
                let logits = (x.matmul(kernel.value) + bias.value).relu()
                return -(labels * logits.logSoftmax()).sum(axes: [1]).mean()
            }
            let gradients = tape.gradient(of: loss, wrt: [kernel, bias])
            kernel.assignSub(gradients[0]! * 0.01)
            bias.assignSub(gradients[1]! * 0.01)
        }

        assertNoNewSystemAllocations(after: step, "one-layer step")
    }

    /// A deep stack (as residual nets and transformers are) keeps a hundred or more equal-sized
    /// buffers alive on its tape, all released together when the tape goes: the pool must keep
    /// them for the next step rather than return them to the system.
    func testDeepModelStepMakesNoNewSystemAllocations() {
        var random = TestRandom(seed: 32)
        let layers = (0..<40).map { Variable(Tensor.testUniform([8, 8], &random, -0.5, 0.5), name: "kernel_\($0)") }
        let x = Tensor.testUniform([4, 8], &random)

        func step() {
            let tape = GradientTape()
            let loss = tape.record { () -> Tensor in
                var h = x
                for layer in layers { h = (h.matmul(layer.value) + 0.1).tanh() }
                return h.squared().mean()
            }
            let gradients = tape.gradient(of: loss, wrt: layers)
            for (layer, gradient) in zip(layers, gradients) { layer.assignSub(gradient! * 0.01) }
        }

        assertNoNewSystemAllocations(after: step, "forty-layer step")
    }

    private func assertNoNewSystemAllocations(after step: () -> Void, _ name: String,
                                              file: StaticString = #filePath, line: UInt = #line) {
        for _ in 0..<3 { step() }
        let before = BufferPool.shared.statistics
        for _ in 0..<5 { step() }
        let after = BufferPool.shared.statistics
        XCTAssertEqual(after.systemAllocations, before.systemAllocations, "\(name): steady state allocates nothing new",
                       file: file, line: line)
        XCTAssertGreaterThan(after.reuses, before.reuses + 5 * 10, "\(name): each step reuses many buffers",
                             file: file, line: line)
    }
}
