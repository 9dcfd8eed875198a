#if canImport(Glibc)
import Glibc
#endif

/// One line to standard error; errors never go to standard output.
func printError(_ message: String) {
    fputs(message.hasSuffix("\n") ? message : message + "\n", stderr)
}
