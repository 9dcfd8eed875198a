/// The one way plotting turns a Double coordinate into an Int pixel index.
///
/// `Int(Double)` traps on NaN, infinities and anything beyond Int's range, and a chart's
/// coordinates come from user data (a log with 1.7e308 or 5e-324 in it), so every conversion is
/// clamped first. A pixel a million pixels off the canvas is as invisible as one at 1e308, and
/// the bound keeps later `&+` arithmetic on indices far from overflow.
enum PixelIndex {
    static let limit = 1_000_000.0

    /// `value` rounded down (or as `rule` says) and clamped to ±`limit`; NaN becomes -`limit`
    /// so that whatever it was meant to draw falls off the canvas.
    static func from(_ value: Double, rounding rule: FloatingPointRoundingRule = .down) -> Int {
        guard !value.isNaN else { return -Int(limit) }
        return Int(min(max(value.rounded(rule), -limit), limit))
    }
}
