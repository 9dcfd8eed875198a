/// Weights read from a file and the problems found matching them to a model's variables.
/// Nothing is assigned until every weight has been read and checked, so a strict load that
/// fails leaves the model exactly as it was.
final class WeightAssignmentPlan {
    /// The file being loaded, for messages.
    let source: String
    private var assignments: [(variable: Variable, value: Tensor)] = []
    private(set) var problems: [String] = []

    init(source: String) { self.source = source }

    /// Reads `dataset` for `variable` of `layer`, or records a problem when the shapes differ.
    func add(_ variable: Variable, of layer: String, from dataset: HDF5Dataset) throws {
        guard dataset.shape == variable.shape else {
            problems.append("layer '\(layer)' weight '\(variable.name)' (\(variable.path)): expected shape "
                            + "\(variable.shape), found \(dataset.shape) in \(dataset.path)")
            return
        }
        assignments.append((variable, try SavedArrays.tensor(dataset, as: variable.dtype)))
    }

    /// A layer of the model whose weights the file does not have.
    func missing(_ layer: Layer, _ weights: [Variable], where place: String) {
        problems.append("layer '\(layer.name)' weights \(Self.describe(weights)): missing, no \(place) in the file")
    }

    /// Weights in the file that no layer of the model takes.
    func unexpected(_ place: String, count: Int) {
        problems.append("\(place): \(count) weight\(count == 1 ? "" : "s") in the file that no layer of the model takes")
    }

    /// A layer whose saved weights are not as many as its variables.
    func countMismatch(_ layer: Layer, _ weights: [Variable], found: [String], in place: String) {
        problems.append("layer '\(layer.name)': expected \(weights.count) weight\(weights.count == 1 ? "" : "s") "
                        + "\(Self.describe(weights)), found \(found.count) [\(found.joined(separator: ", "))] in \(place)")
    }

    /// Assigns everything read. With problems, throws listing them all, unless `skipMismatch`
    /// (then the mismatched weights keep their values and a warning lists them).
    func apply(skipMismatch: Bool) throws {
        if !problems.isEmpty {
            let listing = problems.joined(separator: "; ")
            guard skipMismatch else {
                throw KeelError(source, expected: "weights matching the model's layers and shapes "
                                + "(loading with skipMismatch skips the ones that do not)", found: listing)
            }
            SavingWarnings.emit("\(source): skipped weights that do not match the model: \(listing)")
        }
        for (variable, value) in assignments { variable.assign(value) }
    }

    static func describe(_ weights: [Variable]) -> String {
        "[" + weights.map { "\($0.name) \($0.shape)" }.joined(separator: ", ") + "]"
    }
}
