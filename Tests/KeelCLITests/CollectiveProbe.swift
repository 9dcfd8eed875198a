import Foundation
import XCTest

/// A plugin experiment that calls the Distributed API the way a custom loop would and prints
/// what it got as `probe key=value` lines (numbers separated by spaces); `--set case=...` picks
/// the check. Used on one host (DistributedCollectiveTests) and across network namespaces
/// (MultiHostTests).
enum CollectiveProbe {
    static let source = #"""
        import Foundation
        import Keel

        struct ProbeFailure: Error, CustomStringConvertible { let description: String }

        final class CollectiveProbe: Experiment {
            override class var name: String { "collective-probe" }
            override class var defaults: [String: HyperValue] { ["case": .string("collectives")] }

            func say(_ key: String, _ value: String) { print("probe \(key)=\(value)") }
            func say(_ key: String, _ values: [Double]) { say(key, values.map { "\($0)" }.joined(separator: " ")) }
            func say(_ key: String, _ tensor: Tensor) {
                say(key + ".shape", tensor.shape.map(Double.init))
                say(key, tensor.scalars.map(Double.init))
            }

            override func run(_ context: ExperimentContext) throws {
                let before = mapped("libmpi")
                try Distributed.initialize()
                try Distributed.initialize()
                let r = Distributed.rank, n = Distributed.size
                say("place", [r, n, Distributed.localRank, Distributed.localSize].map(Double.init))
                switch try context.string("case") {
                case "collectives": try collectives(rank: r, size: n)
                case "single":
                    say("libmpi", before || mapped("libmpi") ? "loaded" : "absent")
                    say("active", "\(Distributed.isActive)")
                    say("tensor-sum", try Distributed.allreduce(Tensor(shape: [2], scalars: [3, 4]), op: .sum))
                    say("double-average", try Distributed.allreduce([2.5], op: .average))
                    say("gather", try Distributed.allgather(Tensor(shape: [1, 2], scalars: [5, 6])))
                    say("broadcast-bytes", String(decoding: try Distributed.broadcast(bytes: Array("solo".utf8)), as: UTF8.self))
                    try Distributed.barrier()
                    say("libmpi-after", mapped("libmpi") ? "loaded" : "absent")
                case "mismatched-variables":
                    // Rank 1 names its second variable differently; the others agree with rank 0.
                    let variables = [Variable(Tensor(shape: [2], scalars: [1, 2]), name: "kernel", path: "probe/kernel"),
                                     Variable(Tensor(shape: [3], scalars: [0, 0, 0]), name: "bias",
                                              path: r == 1 ? "probe/offset" : "probe/bias")]
                    try Distributed.broadcast(variables, root: 0)
                    say("not-reached", "broadcast of variables returned")
                case "allgather-shapes":
                    let columns = r == 1 ? 3 : 2
                    _ = try Distributed.allgather(Tensor(shape: [1, columns], scalars: Array(repeating: 1, count: columns)))
                    say("not-reached", "allgather returned")
                case "apply":
                    // Gradients handed straight to apply (not from optimizer.gradients): averaged
                    // blocking, through the same bucket plan; rank r's gradients are r and constants.
                    let a = Variable(Tensor.zeros([3]), name: "a", path: "probe/a")
                    let b = Variable(Tensor.zeros([2, 2]), name: "b", path: "probe/b")
                    let optimizer = DistributedOptimizer(wrapping: SGD(learningRate: .constant(1)))
                    for _ in 0..<2 {
                        optimizer.apply([Tensor(shape: [3], scalars: [Float(r), 1, Float(2 * r)]),
                                         Tensor(shape: [2, 2], scalars: [Float(r), Float(r), 0, 1])], to: [a, b])
                    }
                    say("a", a.value)
                    say("b", b.value)
                case "skip":
                    if r != 1 { try Distributed.barrier(name: "barrier that rank 1 skips") }
                    say("passed", "rank \(r)")
                case let other:
                    throw ProbeFailure(description: "unknown case \(other)")
                }
                say("done", "rank \(r)")
            }

