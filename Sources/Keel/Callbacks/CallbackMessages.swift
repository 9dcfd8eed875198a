import Foundation

/// Where built-in callbacks print (Keras's `io_utils.print_msg` and `warnings.warn`). Messages
/// go to standard output with a line break, as `print` does in Python; warnings go to standard
/// error so they never interleave with a progress bar redrawn on standard output.
public enum CallbackMessages {
    public static let standardOutput: @Sendable (String) -> Void = { message in
        FileHandle.standardOutput.write(Data((message + "\n").utf8))
    }

    public static let standardError: @Sendable (String) -> Void = { message in
        FileHandle.standardError.write(Data(("Warning: " + message + "\n").utf8))
    }

    /// Logs keys as Keras lists them in "Available metrics are: ..." warnings.
    static func available(_ logs: Logs) -> String { logs.keys.joined(separator: ",") }
}
