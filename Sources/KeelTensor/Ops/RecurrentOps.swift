#if canImport(Glibc)
import Glibc
#endif

/// Whole-sequence recurrences as single ops with their own backward pass (back-propagation
/// through time over saved gate values), so a long sequence costs the tape one entry instead of
/// a dozen per step, and the backward pass never materialises a full-size gradient per step.
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
    /// then the final c. Not differentiable twice.
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
                for j in 0..<units {
                    let i = Tensor.sigmoidValue(row[j]), f = Tensor.sigmoidValue(row[units &+ j])
                    let g = Glibc.tanhf(row[2 &* units &+ j]), o = Tensor.sigmoidValue(row[3 &* units &+ j])
                    row[j] = i; row[units &+ j] = f; row[2 &* units &+ j] = g; row[3 &* units &+ j] = o
                    let cell = f * cRow[j] + i * g
                    let tanhCell = Glibc.tanhf(cell)
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