            func collectives(rank r: Int, size n: Int) throws {
                let tensor = Tensor(shape: [2, 3], scalars: [Float(r), Float(r + 1), Float(-r), 10, Float(r * r), 0.5])
                let doubles = [Double(r) + 0.25, 1e15 + Double(r), -Double(r)]
                for (name, op) in [("sum", .sum), ("average", .average), ("min", .min), ("max", .max)] as [(String, Distributed.ReduceOp)] {
                    say("tensor-\(name)", try Distributed.allreduce(tensor, op: op))
                    say("double-\(name)", try Distributed.allreduce(doubles, op: op))
                }
                // Rank r contributes r + 1 rows of [100r, 100r + 1, ...]; then rank 0 contributes none.
                say("gather", try Distributed.allgather(Tensor(shape: [r + 1, 2], scalars: (0..<(r + 1) * 2).map { Float(r * 100 + $0) })))
                say("gather-some-empty", try Distributed.allgather(Tensor(shape: [r == 0 ? 0 : 1, 2], scalars: r == 0 ? [] : [Float(r), 1])))
                say("gather-all-empty", try Distributed.allgather(Tensor(shape: [0, 2], scalars: [])))
                let root = n - 1
                say("broadcast-tensor", try Distributed.broadcast(Tensor(shape: [3], scalars: [Float(r), Float(2 * r), 7]), root: root))
                say("broadcast-bytes", String(decoding: try Distributed.broadcast(bytes: Array("bytes of rank \(r)".utf8), root: root), as: UTF8.self))
                say("broadcast-empty-bytes", [Double(try Distributed.broadcast(bytes: [], root: root).count)])
                let variables = [Variable(Tensor(shape: [2], scalars: [Float(r), 1]), name: "kernel", path: "probe/kernel"),
                                 Variable(Tensor(shape: [1, 3], scalars: [Float(r), Float(r), Float(r)]), name: "bias", path: "probe/bias")]
                try Distributed.broadcast(variables, root: root)
                say("variables", variables.flatMap { $0.value.scalars }.map(Double.init))
                // Rank 0 comes a second late: nobody may leave the barrier before it arrives.
                if r == 0 { Thread.sleep(forTimeInterval: 1) }
                say("barrier-entered", [Date().timeIntervalSince1970])
                try Distributed.barrier()
                say("barrier-left", [Date().timeIntervalSince1970])
                say("btl", ProcessInfo.processInfo.environment["OMPI_MCA_btl"] ?? "default")
                say("shared-memory", mapped("vader_segment") ? "yes" : "no")
                say("tcp", ownConnections().joined(separator: " "))
            }

            /// Whether a file whose path contains `fragment` is mapped into this process.
            func mapped(_ fragment: String) -> Bool {
                ((try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8)) ?? "").contains(fragment)
            }

