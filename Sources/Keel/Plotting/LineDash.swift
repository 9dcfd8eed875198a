/// A dash pattern for chart lines: a second way, besides colour, to tell many curves apart
/// (and the only one for readers who do not see the colours).
public enum LineDash: CaseIterable, Sendable {
    case solid
    case dashed
    case dotted
    case dashDotted

    /// On and off lengths in units of the line width; empty for a solid line.
    var pattern: [Double] {
        switch self {
        case .solid: return []
        case .dashed: return [4, 2.5]
        case .dotted: return [1, 1.6]
        case .dashDotted: return [4, 1.6, 1, 1.6]
        }
    }

    /// The "on" pieces of the polyline through `points` (pixel coordinates), the pattern scaled
    /// by `lineWidth` and running on across corners as matplotlib's does.
    func pieces(of points: [Point], lineWidth: Double) -> [[Point]] {
        let lengths = pattern.map { $0 * max(lineWidth, 1) }
        guard !lengths.isEmpty, points.count >= 2 else { return [points] }
        var pieces: [[Point]] = []
        var current: [Point] = [points[0]]
        var phase = 0, remaining = lengths[0]
        for (a, b) in zip(points, points.dropFirst()) {
            let dx = b.x - a.x, dy = b.y - a.y
            let length = (dx * dx + dy * dy).squareRoot()
            guard length.isFinite, length > 0 else { continue }
            var travelled = 0.0
            // The number of pattern pieces per segment is bounded by the canvas size, since the
            // chart clamps its coordinates; the guard on `pieces` is the safety net anyway.
            while length - travelled > remaining, pieces.count < 100_000 {
                travelled += remaining
                let t = travelled / length
                let point = Point(x: a.x + dx * t, y: a.y + dy * t)
                if phase % 2 == 0 {
                    current.append(point)
                    pieces.append(current)
                }
                current = [point]
                phase = (phase + 1) % lengths.count
                remaining = lengths[phase]
            }
            remaining -= length - travelled
            if phase % 2 == 0 { current.append(b) } else { current = [b] }
        }
        if phase % 2 == 0, current.count >= 2 { pieces.append(current) }
        return pieces
    }
}
