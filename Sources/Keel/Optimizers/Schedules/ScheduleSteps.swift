/// Reading the step-count fields of schedule configs, which Keras requires to be positive.
extension ConfigReader {
    func positiveSteps(_ key: String) throws -> Int {
        let steps = try int(key)
        guard steps > 0 else { throw KeelError("\(owner): field '\(key)'", expected: "an integer > 0", found: "\(steps)") }
        return steps
    }
}
