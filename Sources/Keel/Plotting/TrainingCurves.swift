/// The curves of a training log laid out the way Keras users plot a `History`: one panel for
/// the losses (`loss` with `val_loss`, and any other `*_loss` with its twin), one per metric with
/// its `val_` counterpart, and the learning rate alone (its scale has nothing in common with
/// the others). Used by `keel plot` and by the charts a run writes itself, so both look alike.
public enum TrainingCurves {
    /// One log column: its name and its values at their x (epoch, step) values. Columns may
    /// have different x values (validation every few epochs only).
    public struct Column: Sendable {
        public var name: String
        public var x: [Double]
        public var values: [Double]

        public init(name: String, x: [Double], values: [Double]) {
            self.name = name
            let count = min(x.count, values.count)
            self.x = Array(x.prefix(count))
            self.values = Array(values.prefix(count))
        }
    }

    /// More panels than this make an unreadable picture of unbounded size: refused instead.
    public static let maximumPanels = 36

    static let learningRateNames: Set<String> = ["learning_rate", "lr"]

    /// The column names of each panel, in display order: losses, then metrics in the order they
    /// first appear, then the learning rate.
    public static func panels(for names: [String]) -> [[String]] {
        func base(_ name: String) -> String { name.hasPrefix("val_") ? String(name.dropFirst(4)) : name }
        var losses: [String] = []
        var metrics: [String] = []
        var rates: [String] = []
        for name in names {
            let key = base(name)
            if learningRateNames.contains(name) {
                rates.append(name)
            } else if key.hasSuffix("loss") {
                if !losses.contains(key) { losses.append(key) }
            } else if !metrics.contains(key) {
                metrics.append(key)
            }
        }
        // Within a panel: each base name, then its val_ twin, as far as the log has them.
        func present(_ keys: [String]) -> [String] {
            keys.flatMap { [$0, "val_" + $0] }.filter(names.contains)
        }
        var panels: [[String]] = []
        if !losses.isEmpty { panels.append(present(losses)) }
        panels += metrics.map { present([$0]) }
        panels += rates.map { [$0] }
        return panels.filter { !$0.isEmpty }
    }

    /// The figure of `columns`. `epochColumn` says their x values are Keras's 0-based epoch
    /// indices (CSVLogger's first column, a callback's `epoch`): they are shown from 1, as the
    /// progress bar counts; `xName` labels any other x axis.
    public static func figure(title: String, xName: String, epochColumn: Bool, columns: [Column]) throws -> PanelFigure {
        let byName = Dictionary(columns.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let groups = panels(for: columns.map(\.name))
        guard groups.count <= maximumPanels else {
            throw KeelError("the curves of \(title)", expected: "at most \(maximumPanels) panels (losses, each metric with its val_ twin, learning rate)",
                            found: "\(groups.count) panels from \(columns.count) columns")
        }
        let charts = groups.map { names -> LineChart in
            let series = names.compactMap { byName[$0] }.map { column in
                LineSeries(label: column.name, x: epochColumn ? column.x.map { $0 + 1 } : column.x, y: column.values)
            }
            let heading = panelTitle(names)
            return LineChart(title: heading, xLabel: epochColumn ? "epoch" : xName, yLabel: heading, series: series)
        }
        return PanelFigure(title: title, panels: charts)
    }

    /// "loss", "accuracy", "learning rate": a panel is named after its first column's base.
    static func panelTitle(_ names: [String]) -> String {
        guard let first = names.first else { return "" }
        if learningRateNames.contains(first) { return "learning rate" }
        let base = first.hasPrefix("val_") ? String(first.dropFirst(4)) : first
        return base.hasSuffix("loss") ? "loss" : base
    }
}
