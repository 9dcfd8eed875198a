import Foundation

/// Where loading reports what it tolerated: weights skipped with `skipMismatch`, optimizer
/// state that did not fit (Keras logs these as warnings and carries on). Written to standard
/// error by default; set `handler` to collect them instead.
public enum SavingWarnings {
    nonisolated(unsafe) public static var handler: (String) -> Void = { message in
        FileHandle.standardError.write(Data("Keel warning: \(message)\n".utf8))
    }

    static func emit(_ message: String) { handler(message) }
}
