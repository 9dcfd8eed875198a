import Foundation

/// Tick positions at "nice" round numbers (1, 2 or 5 times a power of ten) and their labels,
/// for a chart axis.
public struct AxisTicks: Equatable, Sendable {
    /// The range the axis shows.
    public let lower: Double
    public let upper: Double
    /// The tick values inside the range, ascending.
    public let values: [Double]
    public let step: Double

    /// Ticks for data spanning `minimum...maximum`. The shown range gets 5% of margin on each
    /// side as matplotlib's default; `integers` keeps ticks on whole numbers (batch and epoch
    /// axes).
    public init(minimum: Double, maximum: Double, targetCount: Int = 6, integers: Bool = false) {
        var low = minimum.isFinite ? minimum : 0
        var high = maximum.isFinite ? maximum : 1
        if high < low { swap(&low, &high) }
        // Values near Double's limits would make the span infinite: keep it representable.
        low = Swift.max(low, -1e300)
        high = Swift.min(high, 1e300)
        if high == low {
            let spread = low == 0 ? 1 : abs(low) * 0.1
            low -= spread
            high += spread
        }
        let margin = (high - low) * 0.05
        lower = low - margin
        upper = high + margin
        var step = AxisTicks.niceNumber((upper - lower) / Double(max(targetCount - 1, 1)), rounded: true)
        if integers { step = max(1, step.rounded()) }
        self.step = step
        var values: [Double] = []
        let start = (lower / step).rounded(.up) * step
        // Ticks as start + i·step, at most 100: a range too small (or too large) for Double
        // arithmetic to step through must still end.
        var i = 0.0
        while i < 100, start.isFinite, step.isFinite, step > 0 {
            let tick = start + i * step
            guard tick <= upper + step * 1e-9 else { break }
            // Multiples computed this way can land a hair off zero; a label must not read "-0".
            values.append(abs(tick) < step * 1e-9 ? 0 : tick)
            i += 1
        }
        self.values = values
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
        return nice * pow(10, exponent)
    }

    /// The label of `value`: as many decimals as the step needs, or exponent notation for very
    /// large or small steps.
    public func label(_ value: Double) -> String {
        let magnitude = abs(step)
        if magnitude >= 1e6 || magnitude < 1e-4 { return String(format: "%.1e", value) }
        let decimals = max(0, -Int(floor(log10(magnitude) + 1e-9)))
        return String(format: "%.\(decimals)f", value)
    }
}
