/// Inverted dropout as Keras does it: kept values are scaled by 1/(1 − rate), so inference
/// needs no change.
extension Tensor {
    public func dropout(rate: Float, generator: RandomGenerator) -> Tensor {
        opCheck(rate >= 0 && rate <= 1, "dropout: rate must be in [0, 1], found \(rate)")
        if rate == 0 { return self }
        if rate == 1 { return self * 0 }
        return self * generator.bernoulli(shape, probability: 1 - rate, value: 1 / (1 - rate))
    }
}
