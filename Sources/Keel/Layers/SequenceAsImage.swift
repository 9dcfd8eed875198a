/// The 1-D layers run on the 2-D kernels: a (batch, steps, channels) sequence is a
/// (batch, 1, steps, channels) image one row high, and a (k, ...) kernel a (1, k, ...) one. A
/// window one row high over one row gives exactly the 1-D result; both views are reshapes, so
/// no values are copied.
extension Tensor {
    /// A channels-last (batch, steps, channels) sequence as a (batch, 1, steps, channels) image.
    var asImageRow: Tensor { expandingDims(at: 1) }

    /// A 1-D kernel (k, ...) as a 2-D one (1, k, ...).
    var asKernelRow: Tensor { expandingDims(at: 0) }

    /// An image one row high back as a sequence.
    var asSequence: Tensor { squeezed(axes: [1]) }
}

extension DataFormat {
    /// "(batch, steps, channels)" or "(batch, channels, steps)", for messages.
    var sequenceLayout: String { layout(spatialNames: SpatialAxisNames.sequential) }
}

/// What Conv1D's `padding` takes: Keras allows "causal" for Conv1D only, which pads the start of
/// the sequence so that output step t sees only input steps up to t.
public enum SequencePadding: String, CaseIterable, ConfigRepresentable, Sendable {
    case valid, same, causal

    /// The padding whose output length this one gives ("causal" gives as many steps as "same").
    var lengthPadding: Padding { self == .valid ? .valid : .same }

    /// The padding the convolution runs with once causal padding has been added to the input.
    var convolutionPadding: Padding { self == .same ? .same : .valid }
}
