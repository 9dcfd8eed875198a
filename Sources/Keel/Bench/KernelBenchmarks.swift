import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Figures for the tensor engine itself: GEMM, elementwise bandwidth, convolution, op overhead.
enum KernelBenchmarks {
    static func sgemm(n: Int = 1024) -> (keel: BenchFigure, raw: Double) {
        let generator = RandomGenerator(seed: 1)
        let a = generator.uniform([n, n], low: -1, high: 1), b = generator.uniform([n, n], low: -1, high: 1)
        let flops = 2 * Double(n * n * n)
        _ = a.matmul(b)
        let keel = Stopwatch.median(repetitions: 15) { _ = a.matmul(b) }
        let c = Tensor(uninitializedShape: [n, n])
        let raw = Stopwatch.median(repetitions: 15) {
            BLAS.sgemm(transposeA: false, transposeB: false, m: n, n: n, k: n, alpha: 1,
                       a: a.storage.floats, lda: n, b: b.storage.floats, ldb: n, beta: 0, c: c.storage.floats, ldc: n)
        }
        let rawGflops = flops / raw / 1e9
        return (BenchFigure(name: "sgemm_\(n)", value: flops / keel / 1e9, unit: "GFLOP/s", higherIsBetter: true,
                            reference: "BLAS.sgemm alone", referenceValue: rawGflops, target: "ratio ≥ 0.9"), rawGflops)
    }

    static func add(count: Int = 1 << 24) -> BenchFigure {
        let a = Tensor(repeating: 1, shape: [count]), b = Tensor(repeating: 2, shape: [count])
        _ = a + b
        let seconds = Stopwatch.median(repetitions: 9) { _ = a + b }
        let destination = Tensor(uninitializedShape: [count])
        destination.storage.floats.update(repeating: 0, count: count)
        let copy = Stopwatch.median(repetitions: 9) {
            memcpy(destination.storage.pointer, a.storage.pointer, count * 4)
        }
        let bytesAdd = Double(count * 12), bytesCopy = Double(count * 8)
        return BenchFigure(name: "add_16m", value: bytesAdd / seconds / 1e9, unit: "GB/s", higherIsBetter: true,
                           reference: "memcpy", referenceValue: bytesCopy / copy / 1e9, target: "ratio ≥ 0.5")
    }

    /// Conv2D 3×3 'same' forward + both gradients at the VGG shapes of seed 004.
    static func convVGG(gemmGflops: Double) -> BenchFigure {
        let generator = RandomGenerator(seed: 2)
        let layers: [(input: [Int], filters: Int)] = [([64, 28, 28, 32], 32), ([64, 14, 14, 64], 64)]
        var flops = 0.0
        var work: [() -> Void] = []
        for (shape, filters) in layers {
            let x = generator.normal(shape), kernel = generator.normal([3, 3, shape[3], filters], stddev: 0.1)
            flops += 3 * 2 * Double(shape[0] * shape[1] * shape[2] * 9 * shape[3] * filters)
            work.append {
                let tape = GradientTape()
                tape.watch(x)
                tape.watch(kernel)
                let y = tape.record { x.conv2d(kernel, padding: .same) }
                _ = tape.gradient(of: y, wrt: [x, kernel])
            }
        }
        for w in work { w() }
        let seconds = Stopwatch.median(repetitions: 7) { for w in work { w() } }
        return BenchFigure(name: "conv_vgg", value: flops / seconds / 1e9, unit: "GFLOP/s", higherIsBetter: true,
                           reference: "sgemm_1024", referenceValue: gemmGflops, target: "ratio ≥ 0.5")
    }

    static func tinyOpOverhead() -> BenchFigure {
        let a = Tensor(repeating: 1, shape: [64]), b = Tensor(repeating: 2, shape: [64])
        let iterations = 20_000
        // A fresh tape each repetition keeps the recorded graph (every op is recorded) bounded.
        let seconds = Stopwatch.median(repetitions: 9) {
            let tape = GradientTape()
            tape.watch(a)
            tape.record { for _ in 0..<iterations { _ = a + b } }
        }
        return BenchFigure(name: "tiny_op_overhead", value: seconds / Double(iterations) * 1e9, unit: "ns/op",
                           higherIsBetter: false, reference: "none", referenceValue: nil, target: "lower is better")
    }
}
