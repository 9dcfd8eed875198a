import Foundation
import XCTest
import KeelTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Several "hosts" on one machine: each is a network namespace with its own address on a private
/// /24, joined by a bridge in a hub namespace where mpirun runs. Open MPI reaches the hosts
/// through an rsh agent that enters the namespace of the address it is asked for, and the ranks
/// talk over its TCP transport only, as ranks on separate machines would. Everything lives in
/// namespaces this object creates (the machine's own interfaces and routes are untouched), and
/// `remove()` (also on deinit) deletes them.
final class NamespaceCluster {
    let hub: String
    let hosts: [(namespace: String, address: String)]
    /// "10.a.b.0/24", chosen at random among the /24s the machine does not use.
    let subnet: String
    let hubAddress: String
    private var created: [String] = []

    /// The namespaces of one test process share this prefix; leftovers of a test process that was
    /// killed carry a prefix whose process is gone and are removed first.
    private static let namePrefix = "keel-mh-"

    init(hosts count: Int) throws {
        Self.removeLeftovers()
        let base = try Self.unusedSubnet()
        subnet = base + ".0/24"
        hubAddress = base + ".1"
        let prefix = Self.namePrefix + "\(getpid())-\(UInt16.random(in: 0...UInt16.max))"
        hub = prefix + "-hub"
        hosts = (0..<count).map { (namespace: prefix + "-h\($0)", address: base + ".\(10 + $0)") }
        do {
            try build()
        } catch {
            remove()
            throw error
        }
    }

    deinit { remove() }

    private func build() throws {
        try Self.ip(["netns", "add", hub])
        created.append(hub)
        try Self.ip(["-n", hub, "link", "set", "lo", "up"])
        try Self.ip(["-n", hub, "link", "add", "br0", "type", "bridge", "forward_delay", "0"])
        try Self.ip(["-n", hub, "addr", "add", hubAddress + "/24", "dev", "br0"])
        try Self.ip(["-n", hub, "link", "set", "br0", "up"])
        for (index, host) in hosts.enumerated() {
            try Self.ip(["netns", "add", host.namespace])
            created.append(host.namespace)
            try Self.ip(["-n", host.namespace, "link", "set", "lo", "up"])
            // A veth pair: "port<i>" on the hub's bridge, "eth0" inside the host.
            try Self.ip(["-n", hub, "link", "add", "port\(index)", "type", "veth", "peer", "name", "eth0", "netns", host.namespace])
            try Self.ip(["-n", hub, "link", "set", "port\(index)", "master", "br0", "up"])
            try Self.ip(["-n", host.namespace, "addr", "add", host.address + "/24", "dev", "eth0"])
            try Self.ip(["-n", host.namespace, "link", "set", "eth0", "up"])
        }
    }

    /// Deletes the namespaces (their interfaces go with them). Safe to call twice.
    func remove() {
        for namespace in created.reversed() { try? Self.ip(["netns", "del", namespace]) }
        created = []
    }

    /// `keel <arguments>` as one rank per host, launched from the hub over the hosts' TCP
    /// addresses (`{rank}` in an argument becomes the rank; see MPIJob.run). Shared memory is
    /// left out of the transports: the ranks can only reach each other through the bridge.
    ///
    /// Now and then (a few runs in a hundred here, once on CI) a launch through the namespaces sits
    /// silent until its time-out before any rank prints a line: Open MPI's start-up, not Keel. A
    /// silent first attempt is therefore given `silentLaunchLimit` seconds, reported with what was
    /// running, and launched once more with the whole `timeout`; a hang of Keel's own prints or
    /// hangs again.
    func run(_ keel: KeelProcess, _ arguments: [String], environment: [String: String] = [:],
             timeout: Double, silentLaunchLimit: Double = 60) throws -> MPIJobResult {
        let first = try launch(keel, arguments, environment: environment, timeout: min(timeout, silentLaunchLimit))
        let silent = first.timedOut && first.ranks.allSatisfy { $0.stdout.isEmpty && $0.stderr.isEmpty }
        guard silent else { return first }
        let running = (try? runProcess(URL(fileURLWithPath: "/bin/ps"), ["-eo", "pid,stat,etime,args"]).stdout) ?? ""
        FileHandle.standardError.write(Data("NamespaceCluster: silent launch, retrying once:\n\(first.transcript)\n\(running)\n".utf8))
        return try launch(keel, arguments, environment: environment, timeout: timeout)
    }

