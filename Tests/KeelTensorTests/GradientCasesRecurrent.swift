@testable import KeelTensor

/// The fused recurrences: projection (batch 2, time 3), recurrent kernel, initial states, over
/// both directions, with a mask where a row's first and last steps are masked.
private let stepMask = Tensor(shape: [2, 3], scalars: [1, 1, 1, 0, 1, 0])

let recurrentGradientCases: [GradientCase] = [
    GradientCase("lstmSequence", "forwards", [input([2, 3, 8]), input([2, 8]), input([2, 2]), input([2, 2])]) {
        $0[0].lstmSequence(recurrentKernel: $0[1], h0: $0[2], c0: $0[3], reversed: false)
    },
    GradientCase("lstmSequence", "backwards, masked", [input([2, 3, 8]), input([2, 8]), input([2, 2]), input([2, 2])]) {
        $0[0].lstmSequence(recurrentKernel: $0[1], h0: $0[2], c0: $0[3], reversed: true, mask: stepMask)
    },
    GradientCase("lstmSequence", "masked steps output zeros", [input([2, 3, 8]), input([2, 8]), input([2, 2]), input([2, 2])]) {
        $0[0].lstmSequence(recurrentKernel: $0[1], h0: $0[2], c0: $0[3], reversed: false, mask: stepMask, zeroOutputForMask: true)
    },
    GradientCase("gruSequence", "reset after, recurrent bias", [input([2, 3, 6]), input([2, 6]), input([6]), input([2, 2])]) {
        $0[0].gruSequence(recurrentKernel: $0[1], recurrentBias: $0[2], h0: $0[3], resetAfter: true, reversed: false)
    },
    GradientCase("gruSequence", "reset before, backwards, masked", [input([2, 3, 6]), input([2, 6]), input([2, 2])]) {
        $0[0].gruSequence(recurrentKernel: $0[1], recurrentBias: nil, h0: $0[2], resetAfter: false, reversed: true,
                          mask: stepMask)
    },
    GradientCase("gruSequence", "reset after, masked steps output zeros", [input([2, 3, 6]), input([2, 6]), input([2, 2])]) {
        $0[0].gruSequence(recurrentKernel: $0[1], recurrentBias: nil, h0: $0[2], resetAfter: true, reversed: false,
                          mask: stepMask, zeroOutputForMask: true)
    },
]
