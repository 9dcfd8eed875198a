import Foundation

/// Tick positions at "nice" round numbers (1, 2 or 5 times a power of ten) and their labels,
/// for a chart axis.
///
/// Any Double may arrive here from a user's log, so the range is always finite with
/// `lower < upper`, and nothing computes `upper - lower` directly: for data spanning
/// -1.7e308...1.7e308 that difference is infinite. `halfSpan` (computed from halves, which
/// cannot overflow) is what maps values to positions.
public struct AxisTicks: Equatable, Sendable {
    /// The range the axis shows.
    public let lower: Double
    public let upper: Double
    /// The tick values inside the range, ascending.
    public let values: [Double]
    public let step: Double
    /// `(upper - lower) / 2`, finite and positive.
    public let halfSpan: Double

    /// Ticks for data spanning `minimum...maximum`. The shown range gets 5% of margin on each
    /// side as matplotlib's default; `integers` keeps ticks on whole numbers (batch and epoch
    /// axes).
    public init(minimum: Double, maximum: Double, targetCount: Int = 6, integers: Bool = false) {
        let largest = Double.greatestFiniteMagnitude
        var low = minimum.isFinite ? minimum : 0
        var high = maximum.isFinite ? maximum : 1
        if high < low { swap(&low, &high) }
        // A range too narrow to divide into ticks (a single value, subnormal values like 5e-324,
        // or two values a rounding error apart) is widened around its centre: ±10% of the value,
        // or ±1 around values that are zero to plotting precision.
        let magnitude = max(abs(low), abs(high))
        if high / 2 - low / 2 <= magnitude * 1e-12 || high / 2 - low / 2 < 1e-280 {
            let centre = low / 2 + high / 2
            let spread = abs(centre) >= 1e-280 ? abs(centre) * 0.1 : 1
            low = max(centre - spread, -largest)
            high = min(centre + spread, largest)
        }
        // 5% of the span from 5% of each end, which cannot overflow; the padded range stays finite.
        let margin = high * 0.05 - low * 0.05
        lower = max(low - margin, -largest)
        upper = min(high + margin, largest)
        halfSpan = upper / 2 - lower / 2

        let intervals = Double(min(max(targetCount - 1, 1), 50))
        var step = AxisTicks.niceNumber(halfSpan / intervals * 2, rounded: true)
        if integers { step = max(1, step.rounded()) }
        self.step = step
        var values: [Double] = []
        let start = (lower / step).rounded(.up) * step
        // Ticks as start + i·step, at most 100: a range too small (or too large) for Double
        // arithmetic to step through must still end.
        // `i * step` alone can overflow (2 × 1e308) where the tick itself does not.
        let first = lower / step
        var i = 0.0
        while i < 100, start.isFinite, step.isFinite, step > 0 {
            let tick = (first.rounded(.up) + i) * step
            guard tick.isFinite, tick <= upper + step * 1e-9 else { break }
            // Multiples computed this way can land a hair off zero; a label must not read "-0".
            if tick >= lower - step * 1e-9 { values.append(abs(tick) < step * 1e-9 ? 0 : tick) }
            i += 1
        }
        self.values = values
    }

    /// Where `value` falls along the axis: 0 at `lower`, 1 at `upper` (outside for values
    /// outside the range).
    public func fraction(_ value: Double) -> Double {
        (value / 2 - lower / 2) / halfSpan
    }

    /// The nice number near `value` (Heckbert's "Nice numbers for graph labels").
    static func niceNumber(_ value: Double, rounded: Bool) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        let exponent = floor(log10(value))
        let fraction = value / pow(10, exponent)
        let nice: Double
        if rounded {
            nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        }
        let result = nice * pow(10, exponent)
        // Near Double's ends pow underflows to 0 or overflows: keep the plain value then.
        return result > 0 && result.isFinite && fraction.isFinite ? result : value
    }

    /// The label of `value`: as many decimals as the step needs, or exponent notation for very
    /// large or small numbers, with enough digits that neighbouring ticks read differently.
    public func label(_ value: Double) -> String {
        let magnitude = abs(step)
        let largestShown = max(abs(lower), abs(upper))
        guard magnitude > 0, magnitude.isFinite else { return String(format: "%g", value) }
        if magnitude >= 1e6 || magnitude < 1e-4 || largestShown >= 1e7 {
            // Digits enough to tell ticks apart: the step (1, 2 or 5 × 10^k) needs the mantissa to
            // reach the 10^k place of the largest label (1.05e-03, 1.10e-03, not 1.1e-03 twice).
            // Clamped before the conversion to Int.
            let digits = log10(largestShown).rounded(.down) - (log10(magnitude) + 1e-9).rounded(.down)
            return String(format: "%.\(digits.isFinite ? Int(min(max(digits, 1), 15)) : 1)e", value)
        }
        // The step lies in [1e-4, 1e6) here: 0 to 4 decimals.
        let decimals = Int(min(max(-floor(log10(magnitude) + 1e-9), 0), 4))
        return String(format: "%.\(decimals)f", value)
    }
}
