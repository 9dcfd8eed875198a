/// One line of a chart: y values against x values (0, 1, 2, ... when not given).
public struct LineSeries: Sendable {
    public var label: String
    public var x: [Double]
    public var y: [Double]
    /// nil: the next colour of matplotlib's cycle.
    public var color: Color?

    public init(label: String, x: [Double]? = nil, y: [Double], color: Color? = nil) {
        opCheck(x == nil || x!.count == y.count, "LineSeries '\(label)': \(x?.count ?? 0) x values for \(y.count) y values")
        self.label = label
        self.x = x ?? y.indices.map(Double.init)
        self.y = y
        self.color = color
    }
}

/// A line chart rendered to PNG: a title, axes with ticks and numeric labels, axis labels,
/// light grid lines and a legend, in the spirit of matplotlib's defaults. Non-finite values
/// leave a gap in their line.
public struct LineChart: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [LineSeries]
    public var width: Int
    public var height: Int
    public var lineWidth: Double = 2
    public var antialiased = true
    /// The size of each font pixel.
    public var textScale = 2

    public init(title: String = "", xLabel: String = "", yLabel: String = "", series: [LineSeries] = [],
                width: Int = 800, height: Int = 500) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.width = width
        self.height = height
    }

    public func write(to path: String) throws {
        try render().write(to: path)
    }

    public func render() -> Canvas {
        var canvas = Canvas(width: width, height: height)
        let points = series.flatMap { zip($0.x, $0.y).filter { $0.0.isFinite && $0.1.isFinite } }
        let xs = points.map(\.0), ys = points.map(\.1)
        let wholeX = xs.allSatisfy { $0 == $0.rounded() }
        let xTicks = AxisTicks(minimum: xs.min() ?? 0, maximum: xs.max() ?? 1, targetCount: 8, integers: wholeX)
        let yTicks = AxisTicks(minimum: ys.min() ?? 0, maximum: ys.max() ?? 1)

        let s = textScale
        let gap = 4 * s
        let textHeight = Canvas.textHeight(scale: s)
        let tickLength = 3 * s
        let yLabelWidth = yTicks.values.map { Canvas.textWidth(yTicks.label($0), scale: s) }.max() ?? 0
        let plotLeft = gap + (yLabel.isEmpty ? 0 : textHeight + gap) + yLabelWidth + gap + tickLength
        let plotTop = gap + (title.isEmpty ? 0 : textHeight + gap) + gap
        let plotRight = width - max(gap * 3, Canvas.textWidth(xTicks.label(xTicks.values.last ?? 0), scale: s) / 2 + gap)
        let plotBottom = height - (gap + (xLabel.isEmpty ? 0 : textHeight + gap) + textHeight + gap + tickLength)
        guard plotRight - plotLeft > 10, plotBottom - plotTop > 10 else { return canvas }
        let area = PlotArea(left: Double(plotLeft), top: Double(plotTop), right: Double(plotRight),
                            bottom: Double(plotBottom), xTicks: xTicks, yTicks: yTicks)

        // Grid, then the frame, ticks and their labels.
        for value in xTicks.values {
            let x = LineChart.pixelCentre(area.pixelX(value))
            canvas.drawLine(from: Point(x: x, y: area.top), to: Point(x: x, y: area.bottom), color: .lightGray, antialiased: false)
            canvas.drawLine(from: Point(x: x, y: area.bottom), to: Point(x: x, y: area.bottom + Double(tickLength)),
                            color: .darkGray, antialiased: false)
            let label = xTicks.label(value)
            canvas.drawText(label, x: Int(x) - Canvas.textWidth(label, scale: s) / 2, y: plotBottom + tickLength + gap,
                            color: .darkGray, scale: s)
        }
        for value in yTicks.values {
            let y = LineChart.pixelCentre(area.pixelY(value))
            canvas.drawLine(from: Point(x: area.left, y: y), to: Point(x: area.right, y: y), color: .lightGray, antialiased: false)
            canvas.drawLine(from: Point(x: area.left - Double(tickLength), y: y), to: Point(x: area.left, y: y),
                            color: .darkGray, antialiased: false)
            let label = yTicks.label(value)
            canvas.drawText(label, x: plotLeft - tickLength - gap - Canvas.textWidth(label, scale: s),
                            y: Int(y) - textHeight / 2, color: .darkGray, scale: s)
        }
        canvas.strokeRectangle(x: plotLeft, y: plotTop, width: plotRight - plotLeft + 1, height: plotBottom - plotTop + 1,
                               color: .darkGray)

        for (index, line) in series.enumerated() {
            let color = line.color ?? Color.series[index % Color.series.count]
            let finiteCount = zip(line.x, line.y).filter { $0.0.isFinite && $0.1.isFinite }.count
            for run in LineChart.finiteRuns(line) {
                let pixels = run.map { Point(x: area.pixelX($0.0), y: area.pixelY($0.1)) }
                canvas.drawPolyline(pixels, color: color, thickness: lineWidth, antialiased: antialiased)
                // A few points (a short epoch history) read better with their markers.
                if finiteCount <= 30 {
                    for point in pixels {
                        let radius = Int(lineWidth) + 1
                        canvas.fillRectangle(x: Int(point.x) - radius, y: Int(point.y) - radius, width: 2 * radius + 1,
                                             height: 2 * radius + 1, color: color)
                    }
                }
            }
        }

        if !title.isEmpty {
            canvas.drawText(title, x: (plotLeft + plotRight - Canvas.textWidth(title, scale: s)) / 2, y: gap * 2,
                            color: .black, scale: s)
        }
        if !xLabel.isEmpty {
            canvas.drawText(xLabel, x: (plotLeft + plotRight - Canvas.textWidth(xLabel, scale: s)) / 2,
                            y: height - gap - textHeight, color: .black, scale: s)
        }
        if !yLabel.isEmpty {
            canvas.drawVerticalText(yLabel, x: gap, y: (plotTop + plotBottom + Canvas.textWidth(yLabel, scale: s)) / 2,
                                    color: .black, scale: s)
        }
        drawLegend(on: &canvas, plotRight: plotRight, plotTop: plotTop)
        return canvas
    }

    private func drawLegend(on canvas: inout Canvas, plotRight: Int, plotTop: Int) {
        let labelled = series.enumerated().filter { !$0.element.label.isEmpty }
        guard !labelled.isEmpty else { return }
        let s = textScale
        let swatch = 12 * s, padding = 4 * s, rowHeight = Canvas.textHeight(scale: s) + 3 * s
        let textWidth = labelled.map { Canvas.textWidth($0.element.label, scale: s) }.max() ?? 0
        let boxWidth = padding * 3 + swatch + textWidth
        let boxHeight = padding * 2 + rowHeight * labelled.count - 3 * s
        let left = plotRight - padding - boxWidth, top = plotTop + padding
        canvas.fillRectangle(x: left, y: top, width: boxWidth, height: boxHeight, color: .white)
        canvas.strokeRectangle(x: left, y: top, width: boxWidth, height: boxHeight, color: .gray)
        for (row, entry) in labelled.enumerated() {
            let color = entry.element.color ?? Color.series[entry.offset % Color.series.count]
            let y = top + padding + row * rowHeight
            let middle = Double(y) + Double(Canvas.textHeight(scale: s)) / 2
            canvas.drawLine(from: Point(x: Double(left + padding), y: middle), to: Point(x: Double(left + padding + swatch), y: middle),
                            color: color, thickness: lineWidth, antialiased: antialiased)
            canvas.drawText(entry.element.label, x: left + padding * 2 + swatch, y: y, color: .black, scale: s)
        }
    }

    /// Grid lines and ticks run through pixel centres so they come out one crisp pixel wide.
    static func pixelCentre(_ coordinate: Double) -> Double { coordinate.rounded(.down) + 0.5 }

    /// The stretches of consecutive finite points of a series.
    static func finiteRuns(_ line: LineSeries) -> [[(Double, Double)]] {
        var runs: [[(Double, Double)]] = [[]]
        for point in zip(line.x, line.y) {
            if point.0.isFinite && point.1.isFinite {
                runs[runs.count - 1].append(point)
            } else if !runs[runs.count - 1].isEmpty {
                runs.append([])
            }
        }
        return runs.filter { !$0.isEmpty }
    }
}

/// Maps data coordinates to pixels inside the plot frame.
private struct PlotArea {
    let left, top, right, bottom: Double
    let xTicks, yTicks: AxisTicks

    func pixelX(_ value: Double) -> Double {
        left + (value - xTicks.lower) / (xTicks.upper - xTicks.lower) * (right - left)
    }

    func pixelY(_ value: Double) -> Double {
        bottom - (value - yTicks.lower) / (yTicks.upper - yTicks.lower) * (bottom - top)
    }
}
