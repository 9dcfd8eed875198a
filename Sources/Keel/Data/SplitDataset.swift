/// One side's size in `splitDataset`: a fraction of the elements or a number of them (Keras's
/// float or int `left_size`/`right_size`); literals work: `leftSize: 0.8`, `rightSize: 100`.
public enum SplitSize: Sendable, Equatable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    case fraction(Double)
    case count(Int)

    public init(floatLiteral value: Double) { self = .fraction(value) }
    public init(integerLiteral value: Int) { self = .count(value) }
}

/// Keras's `keras.utils.split_dataset`: the elements of `dataset` (all read into memory, as Keras
/// does), optionally shuffled with Python's `random.seed(seed); random.shuffle(...)` — the very
/// order Keras gets for the same seed — then the first `leftSize` elements and the last
/// `rightSize`. A size left nil is the rest. Fractions round half to even, as Python's `round`.
/// Keras unbatches a batched dataset and batches the splits again; a Keel dataset does not
/// record its batching, so pass it unbatched and batch the splits.
public func splitDataset(_ dataset: Dataset, leftSize: SplitSize? = nil, rightSize: SplitSize? = nil,
                         shuffle: Bool = false, seed: Int? = nil) throws -> (left: Dataset, right: Dataset) {
    guard leftSize != nil || rightSize != nil else {
        throw KeelError("splitDataset sizes", expected: "leftSize, rightSize or both", found: "neither")
    }
    var elements = try dataset.collect()
    if shuffle {
        let seed = seed.map { UInt64($0.magnitude) } ?? UInt64(KeelRandom.generator.integer(below: 1_000_001))
        var generator = MersenneTwister(pythonSeed: seed)
        generator.pythonShuffle(&elements)
    }
    let (left, right) = try SplitSizes.resolve(left: leftSize, right: rightSize, total: elements.count)
    return (Dataset.fromSequence(Array(elements.prefix(left))), Dataset.fromSequence(Array(elements.suffix(right))))
}

/// Keras's `_rescale_dataset_split_sizes`, its checks in its order.
enum SplitSizes {
    static func resolve(left: SplitSize?, right: SplitSize?, total: Int) throws -> (Int, Int) {
        for (size, side) in [(left, "leftSize"), (right, "rightSize")] {
            guard let size else { continue }
            switch size {
            case .count(let count) where count <= 0 || count >= total:
                throw KeelError("splitDataset \(side)", expected: "a count between 1 and \(total - 1) or a fraction in (0, 1)",
                                found: "\(count)")
            case .fraction(let fraction) where !(fraction > 0 && fraction < 1):
                throw KeelError("splitDataset \(side)", expected: "a fraction in (0, 1) or a count between 1 and \(total - 1)",
                                found: "\(fraction)")
            default:
                break
            }
        }
        if case .fraction(let l) = left, case .fraction(let r) = right, l + r > 1 {
            throw KeelError("splitDataset sizes", expected: "fractions adding up to at most 1", found: "\(l) + \(r)")
        }
        func resolved(_ size: SplitSize?) -> Int? {
            switch size {
            case .fraction(let fraction): return Int((fraction * Double(total)).rounded(.toNearestOrEven))
            case .count(let count): return count
            case nil: return nil
            }
        }
        let leftCount = resolved(left) ?? total - resolved(right)!
        let rightCount = resolved(right) ?? total - leftCount
        guard leftCount + rightCount <= total else {
            throw KeelError("splitDataset sizes", expected: "at most \(total) elements together",
                            found: "\(leftCount) + \(rightCount)")
        }
        for (count, side) in [(leftCount, "left"), (rightCount, "right")] where count == 0 {
            throw KeelError("splitDataset \(side) side", expected: "at least one of the \(total) elements",
                            found: "an empty split (leftSize \(leftCount), rightSize \(rightCount))")
        }
        return (leftCount, rightCount)
    }
}
