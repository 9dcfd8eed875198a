import XCTest

/// `keel list --kind K` prints one registry's names, for every kind including the plain
/// component families (initializers, regularizers, constraints); an unknown kind is an error
/// naming it and every kind there is.
final class ListKindTests: XCTestCase {
    func testEachPlainComponentKindListsOnlyItsRegistry() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let expectations = [
            "constraints": ["MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm"],
            "initializers": ["GlorotUniform", "Orthogonal", "Zeros"],
            "regularizers": ["L1", "L2", "L1L2", "OrthogonalRegularizer"],
        ]
        for (kind, names) in expectations {
            let result = try keel.succeed(["list", "--kind", kind])
            let lines = result.stdout.split(separator: "\n").map(String.init)
            let headers = lines.filter { !$0.hasPrefix(" ") }
            XCTAssertEqual(headers.count, 1, "one section for --kind \(kind):\n\(result.stdout)")
            XCTAssertTrue(headers.first?.hasPrefix("\(kind) (") ?? false, result.stdout)
            let listed = Set(lines.filter { $0.hasPrefix("  ") }.map { $0.trimmingCharacters(in: .whitespaces) })
            for name in names { XCTAssertTrue(listed.contains(name), "\(kind) lacks \(name):\n\(result.stdout)") }
            XCTAssertFalse(listed.contains("Dense"), "\(kind) lists a layer:\n\(result.stdout)")
        }
    }

    func testAnUnknownKindNamesTheValidOnes() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let result = try keel.run(["list", "--kind", "constraint_typo"])
        assertFails(result, mentioning: ["constraint_typo", "constraints", "initializers", "regularizers", "layers", "optimizers"])
    }
}
