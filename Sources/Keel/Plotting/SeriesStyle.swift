import Foundation

/// How the i-th curve of a chart is drawn: its colour and its dash pattern.
///
/// Up to ten curves use matplotlib's "tab10" cycle, as the Keras tutorials' charts do. Beyond
/// ten, cycling would give two curves the same colour, so the palette grows instead: up to 20,
/// tab20's lighter twins follow (drawn dashed, so a light twin never reads as its dark one);
/// beyond 20, hues spread evenly around the colour wheel at alternating lightness, and the
/// dash pattern cycles too. Every curve of a chart thus differs from every other in colour.
public struct SeriesStyle: Equatable, Sendable {
    public var color: Color
    public var dash: LineDash

    /// The styles of `count` curves, pairwise distinct in colour.
    public static func styles(count: Int) -> [SeriesStyle] {
        guard count > 0 else { return [] }
        if count <= tab20.count {
            return (0..<count).map { SeriesStyle(color: tab20[$0], dash: $0 < 10 ? .solid : .dashed) }
        }
        return (0..<count).map { index in
            // Evenly spaced hues; neighbouring curves (close in hue) differ in lightness and dash,
            // so curves next to each other in a legend do not look alike.
            let hue = Double(index) / Double(count)
            let lightness = [0.38, 0.55, 0.70][index % 3]
            return SeriesStyle(color: Color(hue: hue, saturation: 0.75, lightness: lightness),
                               dash: LineDash.allCases[index % LineDash.allCases.count])
        }
    }

    /// tab10 followed by the lighter twin of each (matplotlib's "tab20", reordered).
    static let tab20: [Color] = Color.series + [
        0xAEC7E8, 0xFFBB78, 0x98DF8A, 0xFF9896, 0xC5B0D5, 0xC49C94, 0xF7B6D2, 0xC7C7C7, 0xDBDB8D, 0x9EDAE5,
    ].map { Color(hex: $0) }
}

extension Color {
    /// From hue, saturation and lightness, each in [0, 1] (HSL as CSS defines it).
    init(hue: Double, saturation: Double, lightness: Double) {
        let chroma = (1 - abs(2 * lightness - 1)) * saturation
        let sector = (hue - hue.rounded(.down)) * 6
        let second = chroma * (1 - abs(sector.truncatingRemainder(dividingBy: 2) - 1))
        let rgb: (Double, Double, Double)
        switch sector {
        case ..<1: rgb = (chroma, second, 0)
        case ..<2: rgb = (second, chroma, 0)
        case ..<3: rgb = (0, chroma, second)
        case ..<4: rgb = (0, second, chroma)
        case ..<5: rgb = (second, 0, chroma)
        default: rgb = (chroma, 0, second)
        }
        let offset = lightness - chroma / 2
        func level(_ v: Double) -> UInt8 { UInt8(min(max((v + offset) * 255, 0), 255).rounded()) }
        self.init(red: level(rgb.0), green: level(rgb.1), blue: level(rgb.2))
    }
}
