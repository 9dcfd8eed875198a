/// One line of a chart: y values against x values (0, 1, 2, ... when not given).
public struct LineSeries: Sendable {
    public var label: String
    public var x: [Double]
    public var y: [Double]
    /// nil: the chart's style for the series' position (see `SeriesStyle`).
    public var color: Color?
    public var dash: LineDash?

    public init(label: String, x: [Double]? = nil, y: [Double], color: Color? = nil, dash: LineDash? = nil) {
        opCheck(x == nil || x!.count == y.count, "LineSeries '\(label)': \(x?.count ?? 0) x values for \(y.count) y values")
        self.label = label
        self.x = x ?? y.indices.map(Double.init)
        self.y = y
        self.color = color
        self.dash = dash
    }

    /// How many points have a non-finite coordinate (NaN or ±inf): they are not drawn.
    public var nonFiniteCount: Int {
        zip(x, y).filter { !($0.0.isFinite && $0.1.isFinite) }.count
    }

    /// The stretches of consecutive finite points.
    var finiteRuns: [[(Double, Double)]] {
        var runs: [[(Double, Double)]] = [[]]
        for point in zip(x, y) {
            if point.0.isFinite && point.1.isFinite {
                runs[runs.count - 1].append(point)
            } else if !runs[runs.count - 1].isEmpty {
                runs.append([])
            }
        }
        return runs.filter { !$0.isEmpty }
    }
}

/// Where the parts of a rendered chart landed, for callers composing figures and for tests.
public struct ChartLayout: Equatable, Sendable {
    /// The frame of the plot area.
    public var plot: PixelRect
    /// The legend box; nil without labelled series.
    public var legend: PixelRect?
}

