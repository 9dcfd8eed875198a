/// An error about something that came from outside the program: a file, a command-line
/// argument, a config, a plugin, or data that does not fit a model. The message names the
/// thing, what was expected and what was found, so it can be shown to the user as it is.
public struct KeelError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    /// "<subject>: expected <expected>, found <found>"
    public init(_ subject: String, expected: String, found: String) {
        self.message = "\(subject): expected \(expected), found \(found)"
    }

    public var description: String { message }
}
