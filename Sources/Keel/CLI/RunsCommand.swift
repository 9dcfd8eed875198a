import ArgumentParser

/// `keel runs [DIR]`: a table of the runs, oldest first, with start, status and final metrics.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List the runs under a directory (default: runs/): start, status, epochs and final metrics.",
        discussion: "A run whose process is gone without finishing (killed, out of memory, reboot) shows as interrupted.")

    @Argument(help: "The runs directory.")
    var directory: String = "runs"

    func run() throws {
        let runs = try RunListing.find(in: directory)
        guard !runs.isEmpty else {
            print("no runs under \(directory)")
            return
        }
        for line in AlignedColumns(rows: [RunListing.header] + runs.map(\.row)).lines { print(line) }
    }
}