/// A line chart rendered to PNG: a title, axes with ticks and numeric labels, axis labels,
/// light grid lines and a legend, in the spirit of matplotlib's defaults.
///
/// Any Double may be plotted: non-finite values leave a gap in their line and the legend says
/// how many were not drawn; huge, tiny and equal values get a finite axis (`AxisTicks`). The
/// legend goes where it hides no data, outside the plot on the right when no spot inside is free.
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

    public func render() -> Canvas { draw().canvas }

    /// The chart and where its plot area and legend went.
    public func draw() -> (canvas: Canvas, layout: ChartLayout) {
        var canvas = Canvas(width: width, height: height)
        let points = series.flatMap { zip($0.x, $0.y).filter { $0.0.isFinite && $0.1.isFinite } }
        let xs = points.map(\.0), ys = points.map(\.1)
        let wholeX = xs.allSatisfy { $0 == $0.rounded() && abs($0) < 1e15 }
        let xTicks = AxisTicks(minimum: xs.min() ?? 0, maximum: xs.max() ?? 1, targetCount: 8, integers: wholeX)
        let yTicks = AxisTicks(minimum: ys.min() ?? 0, maximum: ys.max() ?? 1)
        let styles = resolvedStyles
        let s = max(1, min(textScale, 8))
        let legend = Legend(entries: legendEntries(styles), scale: s, lineWidth: effectiveLineWidth, antialiased: antialiased)

        let gap = 4 * s
        let textHeight = Canvas.textHeight(scale: s)
        let tickLength = 3 * s
        let yLabelWidth = yTicks.values.map { Canvas.textWidth(yTicks.label($0), scale: s) }.max() ?? 0
        let plotLeft = gap + (yLabel.isEmpty ? 0 : textHeight + gap) + yLabelWidth + gap + tickLength
        let plotTop = gap + (title.isEmpty ? 0 : textHeight + gap) + gap
        let fullRight = width - max(gap * 3, Canvas.textWidth(xTicks.label(xTicks.values.last ?? 0), scale: s) / 2 + gap)
        let plotBottom = height - (gap + (xLabel.isEmpty ? 0 : textHeight + gap) + textHeight + gap + tickLength)
        func frame(right: Int) -> PixelRect {
            PixelRect(x: plotLeft, y: plotTop, width: right - plotLeft + 1, height: plotBottom - plotTop + 1)
        }
        var plot = frame(right: fullRight)
        guard plot.width > 10, plot.height > 10 else { return (canvas, ChartLayout(plot: plot, legend: nil)) }

        // The legend inside the plot where it covers no data; else outside on the right, if the
        // plot keeps a third of the width; else inside where it hides the least.
        var legendBox: PixelRect?
        if let size = legend.size {
            let inside = LegendPlacement.candidates(boxWidth: size.width, boxHeight: size.height, plot: plot, inset: gap)
            let occupancy = dataOccupancy(plot: plot, xTicks: xTicks, yTicks: yTicks, styles: styles)
            let outsideRight = fullRight - size.width - 2 * gap
            let fits = size.width + 2 * gap <= plot.width && size.height + 2 * gap <= plot.height
            if fits, let free = occupancy.freeSpot(among: inside) {
                legendBox = free
            } else if outsideRight - plotLeft > width / 3 {
                plot = frame(right: outsideRight)
                legendBox = PixelRect(x: outsideRight + 2 * gap, y: plotTop, width: size.width, height: size.height)
            } else {
                legendBox = occupancy.leastCoveredSpot(among: inside)
            }
        }
        let area = PlotArea(frame: plot, xTicks: xTicks, yTicks: yTicks)
        let plotRight = plot.x + plot.width - 1

        // Grid, then the frame, ticks and their labels.
        for value in xTicks.values {
            let x = LineChart.pixelCentre(area.pixelX(value))
            canvas.drawLine(from: Point(x: x, y: area.top), to: Point(x: x, y: area.bottom), color: .lightGray, antialiased: false)
            canvas.drawLine(from: Point(x: x, y: area.bottom), to: Point(x: x, y: area.bottom + Double(tickLength)),
                            color: .darkGray, antialiased: false)
            let label = xTicks.label(value)
            canvas.drawText(label, x: PixelIndex.from(x) - Canvas.textWidth(label, scale: s) / 2,
                            y: plotBottom + tickLength + gap, color: .darkGray, scale: s)
        }
        for value in yTicks.values {
            let y = LineChart.pixelCentre(area.pixelY(value))
            canvas.drawLine(from: Point(x: area.left, y: y), to: Point(x: area.right, y: y), color: .lightGray, antialiased: false)
            canvas.drawLine(from: Point(x: area.left - Double(tickLength), y: y), to: Point(x: area.left, y: y),
                            color: .darkGray, antialiased: false)
            let label = yTicks.label(value)
            canvas.drawText(label, x: plotLeft - tickLength - gap - Canvas.textWidth(label, scale: s),
                            y: PixelIndex.from(y) - textHeight / 2, color: .darkGray, scale: s)
        }
        canvas.strokeRectangle(x: plot.x, y: plot.y, width: plot.width, height: plot.height, color: .darkGray)
        drawData(on: &canvas, area: area, styles: styles)

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
        if let legendBox { legend.draw(on: &canvas, in: legendBox) }
        return (canvas, ChartLayout(plot: plot, legend: legendBox))
    }

    /// A line width a caller's arithmetic cannot make unusable.
    private var effectiveLineWidth: Double { lineWidth.isFinite ? min(max(lineWidth, 0.5), 20) : 2 }

    /// Each series' colour and dash: its own when given, else the chart palette's.
    private var resolvedStyles: [SeriesStyle] {
        let palette = SeriesStyle.styles(count: series.count)
        return series.enumerated().map { index, line in
            SeriesStyle(color: line.color ?? palette[index].color, dash: line.dash ?? palette[index].dash)
        }
    }

    /// The legend rows: labelled series, with a note on points that could not be drawn.
    private func legendEntries(_ styles: [SeriesStyle]) -> [Legend.Entry] {
        zip(series, styles).compactMap { line, style in
            guard !line.label.isEmpty else { return nil }
            let skipped = line.nonFiniteCount
            let note = skipped == 0 ? "" : " (\(skipped) nan/inf not drawn)"
            return Legend.Entry(label: line.label + note, style: style)
        }
    }

    /// The lines, and markers on short series (a few epochs read better with their points).
    private func drawData(on canvas: inout Canvas, area: PlotArea, styles: [SeriesStyle]) {
        let width = effectiveLineWidth
        for (line, style) in zip(series, styles) {
            let runs = line.finiteRuns
            let finiteCount = runs.reduce(0) { $0 + $1.count }
            for run in runs {
                let pixels = run.map { Point(x: area.pixelX($0.0), y: area.pixelY($0.1)) }
                for piece in style.dash.pieces(of: pixels, lineWidth: width) {
                    canvas.drawPolyline(piece, color: style.color, thickness: width, antialiased: antialiased)
                }
                if finiteCount <= 30 {
                    let radius = PixelIndex.from(width) + 1
                    for point in pixels {
                        canvas.fillRectangle(x: PixelIndex.from(point.x) - radius, y: PixelIndex.from(point.y) - radius,
                                             width: 2 * radius + 1, height: 2 * radius + 1, color: style.color)
                    }
                }
            }
        }
    }

    /// Which pixels the data takes inside `plot`: the data drawn alone on a blank canvas.
    private func dataOccupancy(plot: PixelRect, xTicks: AxisTicks, yTicks: AxisTicks, styles: [SeriesStyle]) -> LegendPlacement {
        var layer = Canvas(width: width, height: height)
        drawData(on: &layer, area: PlotArea(frame: plot, xTicks: xTicks, yTicks: yTicks), styles: styles)
        var occupied = [Bool](repeating: false, count: width * height)
        for y in 0..<height {
            for x in 0..<width where layer.color(x: x, y: y) != .white { occupied[y * width + x] = true }
        }
        return LegendPlacement(occupied: occupied, width: width, height: height)
    }

    /// Grid lines and ticks run through pixel centres so they come out one crisp pixel wide.
    static func pixelCentre(_ coordinate: Double) -> Double { coordinate.rounded(.down) + 0.5 }
}

/// Maps data coordinates to pixels inside the plot frame. Positions are clamped a little
/// beyond the frame: values are inside the axis range anyway, and the clamp keeps pixel
/// arithmetic on ordinary numbers whatever the data.
private struct PlotArea {
    let left, top, right, bottom: Double
    let xTicks, yTicks: AxisTicks

    init(frame: PixelRect, xTicks: AxisTicks, yTicks: AxisTicks) {
        left = Double(frame.x)
        top = Double(frame.y)
        right = Double(frame.x + frame.width - 1)
        bottom = Double(frame.y + frame.height - 1)
        self.xTicks = xTicks
        self.yTicks = yTicks
    }

    func pixelX(_ value: Double) -> Double {
        clamp(left + xTicks.fraction(value) * (right - left), left, right)
    }

    func pixelY(_ value: Double) -> Double {
        clamp(bottom - yTicks.fraction(value) * (bottom - top), top, bottom)
    }

    private func clamp(_ value: Double, _ low: Double, _ high: Double) -> Double {
        value.isFinite ? min(max(value, low - 10), high + 10) : (low + high) / 2
    }
}
