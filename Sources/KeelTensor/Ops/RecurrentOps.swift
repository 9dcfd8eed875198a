#if canImport(Glibc)
import Glibc
#endif

/// Whole-sequence recurrences as single ops with their own backward pass (back-propagation
/// through time over saved gate values), so a long sequence costs the tape one entry instead of
/// a dozen per step, and the backward pass never materialises a full-size gradient per step.
/// When a tape records the backward pass (second-order gradients), the rules take the gradient
/// of the same recurrence written with differentiable ops instead (`RecurrentReference`).
extension Tensor {
    /// An LSTM with sigmoid gates and tanh activations (Keras's defaults) over a projected sequence.
    ///
    /// - `self`: the input projection x·kernel + bias, (batch, time, 4·units), gates i, f, c, o.
    /// - `recurrentKernel` (units, 4·units); `h0`, `c0` (batch, units).
    /// - `reversed`: steps run from the last time index to the first (Keras's `go_backwards`);
    ///   outputs are stored in the order processed.
    /// - `mask` (batch, time) of 0/1, by time index: a masked step keeps h and c and outputs the
    ///   previous h, or zeros with `zeroOutputForMask` (Keras's masked RNN step).
    ///
    /// Returns (batch, time + 2, units): the output of every step processed, then the final h,
    /// then the final c.
    public func lstmSequence(recurrentKernel: Tensor, h0: Tensor, c0: Tensor, reversed: Bool,
                             mask: Tensor? = nil, zeroOutputForMask: Bool = false) -> Tensor {
        let p = self
        opCheck(p.rank == 3 && p.dtype == .float32, "lstmSequence: expected a float32 (batch, time, 4·units) projection, found \(p.dtype) \(p.shape)")
        let (batch, time, width) = (p.shape[0], p.shape[1], p.shape[2])
        opCheck(width % 4 == 0, "lstmSequence: the projection's last axis (\(width)) is not 4·units")
        let units = width / 4
        opCheck(recurrentKernel.shape == [units, width] && recurrentKernel.dtype == .float32,
                "lstmSequence: recurrent kernel \(recurrentKernel.shape), expected \([units, width])")
        opCheck(h0.shape == [batch, units] && c0.shape == [batch, units] && h0.dtype == .float32 && c0.dtype == .float32,
                "lstmSequence: initial states \(h0.shape) and \(c0.shape), expected \([batch, units])")
        let state = batch &* units, gateBlock = batch &* width
        // Per step processed and row: whether the step is masked (kept as bytes, read in both passes).
        var masked = [Bool](repeating: false, count: time &* batch)
        if let mask {
            opCheck(mask.shape == [batch, time], "lstmSequence: mask \(mask.shape), expected \([batch, time])")
            let values = mask.cast(to: .float32).scalars
            for k in 0..<time {
                let t = reversed ? time &- 1 &- k : k
                for b in 0..<batch where values[b &* time &+ t] == 0 { masked[k &* batch &+ b] = true }
            }
        }
        let out = Tensor(uninitializedShape: [batch, time &+ 2, units])
        // Saved for the backward pass, per step processed: activated gates (batch, 4·units),
        // cell states and their tanh (batch, units), and the step's incoming h (batch, units).
        let gates = Tensor(uninitializedShape: [time, batch, width])
        let cells = Tensor(uninitializedShape: [time, batch, units])
        let tanhCells = Tensor(uninitializedShape: [time, batch, units])
        let hiddens = Tensor(uninitializedShape: [time &+ 1, batch, units])
        let cellBuffer = Tensor(uninitializedShape: [batch, units])

        let P = p.storage.floats, R = recurrentKernel.storage.floats, O = out.storage.floats
        let G = gates.storage.floats, C = cells.storage.floats, TC = tanhCells.storage.floats
        let H = hiddens.storage.floats, c = cellBuffer.storage.floats
        H.update(from: h0.storage.floats, count: state)
        c.update(from: c0.storage.floats, count: state)
        for k in 0..<time {
            let t = reversed ? time &- 1 &- k : k
            let z = G + k &* gateBlock, hPrevious = H + k &* state, hNext = H + (k &+ 1) &* state
            for b in 0..<batch {
                (z + b &* width).update(from: P + (b &* time &+ t) &* width, count: width)
            }
            if units > 0 && batch > 0 {
                BLAS.sgemm(transposeA: false, transposeB: false, m: batch, n: width, k: units, alpha: 1, a: hPrevious,
                           lda: units, b: R, ldb: width, beta: 1, c: z, ldc: width)
            }
            for b in 0..<batch {
                let row = z + b &* width, cRow = c + b &* units
                let offset = k &* state &+ b &* units
                let saved = C + offset, tanhSaved = TC + offset
                let hRow = hNext + b &* units, outRow = O + (b &* (time &+ 2) &+ k) &* units
                if masked[k &* batch &+ b] {
                    // States carried over; the output repeats h (or is zero).
                    hRow.update(from: hPrevious + b &* units, count: units)
                    saved.update(from: cRow, count: units)
                    if zeroOutputForMask {
                        outRow.update(repeating: 0, count: units)
                    } else {
                        outRow.update(from: hPrevious + b &* units, count: units)
                    }
                    continue
                }
                // Call-free, so it vectorises (see tanhApproximation).
                for j in 0..<units {
                    let i = Tensor.sigmoidApproximation(row[j]), f = Tensor.sigmoidApproximation(row[units &+ j])
                    let g = Tensor.tanhApproximation(row[2 &* units &+ j]), o = Tensor.sigmoidApproximation(row[3 &* units &+ j])
                    row[j] = i; row[units &+ j] = f; row[2 &* units &+ j] = g; row[3 &* units &+ j] = o
                    let cell = f * cRow[j] + i * g
                    let tanhCell = Tensor.tanhApproximation(cell)
                    cRow[j] = cell; saved[j] = cell; tanhSaved[j] = tanhCell
                    let h = o * tanhCell
                    hRow[j] = h; outRow[j] = h
                }
            }
        }
        for b in 0..<batch {
            (O + (b &* (time &+ 2) &+ time) &* units).update(from: H + (time &* state &+ b &* units), count: units)
            (O + (b &* (time &+ 2) &+ time &+ 1) &* units).update(from: c + b &* units, count: units)
        }

        return differentiable(out, [p, recurrentKernel, h0, c0], { gradient in
            if RecurrentReference.backwardIsRecorded {
                let kept = RecurrentReference.keptColumns(masked, batch: batch, time: time)
                return RecurrentReference.gradients([p, recurrentKernel, h0, c0], cotangent: gradient) { xs in
                    RecurrentReference.lstm(xs[0], xs[1], xs[2], xs[3], reversed: reversed, kept: kept,
                                            zeroOutputForMask: zeroOutputForMask)
                }
            }
            let dP = Tensor(repeating: 0, shape: [batch, time, width])
            let dR = Tensor(repeating: 0, shape: [units, width])
            let dh = Tensor(uninitializedShape: [batch, units]), dc = Tensor(uninitializedShape: [batch, units])
            let dz = Tensor(uninitializedShape: [batch, width])
            // The h gradient a masked row passes straight to the step before.
            let carried = Tensor(uninitializedShape: [batch, units])
            // The saved tensors are captured here, not only their buffers, so they outlive the forward call.
            let G = gates.storage.floats, C = cells.storage.floats, TC = tanhCells.storage.floats
            let H = hiddens.storage.floats, R = recurrentKernel.storage.floats
            let GO = gradient.storage.floats, DP = dP.storage.floats, DR = dR.storage.floats
            let DH = dh.storage.floats, DC = dc.storage.floats, DZ = dz.storage.floats, C0 = c0.storage.floats
            let carry = carried.storage.floats
            for b in 0..<batch {
                (DH + b &* units).update(from: GO + (b &* (time &+ 2) &+ time) &* units, count: units)
                (DC + b &* units).update(from: GO + (b &* (time &+ 2) &+ time &+ 1) &* units, count: units)
            }
            for k in stride(from: time &- 1, through: 0, by: -1) {
                let t = reversed ? time &- 1 &- k : k
                for b in 0..<batch {
                    let gateRow = G + (k &* gateBlock &+ b &* width), dzRow = DZ + b &* width
                    let dhRow = DH + b &* units, dcRow = DC + b &* units
                    let outGradient = GO + (b &* (time &+ 2) &+ k) &* units
                    let tanhRow = TC + (k &* state &+ b &* units)
                    let previousCell: UnsafeMutablePointer<Float> = k > 0 ? C + ((k &- 1) &* state &+ b &* units) : C0 + b &* units
                    if masked[k &* batch &+ b] {
                        // dc passes through unchanged; dh too, plus the repeated output's gradient.
                        let carryRow = carry + b &* units
                        for j in 0..<units { carryRow[j] = dhRow[j] + (zeroOutputForMask ? 0 : outGradient[j]) }
                        dzRow.update(repeating: 0, count: width)
                        (DP + (b &* time &+ t) &* width).update(repeating: 0, count: width)
                        continue
                    }
                    for j in 0..<units {
                        let i = gateRow[j], f = gateRow[units &+ j], g = gateRow[2 &* units &+ j], o = gateRow[3 &* units &+ j]
                        let dHidden = dhRow[j] + outGradient[j], tanhCell = tanhRow[j]
                        let dCell = dcRow[j] + dHidden * o * (1 - tanhCell * tanhCell)
                        dzRow[j] = dCell * g * i * (1 - i)
                        dzRow[units &+ j] = dCell * previousCell[j] * f * (1 - f)
                        dzRow[2 &* units &+ j] = dCell * i * (1 - g * g)
                        dzRow[3 &* units &+ j] = dHidden * tanhCell * o * (1 - o)
                        dcRow[j] = dCell * f
                    }
                    (DP + (b &* time &+ t) &* width).update(from: dzRow, count: width)
                }
                if units > 0 && batch > 0 {
                    BLAS.sgemm(transposeA: true, transposeB: false, m: units, n: width, k: batch, alpha: 1,
                               a: H + k &* state, lda: units, b: DZ, ldb: width, beta: 1, c: DR, ldc: width)
                    BLAS.sgemm(transposeA: false, transposeB: true, m: batch, n: units, k: width, alpha: 1, a: DZ,
                               lda: width, b: R, ldb: width, beta: 0, c: DH, ldc: units)
                }
                for b in 0..<batch where masked[k &* batch &+ b] {
                    (DH + b &* units).update(from: carry + b &* units, count: units)
                }
            }
            return [dP, dR, dh, dc]
        })
    }
}

