import Foundation

/// Which variables an optimizer leaves out of weight decay (Keras's `exclude_from_weight_decay`):
/// given variables, and variables whose name matches one of the given regular expressions.
/// The answer per variable is cached, as Keras does, so a step costs one dictionary lookup.
final class WeightDecayExclusion {
    private var excludedVariables: Set<ObjectIdentifier> = []
    private var namePattern: String?
    private var cache: [ObjectIdentifier: Bool] = [:]

    func configure(variables: [Variable], names: [String]) {
        excludedVariables = Set(variables.map(ObjectIdentifier.init))
        namePattern = names.isEmpty ? nil : names.joined(separator: "|")
        cache = [:]
    }

    func excludes(_ variable: Variable) -> Bool {
        let key = ObjectIdentifier(variable)
        if let known = cache[key] { return known }
        var excluded = excludedVariables.contains(key)
        if !excluded, let namePattern {
            excluded = variable.name.range(of: namePattern, options: .regularExpression) != nil
        }
        cache[key] = excluded
        return excluded
    }
}
