import Foundation
import XCTest
import KeelTestSupport

/// Ranks on separate "hosts": each in its own network namespace with its own address, reachable
/// only over TCP through a bridge (see NamespaceCluster). The collectives give the same answers
/// as on one host, and the bytes demonstrably went over TCP between the hosts' addresses.
final class MultiHostTests: XCTestCase {
    func testCollectivesAcrossNetworkNamespacesGoOverTCPBetweenTheHostsAddresses() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let probe = try keel.plugin("CollectiveProbe", ["CollectiveProbe.swift": CollectiveProbe.source])
        let cluster = try NamespaceCluster(hosts: 3)
        defer { cluster.remove() }
        let job = try cluster.run(keel, ["run", probe.path, "--set", "case=collectives", "--run-dir", "run-{rank}"], timeout: 180)
        CollectiveProbe.checkCollectives(job, size: 3)
        let addresses = cluster.hosts.map(\.address)
        for (r, output) in job.ranks.enumerated() {
            let got = CollectiveProbe.values(output.stdout)
            // Each rank is alone on its host.
            XCTAssertEqual(CollectiveProbe.numbers(got["place"]), [Double(r), 3, 0, 1], job.transcript)
            XCTAssertEqual(got["btl"], "tcp,self", "the only transports between ranks are TCP (and self)")
            XCTAssertEqual(got["shared-memory"], "no", "no shared-memory segment is mapped:\n\(job.transcript)")
            // The rank's own sockets: TCP connections from its address to every other host's.
            let connections = (got["tcp"] ?? "").split(separator: " ").map { pair in
                pair.split(separator: ">").map { $0.split(separator: ":").first.map(String.init) ?? "" }
            }
            for (q, peer) in addresses.enumerated() where q != r {
                XCTAssertTrue(connections.contains([addresses[r], peer]),
                              "rank \(r) has no TCP connection \(addresses[r]) > \(peer): \(got["tcp"] ?? "none")\n\(job.transcript)")
            }
            for pair in connections {
                // Loopback: the rank's link to its host's Open MPI daemon (PMIx).
                XCTAssertTrue(pair.allSatisfy { addresses.contains($0) || $0 == cluster.hubAddress || $0.hasPrefix("127.") },
                              "rank \(r) connected outside the test's subnet: \(pair)")
            }
        }
    }

    /// The equivalence proof of DistributedEquivalenceTests across "hosts": 2 ranks in their own
    /// namespaces, talking over TCP only, with several gradient buckets in flight, end with the
    /// weights one process gets with the doubled batch.
    func testTrainingAcrossNetworkNamespacesEqualsOneProcessWithTheWholeBatch() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let equivalence = try DistributedEquivalence(keel: keel)
        let reference = try equivalence.referenceRun(ranks: 2)
        let cluster = try NamespaceCluster(hosts: 2)
        defer { cluster.remove() }
        let (arguments, output) = try equivalence.runArguments(ranks: 2, fusionThreshold: "64", label: "namespaces")
        let job = try cluster.run(keel, arguments, environment: ["KEEL_DISTRIBUTED_TIMEOUT": "60"], timeout: 150)
        XCTAssertEqual(job.status, 0, job.transcript)
        let distributed = try DistributedEquivalence.read(output + "/rank0-of-2.txt")
        DistributedEquivalence.assertEquivalent(distributed, reference)
        XCTAssertGreaterThan(distributed.traces["dense"]?.variablesPerBucket.count ?? 0, 1, "several buckets were in flight")
    }

    /// The namespaces are gone after `remove()`, whatever happened in between.
    func testTheClusterRemovesItsNamespaces() throws {
        let cluster = try NamespaceCluster(hosts: 2)
        let names = [cluster.hub] + cluster.hosts.map(\.namespace)
        let listed = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["ip", "netns", "list"]).stdout
        for name in names { XCTAssertTrue(listed.contains(name), "\(name) was not created: \(listed)") }
        cluster.remove()
        let after = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["ip", "netns", "list"]).stdout
        for name in names { XCTAssertFalse(after.contains(name), "\(name) is left behind: \(after)") }
    }
}
