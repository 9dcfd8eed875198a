/// Tiles a batch of images into one picture, row by row: the usual way to look at what a GAN
/// generates. Images are NHWC (or NHW) with 1 (gray), 3 (RGB) or 4 (RGBA) channels and values in
/// [0, 1] or [-1, 1] (a tanh generator).
///
/// Small images (MNIST's 28×28) would make a thumbnail-sized grid, so by default the tiles are
/// enlarged by a whole factor, nearest-neighbour (every generated pixel stays a crisp square,
/// nothing is invented between them), until the grid is at least `viewableSize` pixels.
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

    /// The size the longer side of the tiles reaches at least with the automatic scale.
    public static let viewableSize = 256
    /// The automatic scale stops here: a 1×1 image need not fill a screen.
    public static let maximumAutomaticScale = 16
    /// Larger pictures are refused rather than allocated (2^26 pixels, 8192×8192).
    public static let maximumPixels = 1 << 26

    /// The whole-number enlargement that brings `columns` tiles of `width` (and `rows` of
    /// `height`) to `viewableSize` on the longer side.
    public static func automaticScale(rows: Int, columns: Int, height: Int, width: Int) -> Int {
        let (across, acrossOverflow) = columns.multipliedReportingOverflow(by: width)
        let (down, downOverflow) = rows.multipliedReportingOverflow(by: height)
        let longer = acrossOverflow || downOverflow ? Int.max : max(across, down, 1)
        guard longer < viewableSize else { return 1 }
        return min((viewableSize + longer - 1) / longer, maximumAutomaticScale)
    }

    /// The grid as an 8-bit PNG image. Each image pixel becomes `scale`×`scale` pixels (nil: the
    /// automatic scale); `spacing` pixels of `background` (an intensity in [0, 1]) separate the
    /// tiles (nil: as many as the scale, at least 2, so tiles stay apart at any size). Fewer
    /// images than cells leave the last cells empty.
    public static func image(images: Tensor, rows: Int, columns: Int, range: ValueRange = .automatic,
                             scale: Int? = nil, spacing: Int? = nil, background: Float = 1) throws -> PNGImage {
        let shape = images.shape
        guard shape.count == 3 || shape.count == 4, shape.allSatisfy({ $0 > 0 }) else {
            throw KeelError("sample grid images", expected: "a non-empty NHWC (or NHW) tensor", found: "shape \(shape)")
        }
        let (count, height, width) = (shape[0], shape[1], shape[2])
        let channels = shape.count == 4 ? shape[3] : 1
        guard [1, 3, 4].contains(channels) else {
            throw KeelError("sample grid images of shape \(shape)", expected: "1, 3 or 4 channels", found: "\(channels)")
        }
        let scale = scale ?? automaticScale(rows: rows, columns: columns, height: height, width: width)
        let spacing = spacing ?? max(2, scale)
        guard rows > 0, columns > 0, scale > 0, spacing >= 0 else {
            throw KeelError("sample grid layout", expected: "rows, columns and scale > 0 and spacing ≥ 0",
                            found: "\(rows) rows, \(columns) columns, scale \(scale), spacing \(spacing)")
        }
        let (cells, cellsOverflow) = rows.multipliedReportingOverflow(by: columns)
        guard cellsOverflow || count <= cells else {
            throw KeelError("sample grid of \(rows)x\(columns)", expected: "at most \(rows) × \(columns) images",
                            found: "\(count) images")
        }
        // The picture's size, computed without overflow and bounded before anything is allocated.
        func side(_ cells: Int, _ pixels: Int) -> Int? {
            let (tile, o1) = pixels.multipliedReportingOverflow(by: scale)
            let (tiles, o2) = cells.multipliedReportingOverflow(by: tile)
            let (gaps, o3) = (cells &+ 1).multipliedReportingOverflow(by: spacing)
            let (total, o4) = tiles.addingReportingOverflow(gaps)
            return o1 || o2 || o3 || o4 || cells == .max ? nil : total
        }
        guard let gridWidth = side(columns, width), let gridHeight = side(rows, height),
              gridWidth.multipliedReportingOverflow(by: gridHeight).overflow == false,
              gridWidth * gridHeight <= maximumPixels else {
            throw KeelError("sample grid of \(rows)x\(columns) images of \(height)x\(width) at scale \(scale)",
                            expected: "at most \(maximumPixels) pixels", found: "a larger picture")
        }
        let values = images.scalars
        let symmetric: Bool
        switch range {
        case .automatic: symmetric = values.contains { $0 < 0 }
        case .unit: symmetric = false
        case .symmetric: symmetric = true
        }
        var pixels = [Float](repeating: background, count: gridWidth * gridHeight * channels)
        if channels == 4 {
            // The gaps stay opaque so the grid looks the same on any viewer background.
            for offset in stride(from: 3, to: pixels.count, by: 4) { pixels[offset] = 1 }
        }
        pixels.withUnsafeMutableBufferPointer { target in
            values.withUnsafeBufferPointer { source in
                for index in 0..<count {
                    let top = spacing &+ (index / columns) &* (height &* scale &+ spacing)
                    let left = spacing &+ (index % columns) &* (width &* scale &+ spacing)
                    for row in 0..<(height &* scale) {
                        let sourceRow = ((index &* height &+ row / scale) &* width) &* channels
                        let targetRow = ((top &+ row) &* gridWidth &+ left) &* channels
                        for column in 0..<(width &* scale) {
                            let from = sourceRow &+ (column / scale) &* channels
                            let to = targetRow &+ column &* channels
                            for channel in 0..<channels {
                                let value = source[from &+ channel]
                                target[to &+ channel] = symmetric ? (value + 1) / 2 : value
                            }
                        }
                    }
                }
            }
        }
        return try PNGImage(width: gridWidth, height: gridHeight, channels: channels, pixels: pixels)
    }

    /// Writes the grid to `path` as PNG (atomically).
    public static func write(images: Tensor, rows: Int, columns: Int, to path: String, range: ValueRange = .automatic,
                             scale: Int? = nil, spacing: Int? = nil, background: Float = 1) throws {
        try image(images: images, rows: rows, columns: columns, range: range, scale: scale, spacing: spacing,
                  background: background).write(to: path)
    }
}
