/// Tiles a batch of images into one picture, row by row: the usual way to look at what a GAN
/// generates. Images are NHWC (or NHW) with 1 (gray), 3 (RGB) or 4 (RGBA) channels and values in
/// [0, 1] or [-1, 1] (a tanh generator).
public enum SampleGrid {
    /// How image values map to intensities.
    public enum ValueRange: Sendable {
        /// [-1, 1] when any value is negative, else [0, 1].
        case automatic
        /// Values in [0, 1] (a sigmoid generator); outside values are clamped.
        case unit
        /// Values in [-1, 1] (a tanh generator); outside values are clamped.
        case symmetric
    }

    /// The grid as an 8-bit PNG image; `spacing` pixels of `background` (an intensity in [0, 1])
    /// separate the tiles. Fewer images than cells leave the last cells empty.
    public static func image(images: Tensor, rows: Int, columns: Int, range: ValueRange = .automatic,
                             spacing: Int = 2, background: Float = 1) throws -> PNGImage {
        let shape = images.shape
        guard shape.count == 3 || shape.count == 4, shape.allSatisfy({ $0 > 0 }) else {
            throw KeelError("sample grid images", expected: "a non-empty NHWC (or NHW) tensor", found: "shape \(shape)")
        }
        let (count, height, width) = (shape[0], shape[1], shape[2])
        let channels = shape.count == 4 ? shape[3] : 1
        guard [1, 3, 4].contains(channels) else {
            throw KeelError("sample grid images of shape \(shape)", expected: "1, 3 or 4 channels", found: "\(channels)")
        }
        guard rows > 0, columns > 0, spacing >= 0 else {
            throw KeelError("sample grid layout", expected: "rows and columns > 0 and spacing ≥ 0",
                            found: "\(rows) rows, \(columns) columns, spacing \(spacing)")
        }
        guard count <= rows * columns else {
            throw KeelError("sample grid of \(rows)x\(columns)", expected: "at most \(rows * columns) images",
                            found: "\(count) images")
        }
        let values = images.scalars
        let symmetric: Bool
        switch range {
        case .automatic: symmetric = values.contains { $0 < 0 }
        case .unit: symmetric = false
        case .symmetric: symmetric = true
        }
        let gridWidth = columns * width + (columns + 1) * spacing
        let gridHeight = rows * height + (rows + 1) * spacing
        var pixels = [Float](repeating: background, count: gridWidth * gridHeight * channels)
        if channels == 4 {
            // The gaps stay opaque so the grid looks the same on any viewer background.
            for offset in stride(from: 3, to: pixels.count, by: 4) { pixels[offset] = 1 }
        }
        for index in 0..<count {
            let top = spacing + (index / columns) * (height + spacing)
            let left = spacing + (index % columns) * (width + spacing)
            for row in 0..<height {
                let source = ((index * height + row) * width) * channels
                let target = ((top + row) * gridWidth + left) * channels
                for offset in 0..<(width * channels) {
                    let value = values[source + offset]
                    pixels[target + offset] = symmetric ? (value + 1) / 2 : value
                }
            }
        }
        return try PNGImage(width: gridWidth, height: gridHeight, channels: channels, pixels: pixels)
    }

    /// Writes the grid to `path` as PNG (atomically).
    public static func write(images: Tensor, rows: Int, columns: Int, to path: String, range: ValueRange = .automatic,
                             spacing: Int = 2, background: Float = 1) throws {
        try image(images: images, rows: rows, columns: columns, range: range, spacing: spacing, background: background)
            .write(to: path)
    }
}