extension Tensor {
    /// A GRU with a sigmoid recurrent activation and tanh (Keras's defaults) over a projected sequence.
    ///
    /// - `self`: the input projection x·kernel + input bias, (batch, time, 3·units), gates z, r, h.
    /// - `recurrentKernel` (units, 3·units); `recurrentBias` (3·units,) with `resetAfter` (nil: none);
    ///   `h0` (batch, units).
    /// - `resetAfter`: the reset gate scales the recurrent projection (Keras's default) rather than
    ///   h₋₁ before it.
    /// - `reversed`, `mask`, `zeroOutputForMask` as in `lstmSequence`.
    ///
    /// Returns (batch, time + 1, units): the output of every step processed, then the final h.
    public func gruSequence(recurrentKernel: Tensor, recurrentBias: Tensor?, h0: Tensor, resetAfter: Bool, reversed: Bool,
                            mask: Tensor? = nil, zeroOutputForMask: Bool = false) -> Tensor {
        let p = self
        opCheck(p.rank == 3 && p.dtype == .float32, "gruSequence: expected a float32 (batch, time, 3·units) projection, found \(p.dtype) \(p.shape)")
        let (batch, time, width) = (p.shape[0], p.shape[1], p.shape[2])
        opCheck(width % 3 == 0, "gruSequence: the projection's last axis (\(width)) is not 3·units")
        let units = width / 3
        opCheck(recurrentKernel.shape == [units, width] && recurrentKernel.dtype == .float32,
                "gruSequence: recurrent kernel \(recurrentKernel.shape), expected \([units, width])")
        opCheck(h0.shape == [batch, units] && h0.dtype == .float32, "gruSequence: initial state \(h0.shape), expected \([batch, units])")
        if let recurrentBias {
            opCheck(resetAfter && recurrentBias.shape == [width] && recurrentBias.dtype == .float32,
                    "gruSequence: a recurrent bias \(recurrentBias.shape) needs reset_after and shape \([width])")
        }
        let state = batch &* units
        var masked = [Bool](repeating: false, count: time &* batch)
        if let mask {
            opCheck(mask.shape == [batch, time], "gruSequence: mask \(mask.shape), expected \([batch, time])")
            let values = mask.cast(to: .float32).scalars
            for k in 0..<time {
                let t = reversed ? time &- 1 &- k : k
                for b in 0..<batch where values[b &* time &+ t] == 0 { masked[k &* batch &+ b] = true }
            }
        }
        // The recurrent projection's width per step: all three gates, or z and r only.
        let innerWidth = resetAfter ? width : 2 &* units
        let out = Tensor(uninitializedShape: [batch, time &+ 1, units])
        // Saved per step processed: z, r, the candidate, and (reset_after) the recurrent candidate
        // projection or (not) r ⊙ h₋₁; the incoming h of every step.
        let zs = Tensor(uninitializedShape: [time, batch, units]), rs = Tensor(uninitializedShape: [time, batch, units])
        let candidates = Tensor(uninitializedShape: [time, batch, units])
        let extras = Tensor(uninitializedShape: [time, batch, units])
        let hiddens = Tensor(uninitializedShape: [time &+ 1, batch, units])
        let inner = Tensor(uninitializedShape: [batch, innerWidth])
        let candidateInner = Tensor(uninitializedShape: [batch, units])

        let P = p.storage.floats, R = recurrentKernel.storage.floats, O = out.storage.floats
        let Z = zs.storage.floats, RS = rs.storage.floats, HH = candidates.storage.floats, X = extras.storage.floats
        let H = hiddens.storage.floats, I = inner.storage.floats, CI = candidateInner.storage.floats
        let RB = recurrentBias?.storage.floats
        H.update(from: h0.storage.floats, count: state)
        for k in 0..<time {
            let t = reversed ? time &- 1 &- k : k
            let hPrevious = H + k &* state, hNext = H + (k &+ 1) &* state
            if units > 0 && batch > 0 {
                BLAS.sgemm(transposeA: false, transposeB: false, m: batch, n: innerWidth, k: units, alpha: 1, a: hPrevious,
                           lda: units, b: R, ldb: width, beta: 0, c: I, ldc: innerWidth)
            }
            for b in 0..<batch {
                let x = P + (b &* time &+ t) &* width, row = I + b &* innerWidth, offset = k &* state &+ b &* units
                let hp = hPrevious + b &* units
                for j in 0..<units {
                    var zIn = x[j] + row[j], rIn = x[units &+ j] + row[units &+ j]
                    if let RB { zIn += RB[j]; rIn += RB[units &+ j] }
                    let z = Tensor.sigmoidApproximation(zIn), r = Tensor.sigmoidApproximation(rIn)
                    Z[offset &+ j] = z
                    RS[offset &+ j] = r
                    if resetAfter {
                        let recurrentCandidate = row[2 &* units &+ j] + (RB.map { $0[2 &* units &+ j] } ?? 0)
                        X[offset &+ j] = recurrentCandidate
                        HH[offset &+ j] = Tensor.tanhApproximation(x[2 &* units &+ j] + r * recurrentCandidate)
                    } else {
                        X[offset &+ j] = r * hp[j]
                    }
                }
            }
            if !resetAfter {
                if units > 0 && batch > 0 {
                    BLAS.sgemm(transposeA: false, transposeB: false, m: batch, n: units, k: units, alpha: 1,
                               a: X + k &* state, lda: units, b: R + 2 &* units, ldb: width, beta: 0, c: CI, ldc: units)
                }
                for b in 0..<batch {
                    let x = P + (b &* time &+ t) &* width, offset = k &* state &+ b &* units
                    for j in 0..<units { HH[offset &+ j] = Tensor.tanhApproximation(x[2 &* units &+ j] + CI[b &* units &+ j]) }
                }
            }
            for b in 0..<batch {
                let offset = k &* state &+ b &* units, hp = hPrevious + b &* units, hn = hNext + b &* units
                let outRow = O + (b &* (time &+ 1) &+ k) &* units
                if masked[k &* batch &+ b] {
                    hn.update(from: hp, count: units)
                    if zeroOutputForMask { outRow.update(repeating: 0, count: units) } else { outRow.update(from: hp, count: units) }
                    continue
                }
                for j in 0..<units {
                    let z = Z[offset &+ j]
                    let h = z * hp[j] + (1 - z) * HH[offset &+ j]
                    hn[j] = h
                    outRow[j] = h
                }
            }
        }
        for b in 0..<batch {
            (O + (b &* (time &+ 1) &+ time) &* units).update(from: H + (time &* state &+ b &* units), count: units)
        }

        let inputs = [p, recurrentKernel, h0] + (recurrentBias.map { [$0] } ?? [])
        return differentiable(out, inputs, { gradient in
            if RecurrentReference.backwardIsRecorded {
                let kept = RecurrentReference.keptColumns(masked, batch: batch, time: time)
                return RecurrentReference.gradients(inputs, cotangent: gradient) { xs in
                    RecurrentReference.gru(xs[0], xs[1], xs.count > 3 ? xs[3] : nil, xs[2], resetAfter: resetAfter,
                                           reversed: reversed, kept: kept, zeroOutputForMask: zeroOutputForMask)
                }
            }
            let Z = zs.storage.floats, RS = rs.storage.floats, HH = candidates.storage.floats, X = extras.storage.floats
            let H = hiddens.storage.floats, R = recurrentKernel.storage.floats
            let dP = Tensor(repeating: 0, shape: [batch, time, width])
            let dR = Tensor(repeating: 0, shape: [units, width])
            let dRB = Tensor(repeating: 0, shape: [width])
            let dh = Tensor(uninitializedShape: [batch, units]), carried = Tensor(uninitializedShape: [batch, units])
            let dInner = Tensor(uninitializedShape: [batch, innerWidth])
            let dCandidate = Tensor(uninitializedShape: [batch, units]), dRh = Tensor(uninitializedShape: [batch, units])
            let GO = gradient.storage.floats, DP = dP.storage.floats, DR = dR.storage.floats, DRB = dRB.storage.floats
            let DH = dh.storage.floats, carry = carried.storage.floats, DI = dInner.storage.floats
            let DA = dCandidate.storage.floats, DRH = dRh.storage.floats
            for b in 0..<batch {
                (DH + b &* units).update(from: GO + (b &* (time &+ 1) &+ time) &* units, count: units)
            }
            for k in stride(from: time &- 1, through: 0, by: -1) {
                let t = reversed ? time &- 1 &- k : k
                let hPrevious = H + k &* state
                // dH into the step; the direct part of dh₋₁ (z ⊙ dH) waits in `carry`.
                for b in 0..<batch {
                    let offset = k &* state &+ b &* units, hp = hPrevious + b &* units
                    let outGradient = GO + (b &* (time &+ 1) &+ k) &* units
                    let dhRow = DH + b &* units, carryRow = carry + b &* units
                    let diRow = DI + b &* innerWidth, daRow = DA + b &* units, dpRow = DP + (b &* time &+ t) &* width
                    if masked[k &* batch &+ b] {
                        for j in 0..<units { carryRow[j] = dhRow[j] + (zeroOutputForMask ? 0 : outGradient[j]) }
                        diRow.update(repeating: 0, count: innerWidth)
                        daRow.update(repeating: 0, count: units)
                        continue
                    }
                    for j in 0..<units {
                        let dH = dhRow[j] + outGradient[j]
                        let z = Z[offset &+ j], r = RS[offset &+ j], hh = HH[offset &+ j]
                        let dzPre = dH * (hp[j] - hh) * z * (1 - z)
                        let da = dH * (1 - z) * (1 - hh * hh)
                        carryRow[j] = dH * z
                        diRow[j] = dzPre
                        daRow[j] = da
                        dpRow[j] = dzPre
                        dpRow[2 &* units &+ j] = da
                        if resetAfter {
                            let drPre = da * X[offset &+ j] * r * (1 - r)
                            diRow[units &+ j] = drPre
                            diRow[2 &* units &+ j] = da * r
                            dpRow[units &+ j] = drPre
                        }
                    }
                }
                if !resetAfter {
                    if units > 0 && batch > 0 {
                        // d(r ⊙ h₋₁) = da · R_hᵀ; dR_h += (r ⊙ h₋₁)ᵀ · da.
                        BLAS.sgemm(transposeA: false, transposeB: true, m: batch, n: units, k: units, alpha: 1, a: DA,
                                   lda: units, b: R + 2 &* units, ldb: width, beta: 0, c: DRH, ldc: units)
                        BLAS.sgemm(transposeA: true, transposeB: false, m: units, n: units, k: batch, alpha: 1,
                                   a: X + k &* state, lda: units, b: DA, ldb: units, beta: 1, c: DR + 2 &* units, ldc: width)
                    }
                    for b in 0..<batch where !masked[k &* batch &+ b] {
                        let offset = k &* state &+ b &* units, hp = hPrevious + b &* units
                        let diRow = DI + b &* innerWidth, dpRow = DP + (b &* time &+ t) &* width, carryRow = carry + b &* units
                        for j in 0..<units {
                            let r = RS[offset &+ j], dRhValue = DRH[b &* units &+ j]
                            let drPre = dRhValue * hp[j] * r * (1 - r)
                            diRow[units &+ j] = drPre
                            dpRow[units &+ j] = drPre
                            carryRow[j] += dRhValue * r
                        }
                    }
                }
                if units > 0 && batch > 0 {
                    BLAS.sgemm(transposeA: true, transposeB: false, m: units, n: innerWidth, k: batch, alpha: 1,
                               a: hPrevious, lda: units, b: DI, ldb: innerWidth, beta: 1, c: DR, ldc: width)
                    BLAS.sgemm(transposeA: false, transposeB: true, m: batch, n: units, k: innerWidth, alpha: 1, a: DI,
                               lda: innerWidth, b: R, ldb: width, beta: 0, c: DH, ldc: units)
                }
                if recurrentBias != nil {
                    for b in 0..<batch {
                        let diRow = DI + b &* innerWidth
                        for j in 0..<innerWidth { DRB[j] += diRow[j] }
                    }
                }
                for i in 0..<state { DH[i] += carry[i] }
            }
            return [dP, dR, dh] + (recurrentBias != nil ? [dRB] : [])
        })
    }
}

