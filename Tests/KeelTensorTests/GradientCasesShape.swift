@testable import KeelTensor

/// Ops that move values around. Where an op has several outputs, the case joins them with
/// different weights so a gradient routed to the wrong piece shows.
let shapeGradientCases: [GradientCase] = [
    GradientCase("reshaped", "[2,3,4] to [6,4]", [input([2, 3, 4])]) { $0[0].reshaped([6, 4]) },
    GradientCase("reshaped", "[2,3,4] to [4,-1]", [input([2, 3, 4])]) { $0[0].reshaped([4, -1]) },
    GradientCase("flattened", [input([2, 3])]) { $0[0].flattened() },
    GradientCase("transposed(_:)", "[2,3,4] perm [2,0,1]", [input([2, 3, 4])]) { $0[0].transposed([2, 0, 1]) },
    GradientCase("transposed(_:)", "[2,3,4] perm [1,0,2]", [input([2, 3, 4])]) { $0[0].transposed([1, 0, 2]) },
    GradientCase("transposed(_:)", "NHWC to NCHW [2,1,3,2]", [input([2, 1, 3, 2])]) { $0[0].transposed([0, 3, 1, 2]) },
    GradientCase("transposed()", "[2,3,4]", [input([2, 3, 4])]) { $0[0].transposed() },
    GradientCase("expandingDims", "axis 0", [input([2, 3])]) { $0[0].expandingDims(at: 0) },
    GradientCase("expandingDims", "axis -1", [input([2, 3])]) { $0[0].expandingDims(at: -1) * $0[0].expandingDims(at: 1) },
    GradientCase("squeezed", "all unit axes", [input([2, 1, 3, 1])]) { $0[0].squeezed() },
    GradientCase("squeezed", "axis 1 only", [input([2, 1, 3, 1])]) { $0[0].squeezed(axes: [1]) },
    GradientCase("broadcasted", "[3] to [2,3]", [input([3])]) { $0[0].broadcasted(to: [2, 3]) },
    GradientCase("broadcasted", "[2,1] to [2,3]", [input([2, 1])]) { $0[0].broadcasted(to: [2, 3]) },
    GradientCase("broadcasted", "[1,3,1] to [2,3,4]", [input([1, 3, 1])]) { $0[0].broadcasted(to: [2, 3, 4]) },
    GradientCase("broadcasted", "scalar to [2,3]", [input([])]) { $0[0].broadcasted(to: [2, 3]) },
    GradientCase("concatenate", "axis 0", [input([2, 3]), input([1, 3])]) { Tensor.concatenate($0, axis: 0) },
    GradientCase("concatenate", "axis -1, three parts", [input([2, 3]), input([2, 2]), input([2, 1])]) {
        Tensor.concatenate($0, axis: -1)
    },
    GradientCase("concatenate", "axis 1 of rank 3", [input([2, 3, 2]), input([2, 1, 2])]) {
        Tensor.concatenate($0, axis: 1)
    },
    GradientCase("concatenate", "the same tensor twice", [input([2, 2])]) { Tensor.concatenate([$0[0], $0[0]], axis: 0) },
    GradientCase("split(sizes:)", "[2,5] into 1,3,1 along axis 1", [input([2, 5])]) {
        let p = $0[0].split(sizes: [1, 3, 1], axis: 1)
        return Tensor.concatenate([p[2] * 3, p[0] * 2, p[1].squared()], axis: 1)
    },
    GradientCase("split(sizes:)", "[3,2] into 2,0,1 along axis 0", [input([3, 2])]) {
        let p = $0[0].split(sizes: [2, 0, 1], axis: 0)
        return Tensor.concatenate([p[2] * -1, p[1], p[0] * 2], axis: 0)
    },
    GradientCase("split(count:)", "[4,3] into 2 along axis 0", [input([4, 3])]) {
        let p = $0[0].split(count: 2, axis: 0)
        return p[0] * 2 + p[1].squared()
    },
    GradientCase("split(count:)", "[2,6] into 3 along axis -1", [input([2, 6])]) {
        let p = $0[0].split(count: 3, axis: -1)
        return p[0] * p[1] - p[2]
    },
    GradientCase("stack", "axis 0", [input([2, 3]), input([2, 3])]) { Tensor.stack($0, axis: 0) },
    GradientCase("stack", "axis 1", [input([2, 3]), input([2, 3]), input([2, 3])]) { Tensor.stack($0, axis: 1) },
    GradientCase("stack", "axis -1", [input([2, 3]), input([2, 3])]) { Tensor.stack([$0[0], $0[1] * $0[0]], axis: -1) },
    GradientCase("unstacked", "[3,2] along axis 0", [input([3, 2])]) {
        let p = $0[0].unstacked(axis: 0)
        return p[0] + p[1] * 2 + p[2].squared()
    },
    GradientCase("unstacked", "[2,3,2] along axis 1", [input([2, 3, 2])]) {
        let p = $0[0].unstacked(axis: 1)
        return Tensor.concatenate([p[2], p[0] * -2, p[1]], axis: 0)
    },
    GradientCase("slice", "[3,4] begin [1,1] size [2,-1]", [input([3, 4])]) { $0[0].slice(begin: [1, 1], size: [2, -1]) },
    GradientCase("slice", "[2,3,4] begin [0,1,1] size [2,2,2]", [input([2, 3, 4])]) {
        $0[0].slice(begin: [0, 1, 1], size: [2, 2, 2])
    },
    GradientCase("padded", "[2,3] by (1,0),(2,1)", [input([2, 3])]) { $0[0].padded([(1, 0), (2, 1)]) },
    GradientCase("padded", "[2,2,2] by (0,1),(1,1),(0,0) with 0.5", [input([2, 2, 2])]) {
        $0[0].padded([(0, 1), (1, 1), (0, 0)], value: 0.5)
    },
    GradientCase("gathering", "axis 0 with a repeated index", [input([4, 3])]) {
        $0[0].gathering(Tensor(shape: [3], int32s: [2, 0, 2]), axis: 0)
    },
    GradientCase("gathering", "axis 1 with [2,2] indices", [input([2, 3])]) {
        $0[0].gathering(Tensor(shape: [2, 2], int32s: [1, 0, 1, 1]), axis: 1)
    },
    GradientCase("gathering", "axis -1 of rank 3", [input([2, 2, 3])]) {
        $0[0].gathering(Tensor(shape: [4], int32s: [2, 2, 0, 1]), axis: -1)
    },
    GradientCase("tiled", "[2,3] by [2,1]", [input([2, 3])]) { $0[0].tiled([2, 1]) },
    GradientCase("tiled", "[2,1,2] by [1,3,2]", [input([2, 1, 2])]) { $0[0].tiled([1, 3, 2]) },
    GradientCase("where", "equal shapes", [input([2, 3]), input([2, 3])]) {
        `where`(Tensor(shape: [2, 3], scalars: [1, 0, 0, 1, 1, 0]), $0[0], $0[1])
    },
    GradientCase("where", "row condition, scalar second operand", [input([2, 3]), input([])]) {
        `where`(Tensor(shape: [3], scalars: [0, 1, 0]), $0[0], $0[1])
    },
    GradientCase("where", "int32 condition, broadcast first operand", [input([3]), input([2, 3])]) {
        `where`(Tensor(shape: [2, 1], int32s: [1, 0]), $0[0], $0[1])
    },
]
