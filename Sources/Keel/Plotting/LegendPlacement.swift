/// Where a chart's legend goes so that it hides no data, like matplotlib's `loc="best"`:
/// the candidate spots inside the plot (corners first, then edge middles) are scored by how
/// many drawn data pixels the box would cover, and the first spot covering none wins.
struct LegendPlacement {
    /// Which pixels of the canvas carry data (lines and markers), row-major.
    let occupied: [Bool]
    let width: Int
    let height: Int
    /// Counts of occupied pixels above and left of each position (a summed-area table), so a
    /// box's count is four look-ups whatever its size.
    private let counts: [Int]

    init(occupied: [Bool], width: Int, height: Int) {
        self.occupied = occupied
        self.width = width
        self.height = height
        var counts = [Int](repeating: 0, count: (width + 1) * (height + 1))
        for y in 0..<height {
            var rowSum = 0
            for x in 0..<width {
                rowSum &+= occupied[y &* width &+ x] ? 1 : 0
                counts[(y &+ 1) &* (width &+ 1) &+ x &+ 1] = counts[y &* (width &+ 1) &+ x &+ 1] &+ rowSum
            }
        }
        self.counts = counts
    }

    /// The occupied pixels inside `rect` (clipped to the canvas).
    func covered(_ rect: PixelRect) -> Int {
        let x0 = min(max(rect.x, 0), width), x1 = min(max(rect.x + rect.width, 0), width)
        let y0 = min(max(rect.y, 0), height), y1 = min(max(rect.y + rect.height, 0), height)
        guard x0 < x1, y0 < y1 else { return 0 }
        let stride = width + 1
        return counts[y1 * stride + x1] - counts[y0 * stride + x1] - counts[y1 * stride + x0] + counts[y0 * stride + x0]
    }

    /// The spots for a `boxWidth`×`boxHeight` legend inside `plot`, `inset` pixels from its
    /// frame, in matplotlib's order of preference.
    static func candidates(boxWidth: Int, boxHeight: Int, plot: PixelRect, inset: Int) -> [PixelRect] {
        let left = plot.x + inset, right = plot.x + plot.width - inset - boxWidth
        let top = plot.y + inset, bottom = plot.y + plot.height - inset - boxHeight
        let centreX = plot.x + (plot.width - boxWidth) / 2, centreY = plot.y + (plot.height - boxHeight) / 2
        return [(right, top), (left, top), (left, bottom), (right, bottom),
                (right, centreY), (left, centreY), (centreX, bottom), (centreX, top)]
            .map { PixelRect(x: $0.0, y: $0.1, width: boxWidth, height: boxHeight) }
    }

    /// The first candidate covering no data; nil when every one would hide some.
    func freeSpot(among candidates: [PixelRect]) -> PixelRect? {
        candidates.first { covered($0) == 0 }
    }

    /// The candidate hiding the least data (the first of equals).
    func leastCoveredSpot(among candidates: [PixelRect]) -> PixelRect? {
        candidates.min { covered($0) < covered($1) }
    }
}