/// The recurrences again, written with differentiable ops. The fused ops' backward rules use
/// them when a tape records the backward pass itself (second-order gradients): their gradient,
/// taken on an inner tape, is recorded on the outer one.
enum RecurrentReference {
    /// Whether a tape of this thread records the backward pass being computed (the tape being
    /// differentiated leaves the thread's stack while it computes).
    static var backwardIsRecorded: Bool { GradientTape.isRecording && !GradientTape.currentStack.tapes.isEmpty }

    /// Per step processed, the (batch, 1) column of rows kept (1) or masked (0); nil where no row
    /// is masked.
    static func keptColumns(_ masked: [Bool], batch: Int, time: Int) -> [Tensor?] {
        (0..<time).map { k in
            let kept = (0..<batch).map { masked[k &* batch &+ $0] ? Float(0) : 1 }
            return kept.contains(0) ? Tensor(shape: [batch, 1], scalars: kept) : nil
        }
    }

    /// d Σ(f(inputs) ⊙ cotangent) / d inputs on an inner tape.
    static func gradients(_ inputs: [Tensor], cotangent: Tensor, _ f: ([Tensor]) -> Tensor) -> [Tensor?] {
        let tape = GradientTape()
        let target = tape.record { () -> Tensor in
            for x in inputs { tape.watch(x) }
            return (f(inputs) * cotangent).sum()
        }
        return tape.gradient(of: target, wrt: inputs)
    }

