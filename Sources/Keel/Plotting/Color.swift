/// An opaque 8-bit RGB colour for the plotting canvas.
public struct Color: Hashable, Sendable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// From `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF))
    }

    public static let white = Color(hex: 0xFFFFFF)
    public static let black = Color(hex: 0x000000)
    public static let darkGray = Color(hex: 0x404040)
    public static let gray = Color(hex: 0x808080)
    public static let lightGray = Color(hex: 0xE0E0E0)

    /// Matplotlib's default colour cycle ("tab10"), so Keel's charts look like the ones the
    /// Keras tutorials show.
    public static let series: [Color] = [
        0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF,
    ].map { Color(hex: $0) }

    /// This colour laid over `background` with opacity `alpha` in [0, 1].
    func blended(over background: Color, alpha: Double) -> Color {
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) * alpha + Double(b) * (1 - alpha)).rounded()) }
        return Color(red: mix(red, background.red), green: mix(green, background.green), blue: mix(blue, background.blue))
    }
}
