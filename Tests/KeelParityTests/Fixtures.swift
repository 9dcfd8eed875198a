import Foundation
import XCTest
import Keel
import KeelTestSupport

/// Reading the Keras fixture files: JSON cases, nested-list tensors, and comparisons with the
/// tolerances the fixtures README suggests. Nothing here knows a case id or an expected value.
enum Fixtures {
    /// The fixture directory: `$KEEL_FIXTURES`, else ../shared/fixtures/keras.
    static var directory: URL { ProjectPaths.sharedFixtures }

    /// Parses `<directory>/<name>`; a missing file fails the test (never skips).
    static func load(_ name: String) throws -> JSONObject {
        let url = directory.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw KeelError("fixture \(url.path)", expected: "a readable file", found: "nothing there")
        }
        guard let object = try JSONValue.parse(String(decoding: data, as: UTF8.self), source: url.path).objectValue else {
            throw KeelError("fixture \(url.path)", expected: "a JSON object", found: "another JSON value")
        }
        return object
    }

    /// The `cases` array of a fixture file.
    static func cases(_ name: String) throws -> [JSONObject] {
        let file = try load(name)
        guard let cases = file["cases"]?.arrayValue?.compactMap(\.objectValue), !cases.isEmpty else {
            throw KeelError("fixture \(name)", expected: "a non-empty 'cases' array", found: "none")
        }
        return cases
    }

    /// A nested list of numbers as a float32 tensor (a bare number is a scalar).
    static func tensor(_ value: JSONValue?) -> Tensor? {
        guard let value, !value.isNull else { return nil }
        var shape: [Int] = []
        var probe = value
        while case .array(let items) = probe {
            shape.append(items.count)
            guard let first = items.first else { break }
            probe = first
        }
        var scalars: [Float] = []
        func collect(_ v: JSONValue) {
            switch v {
            case .array(let items): items.forEach(collect)
            default: scalars.append(Float(v.doubleValue ?? .nan))
            }
        }
        collect(value)
        return Tensor(shape: shape, scalars: scalars)
    }

    /// A nested list of integers as an int32 tensor.
    static func intTensor(_ value: JSONValue?) -> Tensor? {
        guard let t = tensor(value) else { return nil }
        return Tensor(shape: t.shape, int32s: t.scalars.map { Int32($0) })
    }

    /// Asserts `actual` matches `expected` elementwise within `tolerance` (absolute and relative).
    static func assertClose(_ actual: Tensor?, _ expected: Tensor?, tolerance: Float = 1e-5,
                            _ what: @autoclosure () -> String, file: StaticString = #filePath, line: UInt = #line) {
        guard let expected else { return XCTFail("\(what()): the case has no expected value", file: file, line: line) }
        guard let actual else { return XCTFail("\(what()): no value, expected shape \(expected.shape)", file: file, line: line) }
        let a = actual.scalars, e = expected.scalars
        guard a.count == e.count, actual.count == 1 || expected.count == 1 || actual.shape == expected.shape else {
            return XCTFail("\(what()): shape \(actual.shape), expected \(expected.shape)", file: file, line: line)
        }
        for (i, (x, y)) in zip(a, e).enumerated() {
            let bound = tolerance * max(1, abs(y))
            if !(abs(x - y) <= bound) {
                return XCTFail("\(what()): element \(i) is \(x), expected \(y) (tolerance \(bound))", file: file, line: line)
            }
        }
    }
}

extension Fixtures {
    /// Runs `differences(case, className)` on every case of a fixture file: each non-empty answer
    /// is a failure naming the case, and the per-class tally is printed.
    static func checkEveryCase(of file: String, _ differences: (JSONObject, String) -> [String],
                               line: UInt = #line) throws {
        let cases = try Fixtures.cases(file).filter(isSelected)
        var tally = ParityTally()
        for fixture in cases {
            let id = fixture["id"]?.stringValue ?? "(case without an id)"
            let className = fixture["class_name"]?.stringValue ?? "(no class_name)"
            let problems = differences(fixture, className)
            tally.record(className, passed: problems.isEmpty)
            if !problems.isEmpty { XCTFail("\(file) case \(id) [\(className)]: " + problems.joined(separator: "; "), line: line) }
        }
        print(tally.report(title: file))
        XCTAssertEqual(tally.total, cases.count, line: line)
    }
}

extension Fixtures {
    /// `$KEEL_FIXTURE_CASES`, when set, narrows every fixture file to the cases whose id or class
    /// name contains one of its comma-separated words: for working on one class. The test prints
    /// the narrowing so a narrowed run is never taken for a full one.
    static func isSelected(_ fixture: JSONObject) -> Bool {
        guard let words = caseFilter else { return true }
        let id = fixture["id"]?.stringValue ?? "", className = fixture["class_name"]?.stringValue ?? ""
        return words.contains { id.contains($0) || className == $0 }
    }

    private static let caseFilter: [String]? = {
        guard let text = ProcessInfo.processInfo.environment["KEEL_FIXTURE_CASES"], !text.isEmpty else { return nil }
        print("KEEL_FIXTURE_CASES=\(text): only the matching fixture cases run")
        return text.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }
    }()
}

/// Counts of passed and failed cases per class, in the order classes first appear.
struct ParityTally {
    private var order: [String] = []
    private var counts: [String: (passed: Int, failed: Int)] = [:]

    mutating func record(_ className: String, passed: Bool) {
        if counts[className] == nil { order.append(className) }
        var entry = counts[className] ?? (0, 0)
        if passed { entry.passed += 1 } else { entry.failed += 1 }
        counts[className] = entry
    }

    var total: Int { counts.values.reduce(0) { $0 + $1.passed + $1.failed } }

    func report(title: String) -> String {
        let lines = order.map { name -> String in
            let entry = counts[name]!
            return "  \(name): \(entry.passed) of \(entry.passed + entry.failed) cases passed"
        }
        let passed = counts.values.reduce(0) { $0 + $1.passed }
        return (["\(title): \(passed) of \(total) cases passed"] + lines).joined(separator: "\n")
    }
}