    static func step(_ p: Tensor, _ t: Int) -> Tensor {
        let (batch, width) = (p.shape[0], p.shape[2])
        return p.slice(begin: [0, t, 0], size: [batch, 1, width]).reshaped([batch, width])
    }

    static func lstm(_ p: Tensor, _ r: Tensor, _ h0: Tensor, _ c0: Tensor, reversed: Bool, kept: [Tensor?],
                     zeroOutputForMask: Bool) -> Tensor {
        let (batch, time, units) = (p.shape[0], p.shape[1], p.shape[2] / 4)
        var h = h0, c = c0, outputs: [Tensor] = []
        for k in 0..<time {
            let gates = (step(p, reversed ? time - 1 - k : k) + h.matmul(r)).split(count: 4, axis: 1)
            var newC = gates[1].sigmoid() * c + gates[0].sigmoid() * gates[2].tanh()
            var newH = gates[3].sigmoid() * newC.tanh()
            var output = newH
            if let keep = kept[k] {
                let drop = 1 - keep
                output = zeroOutputForMask ? newH * keep : newH * keep + h * drop
                newH = newH * keep + h * drop
                newC = newC * keep + c * drop
            }
            outputs.append(output.reshaped([batch, 1, units]))
            h = newH
            c = newC
        }
        return Tensor.concatenate(outputs + [h.reshaped([batch, 1, units]), c.reshaped([batch, 1, units])], axis: 1)
    }