    private func launch(_ keel: KeelProcess, _ arguments: [String], environment: [String: String],
                        timeout: Double) throws -> MPIJobResult {
        try MPIJob.run(keel, ranks: hosts.count, arguments, environment: environment, timeout: timeout,
                       options: [], launcher: ["ip", "netns", "exec", hub]) { folder in
            let hostfile = folder.appendingPathComponent("hostfile")
            try hosts.map { "\($0.address) slots=1\n" }.joined().write(to: hostfile, atomically: true, encoding: .utf8)
            let agent = folder.appendingPathComponent("rsh-agent.sh")
            let cases = hosts.map { "    \($0.address)) namespace='\($0.namespace)' ;;\n" }.joined()
            // Called as `agent <host> <command...>` like ssh: the command runs in a shell, in the
            // namespace that holds the host's address.
            try """
                #!/bin/sh
                host="$1"; shift
                case "$host" in
                \(cases)    *) echo "rsh agent: no namespace for host $host" >&2; exit 1 ;;
                esac
                exec ip netns exec "$namespace" /bin/sh -c "$*"

                """.write(to: agent, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: agent.path)
            return ["--hostfile", hostfile.path,
                    "--mca", "plm_rsh_agent", agent.path, "--mca", "plm_rsh_no_tree_spawn", "1",
                    "--mca", "pml", "ob1", "--mca", "btl", "tcp,self",
                    "--mca", "btl_tcp_if_include", subnet, "--mca", "oob_tcp_if_include", subnet]
        }
    }

    // MARK: helpers

    @discardableResult
    private static func ip(_ arguments: [String]) throws -> String {
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["ip"] + arguments)
        guard result.status == 0 else {
            throw TestSupportError.missingTool(
                "`ip \(arguments.joined(separator: " "))` failed (\(result.status)): \(result.stderr) — "
                    + "the multi-host test needs iproute2 and the right to create network namespaces (root or CAP_NET_ADMIN)")
        }
        return result.stdout
    }

    /// A 10.a.b /24 that no interface or route of this machine (or of any namespace that exists)
    /// uses, so the test's traffic can only reach the addresses it made.
    private static func unusedSubnet() throws -> String {
        var inUse = try ip(["-4", "-o", "addr", "show"]) + ip(["-4", "route", "show", "table", "all"])
        for namespace in try namespaces() {
            inUse += (try? ip(["-n", namespace, "-4", "-o", "addr", "show"])) ?? ""
            inUse += (try? ip(["-n", namespace, "-4", "route", "show", "table", "all"])) ?? ""
        }
        for _ in 0..<64 {
            let base = "10.\(Int.random(in: 100...250)).\(Int.random(in: 0...255))"
            if !inUse.contains(base + ".") && !inUse.contains(" " + base.split(separator: ".").prefix(2).joined(separator: ".") + ".0.0/16") {
                return base
            }
        }
        throw TestSupportError.missingTool("no unused 10.x.y.0/24 subnet found for the multi-host test")
    }

    private static func namespaces() throws -> [String] {
        try ip(["netns", "list"]).split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    /// Namespaces of earlier test processes that were killed before they could clean up.
    private static func removeLeftovers() {
        for namespace in (try? namespaces()) ?? [] where namespace.hasPrefix(namePrefix) {
            let pid = namespace.dropFirst(namePrefix.count).split(separator: "-").first.flatMap { Int32($0) } ?? 0
            if pid > 0 && kill(pid, 0) != 0 && errno == ESRCH { try? ip(["netns", "del", namespace]) }
        }
    }
}
