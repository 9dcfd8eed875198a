/// Where Debian's `dataset-fashion-mnist` package puts the IDX files.
public enum FashionMNISTFiles {
    public static let defaultDirectory = "/usr/share/datasets/fashion-mnist"
    public static let trainImages = "train-images-idx3-ubyte.gz"
    public static let trainLabels = "train-labels-idx1-ubyte.gz"
    public static let testImages = "t10k-images-idx3-ubyte.gz"
    public static let testLabels = "t10k-labels-idx1-ubyte.gz"
    public static let required = [trainImages, trainLabels, testImages, testLabels]
}