    static func gru(_ p: Tensor, _ r: Tensor, _ bias: Tensor?, _ h0: Tensor, resetAfter: Bool, reversed: Bool,
                    kept: [Tensor?], zeroOutputForMask: Bool) -> Tensor {
        let (batch, time, units) = (p.shape[0], p.shape[1], p.shape[2] / 3)
        let kernels = r.split(sizes: [2 * units, units], axis: 1)
        var h = h0, outputs: [Tensor] = []
        for k in 0..<time {
            let x = step(p, reversed ? time - 1 - k : k).split(count: 3, axis: 1)
            var inner = h.matmul(resetAfter ? r : kernels[0])
            if let bias { inner = inner + bias }
            let recurrent = inner.split(count: resetAfter ? 3 : 2, axis: 1)
            let z = (x[0] + recurrent[0]).sigmoid(), reset = (x[1] + recurrent[1]).sigmoid()
            let candidate = (x[2] + (resetAfter ? reset * recurrent[2] : (reset * h).matmul(kernels[1]))).tanh()
            var newH = z * h + (1 - z) * candidate
            var output = newH
            if let keep = kept[k] {
                let drop = 1 - keep
                output = zeroOutputForMask ? newH * keep : newH * keep + h * drop
                newH = newH * keep + h * drop
            }
            outputs.append(output.reshaped([batch, 1, units]))
            h = newH
        }
        return Tensor.concatenate(outputs + [h.reshaped([batch, 1, units])], axis: 1)
    }
}
