import Foundation

/// One measured figure of `keel bench`, with the reference it is judged against.
struct BenchFigure {
    let name: String
    let value: Double
    let unit: String
    let higherIsBetter: Bool
    /// What the value is compared with (a peer framework, or a raw library call in the same run).
    let reference: String
    let referenceValue: Double?
    /// The goal from the issue that asked for this figure, shown next to the result.
    let target: String

    /// value / reference when higher is better, reference / value otherwise: above 1 means Keel wins.
    var ratio: Double? {
        guard let referenceValue, referenceValue != 0, value != 0 else { return nil }
        return higherIsBetter ? value / referenceValue : referenceValue / value
    }

    var json: [String: Any] {
        var entry: [String: Any] = ["value": value, "unit": unit, "higher_is_better": higherIsBetter,
                                    "reference": reference, "target": target]
        entry["reference_value"] = referenceValue ?? NSNull()
        entry["ratio"] = ratio ?? NSNull()
        return entry
    }
}

/// Prints the figures as a table and writes them as JSON (`{"<name>": {...}}`).
enum BenchReport {
    static func table(_ figures: [BenchFigure]) -> String {
        var lines = [pad("figure", 22) + pad("value", 14) + pad("unit", 12) + pad("reference", 34) + pad("ratio", 8) + "target"]
        for f in figures {
            let reference = f.referenceValue.map { "\(f.reference) \(format($0))" } ?? f.reference
            let ratio = f.ratio.map { String(format: "%.2f", $0) } ?? "-"
            lines.append(pad(f.name, 22) + pad(format(f.value), 14) + pad(f.unit, 12) + pad(reference, 34) + pad(ratio, 8) + f.target)
        }
        return lines.joined(separator: "\n")
    }

    /// `machine` (CPU, cores, when) goes with the figures under the key "machine".
    static func writeJSON(_ figures: [BenchFigure], machine: [String: Any], to path: String) throws {
        var object: [String: Any] = ["machine": machine]
        for f in figures { object[f.name] = f.json }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try AtomicFile.write([UInt8](data) + [10], to: path)
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    private static func format(_ v: Double) -> String {
        if v >= 1000 { return String(format: "%.0f", v) }
        if v >= 10 { return String(format: "%.1f", v) }
        return String(format: "%.3g", v)
    }
}

/// Wall-clock timing helpers: the median of repeated runs resists the other processes of a shared machine.
enum Stopwatch {
    static func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func median(repetitions: Int, _ body: () -> Void) -> Double {
        let times = (0..<repetitions).map { _ in seconds(body) }.sorted()
        return times[times.count / 2]
    }
}
