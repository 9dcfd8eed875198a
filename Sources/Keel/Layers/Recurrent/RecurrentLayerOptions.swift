extension RecurrentLayer {
    /// The options every recurrent layer shares, set in the expression that makes the layer, as
    /// Keras's `LSTM(16, return_sequences=True)`: `LSTM(units: 16).with(returnSequences: true)`.
    /// (Each class's own initialiser takes the hyper-parameters it declares; these live in the base.)
    @discardableResult
    public func with(returnSequences: Bool? = nil, returnState: Bool? = nil, goBackwards: Bool? = nil,
                     stateful: Bool? = nil, zeroOutputForMask: Bool? = nil) -> Self {
        if let returnSequences { self.returnSequences = returnSequences }
        if let returnState { self.returnState = returnState }
        if let goBackwards { self.goBackwards = goBackwards }
        if let stateful { self.stateful = stateful }
        if let zeroOutputForMask { self.zeroOutputForMask = zeroOutputForMask }
        return self
    }
}