            /// This process's established IPv4 TCP connections, "local>remote" (sockets matched
            /// by inode: /proc/net/tcp lists the whole namespace).
            func ownConnections() -> [String] {
                let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
                let inodes = Set(fds.compactMap { fd -> String? in
                    guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + fd),
                          target.hasPrefix("socket:[") else { return nil }
                    return String(target.dropFirst(8).dropLast())
                })
                let table = (try? String(contentsOfFile: "/proc/self/net/tcp", encoding: .utf8)) ?? ""
                return table.split(separator: "\n").dropFirst().compactMap { line in
                    let fields = line.split(separator: " ")
                    guard fields.count > 9, fields[3] == "01", inodes.contains(String(fields[9])) else { return nil }
                    return address(fields[1]) + ">" + address(fields[2])
                }
            }

            func address(_ text: Substring) -> String {
                let parts = text.split(separator: ":")
                guard parts.count == 2, let value = UInt32(parts[0], radix: 16), let port = UInt16(parts[1], radix: 16) else { return "?" }
                return "\(value & 0xff).\(value >> 8 & 0xff).\(value >> 16 & 0xff).\(value >> 24):\(port)"
            }
        }

        public func registerPlugin(_ plugin: PluginRegistrar) throws {
            try plugin.addExperiment(CollectiveProbe.self)
        }
        """#

    /// The `probe key=value` lines of one rank's stdout.
    static func values(_ stdout: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in stdout.split(separator: "\n") where line.hasPrefix("probe ") {
            let body = line.dropFirst(6)
            guard let equals = body.firstIndex(of: "=") else { continue }
            values[String(body[..<equals])] = String(body[body.index(after: equals)...])
        }
        return values
    }

    static func numbers(_ text: String?) -> [Double] {
        (text ?? "").split(separator: " ").compactMap { Double($0) }
    }

    /// Checks one rank's answers to `case=collectives` in a job of `size` ranks against the
    /// values computed here.
    static func checkCollectives(_ job: MPIJobResult, size n: Int, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(job.status, 0, job.transcript, file: file, line: line)
        guard job.ranks.count == n else { return XCTFail("expected \(n) ranks", file: file, line: line) }
        let ranks = 0..<n
        func tensor(_ r: Int) -> [Double] { [Double(r), Double(r + 1), Double(-r), 10, Double(r * r), 0.5] }
        func doubles(_ r: Int) -> [Double] { [Double(r) + 0.25, 1e15 + Double(r), -Double(r)] }
        func combine(_ rows: [[Double]], _ op: String) -> [Double] {
            (0..<rows[0].count).map { i in
                let column = rows.map { $0[i] }
                switch op {
                case "sum": return column.reduce(0, +)
                case "average": return column.reduce(0, +) / Double(n)
                case "min": return column.min()!
                default: return column.max()!
                }
            }
        }
        let answers = job.ranks.map { values($0.stdout) }
        var entered: [Double] = [], left: [Double] = []
        for (r, got) in answers.enumerated() {
            let context = "rank \(r) of \(n):\n\(job.ranks[r].stdout)\n\(job.ranks[r].stderr)"
            XCTAssertEqual(numbers(got["place"]).prefix(2), [Double(r), Double(n)], context, file: file, line: line)
            for op in ["sum", "average", "min", "max"] {
                let expectedTensor = combine(ranks.map(tensor), op), expectedDoubles = combine(ranks.map(doubles), op)
                let gotTensor = numbers(got["tensor-\(op)"]), gotDoubles = numbers(got["double-\(op)"])
                XCTAssertEqual(numbers(got["tensor-\(op).shape"]), [2, 3], "tensor \(op) shape, \(context)", file: file, line: line)
                XCTAssertEqual(gotTensor.count, expectedTensor.count, "tensor \(op), \(context)", file: file, line: line)
                for (a, b) in zip(gotTensor, expectedTensor) {
                    XCTAssertEqual(a, b, accuracy: 1e-5 * max(1, abs(b)), "tensor \(op), \(context)", file: file, line: line)
                }
                XCTAssertEqual(gotDoubles, expectedDoubles, "doubles \(op) (exact in float64), \(context)", file: file, line: line)
            }
            let gathered = ranks.flatMap { q in (0..<(q + 1) * 2).map { Double(q * 100 + $0) } }
            XCTAssertEqual(numbers(got["gather.shape"]), [Double(n * (n + 1) / 2), 2], context, file: file, line: line)
            XCTAssertEqual(numbers(got["gather"]), gathered, context, file: file, line: line)
            XCTAssertEqual(numbers(got["gather-some-empty.shape"]), [Double(n - 1), 2], context, file: file, line: line)
            XCTAssertEqual(numbers(got["gather-some-empty"]), (1..<n).flatMap { [Double($0), 1] }, context, file: file, line: line)
            XCTAssertEqual(numbers(got["gather-all-empty.shape"]), [0, 2], context, file: file, line: line)
            let root = Double(n - 1)
            XCTAssertEqual(numbers(got["broadcast-tensor"]), [root, 2 * root, 7], context, file: file, line: line)
            XCTAssertEqual(got["broadcast-bytes"], "bytes of rank \(n - 1)", context, file: file, line: line)
            XCTAssertEqual(numbers(got["broadcast-empty-bytes"]), [0], context, file: file, line: line)
            XCTAssertEqual(numbers(got["variables"]), [root, 1, root, root, root], context, file: file, line: line)
            entered.append(numbers(got["barrier-entered"]).first ?? .nan)
            left.append(numbers(got["barrier-left"]).first ?? .nan)
            XCTAssertEqual(got["done"], "rank \(r)", context, file: file, line: line)
        }
        // Rank 0 entered the barrier a second late; no rank left it before then.
        if entered.count == n {
            for (r, time) in left.enumerated() {
                XCTAssertGreaterThanOrEqual(time, entered[0], "rank \(r) left the barrier before rank 0 arrived", file: file, line: line)
            }
        }
    }
}
