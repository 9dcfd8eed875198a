// Plugins and experiments `import Keel` only; the layers below come with it.
@_exported import KeelTensor
@_exported import KeelIO

public enum KeelVersion {
    public static let string = "0.1.0"
}
