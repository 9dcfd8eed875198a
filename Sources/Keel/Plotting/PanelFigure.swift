/// Several line charts in one PNG, in a grid, under a common title: matplotlib's
/// `plt.subplots`, which is how Keras users look at loss, metrics and learning rate side by side.
public struct PanelFigure: Sendable {
    public var title: String
    public var panels: [LineChart]
    /// The size of each panel; the figure is `columns × rows` of them plus the title bar.
    public var panelWidth: Int
    public var panelHeight: Int

    public init(title: String = "", panels: [LineChart], panelWidth: Int = 640, panelHeight: Int = 420) {
        self.title = title
        self.panels = panels
        self.panelWidth = max(panelWidth, 1)
        self.panelHeight = max(panelHeight, 1)
    }

    /// Panels side by side up to three, then a near-square grid filled row by row.
    public var grid: (rows: Int, columns: Int) {
        let count = max(panels.count, 1)
        var columns = count <= 3 ? count : 1
        while columns * columns < count { columns += 1 }
        return ((count + columns - 1) / columns, columns)
    }

    private var titleHeight: Int { title.isEmpty ? 0 : Canvas.textHeight(scale: 2) + 16 }

    public var width: Int { grid.columns * panelWidth }
    public var height: Int { titleHeight + grid.rows * panelHeight }

    public func render() -> Canvas {
        var canvas = Canvas(width: width, height: height)
        if !title.isEmpty {
            canvas.drawText(title, x: (width - Canvas.textWidth(title, scale: 2)) / 2, y: 10, color: .black, scale: 2)
        }
        let columns = grid.columns
        for (index, panel) in panels.enumerated() {
            var chart = panel
            chart.width = panelWidth
            chart.height = panelHeight
            canvas.draw(chart.render(), x: (index % columns) * panelWidth, y: titleHeight + (index / columns) * panelHeight)
        }
        return canvas
    }

    public func write(to path: String) throws {
        try render().write(to: path)
    }
}
