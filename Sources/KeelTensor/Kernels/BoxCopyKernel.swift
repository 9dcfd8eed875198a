/// Copies a box (an n-d sub-block of extent `extent`) from one row-major array into another,
/// row by row. Slicing and padding are both this copy.
enum BoxCopyKernel {
    static func copy(from source: UnsafePointer<UInt32>, shape sourceShape: [Int], at sourceBegin: [Int],
                     to destination: UnsafeMutablePointer<UInt32>, shape destinationShape: [Int], at destinationBegin: [Int],
                     extent: [Int]) {
        let rank = extent.count
        if ShapeMath.count(extent) == 0 { return }
        if rank == 0 {
            destination[0] = source[0]
            return
        }
        let sourceStrides = ShapeMath.strides(sourceShape), destinationStrides = ShapeMath.strides(destinationShape)
        var sourceOffset = 0, destinationOffset = 0
        for axis in 0..<rank {
            sourceOffset &+= sourceBegin[axis] &* sourceStrides[axis]
            destinationOffset &+= destinationBegin[axis] &* destinationStrides[axis]
        }
        let inner = extent[rank - 1]
        var index = [Int](repeating: 0, count: rank)
        let rows = ShapeMath.count(extent) / inner
        for _ in 0..<rows {
            (destination + destinationOffset).update(from: source + sourceOffset, count: inner)
            var axis = rank - 2
            while axis >= 0 {
                index[axis] &+= 1
                sourceOffset &+= sourceStrides[axis]
                destinationOffset &+= destinationStrides[axis]
                if index[axis] < extent[axis] { break }
                sourceOffset &-= sourceStrides[axis] &* extent[axis]
                destinationOffset &-= destinationStrides[axis] &* extent[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}
