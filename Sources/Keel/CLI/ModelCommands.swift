import ArgumentParser
import Foundation

/// `keel summary <model>`: Keras's summary text of a saved model.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary", abstract: "Print a saved model's summary, as Keras's model.summary() does.")

    @Argument(help: "A model file: .h5 (legacy Keras) or .keras.")
    var model: String

    @OptionGroup var plugins: PluginOptions

    func run() throws {
        plugins.load()
        print(try Model.load(from: model, for: .inference).summary(), terminator: "")
    }
}

/// `keel predict <model> --input x.npy --output y.npy`.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Run a saved model on NumPy arrays.",
        discussion: "With one output, --output is a .npy file; with several, a directory that receives <output-name>.npy per output.")

    @Argument(help: "A model file: .h5 or .keras.")
    var model: String

    @Option(name: .customLong("input"), help: "x.npy, or name=x.npy for a named input (repeat for several inputs).")
    var inputs: [String] = []

    @Option(help: "Where to write the predictions.")
    var output: String

    @Option(name: .customLong("batch-size"), help: "Batch size.")
    var batchSize: Int = 32

    @OptionGroup var plugins: PluginOptions

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("--input is required (x.npy or name=x.npy)") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, found \(batchSize)") }
    }

    func run() throws {
        plugins.load()
        let loaded = try Model.load(from: model, for: .inference)
        var outputIsDirectory: ObjCBool = false
        if loaded.outputNames.count > 1, FileManager.default.fileExists(atPath: output, isDirectory: &outputIsDirectory),
           !outputIsDirectory.boolValue {
            throw KeelError("--output \(output)", expected: "a directory for the \(loaded.outputNames.count) outputs of model '\(loaded.name)'",
                            found: "an existing file")
        }
        let x = try ModelInputs.read(inputs, for: loaded)
        let outputs = try loaded.predict(x, batchSize: batchSize, verbose: 0)
        if outputs.count == 1 {
            try NPY.write(outputs[0].arrayData, to: output)
            print("wrote \(output) with shape \(outputs[0].shape)")
            return
        }
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        for (name, tensor) in zip(loaded.outputNames, outputs) {
            let path = "\(output)/\(name).npy"
            try NPY.write(tensor.arrayData, to: path)
            print("wrote \(path) with shape \(tensor.shape)")
        }
    }
}

/// `keel evaluate <model> --x x.npy --y y.npy`.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate", abstract: "Loss and metrics of a compiled saved model on NumPy arrays.")

    @OptionGroup var data: ModelData

    @Flag(help: "Print the results as JSON.")
    var json = false

    func run() throws {
        let (loaded, x, y) = try data.load()
        let results = try loaded.evaluate(x, y, batchSize: data.batchSize, verbose: 0)
        if json {
            var object = JSONObject()
            for key in results.keys.sorted() { object[key] = .double(results[key]!) }
            print(JSONValue.object(object).serialized())
        } else {
            for key in results.keys.sorted() { print("\(key): \(String(format: "%.6f", results[key]!))") }
        }
    }
}

/// `keel fit <model> --x x.npy --y y.npy --output out.h5`: continue training a compiled model.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit", abstract: "Continue training a compiled saved model (optimizer state included) and save it.")

    @OptionGroup var data: ModelData

    @Option(help: "Epochs.")
    var epochs: Int = 1

    @Flag(name: .customLong("no-shuffle"), help: "Keep the sample order.")
    var noShuffle = false

    @Option(help: "Where to save the trained model (.h5 or .keras).")
    var output: String

    func validate() throws {
        guard epochs > 0 else { throw ValidationError("--epochs must be positive, found \(epochs)") }
    }

    func run() throws {
        let (loaded, x, y) = try data.load()
        try loaded.fit(x, y, batchSize: data.batchSize, epochs: epochs, verbose: .auto, shuffle: !noShuffle)
        try loaded.save(to: output)
        print("saved \(output)")
    }
}

/// The saved model and the NumPy arrays `evaluate` and `fit` read.
struct ModelData: ParsableArguments {
    @Argument(help: "A compiled model file: .h5 or .keras.")
    var model: String

    @Option(name: .customLong("x"), help: "Inputs: x.npy, or name=x.npy per named input (repeatable).")
    var x: [String] = []

    @Option(name: .customLong("y"), help: "Targets: y.npy, or name=y.npy per named output (repeatable).")
    var y: [String] = []

    @Option(name: .customLong("batch-size"), help: "Batch size.")
    var batchSize: Int = 32

    @OptionGroup var plugins: PluginOptions

    func validate() throws {
        guard !x.isEmpty, !y.isEmpty else { throw ValidationError("--x and --y are required") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, found \(batchSize)") }
    }

    func load() throws -> (model: Model, x: [Tensor], y: [Tensor]) {
        plugins.load()
        let loaded = try Model.load(from: model)
        return (loaded, try ModelInputs.read(x, for: loaded), try ModelInputs.readTargets(y, for: loaded))
    }
}

/// `--plugin DIR` (repeatable), and the plugins every model command loads as `keel run` does:
/// the package's `Experiments/` and `Plugins/`, `$KEEL_PLUGIN_PATH`, then these folders. A plugin
/// that fails to load is a warning; a model that needs one of its classes then fails naming
/// the class and the folders searched.
struct PluginOptions: ParsableArguments {
    @Option(name: .customLong("plugin"),
            help: ArgumentHelp("A plugin folder, or a folder of plugin folders, to load besides the default ones (repeatable).",
                               valueName: "dir"))
    var folders: [String] = []

    func validate() throws {
        for folder in folders where !PluginHost.isDirectory(folder) {
            throw ValidationError("--plugin \(folder): no such directory")
        }
    }

    func load() {
        for failure in PluginHost.shared.loadAll(extraFolders: folders) { printError("keel: warning: \(failure.reason)") }
    }
}

/// Reads `path` or `name=path` arguments into the model's input (or output) order.
enum ModelInputs {
    /// Inputs are cast to each model input's dtype, as Keras does (an int64 or uint8 array feeds a
    /// float32 input).
    static func read(_ arguments: [String], for model: Model) throws -> [Tensor] {
        let inputs = model.inputs
        return try arrange(arguments, names: inputs.map { $0.layer?.name ?? "input" }, what: "input") { array, index, path in
            guard let index, index < inputs.count else { return try Tensor(validating: array, source: path) }
            return try Tensor(casting: array, to: inputs[index].dtype, source: path)
        }
    }

    static func readTargets(_ arguments: [String], for model: Model) throws -> [Tensor] {
        try arrange(arguments, names: model.outputNames, what: "output") { array, _, path in
            try Tensor(validating: array, source: path)
        }
    }

    /// `convert` turns the array read from a path into the tensor for the input (or output) at
    /// an index of `names` (nil when there is none: a count mismatch reported below).
    private static func arrange(_ arguments: [String], names: [String], what: String,
                                convert: (ArrayData, Int?, String) throws -> Tensor) throws -> [Tensor] {
        var named: [String: Tensor] = [:], positional: [Tensor] = []
        for argument in arguments {
            if let eq = argument.firstIndex(of: "="), !argument.hasSuffix("=") {
                let name = String(argument[..<eq])
                guard names.contains(name) else {
                    throw KeelError("\(what) name '\(name)'", expected: "one of \(names.joined(separator: ", "))", found: "no such \(what)")
                }
                let path = String(argument[argument.index(after: eq)...])
                named[name] = try convert(try NPY.read(path), names.firstIndex(of: name), path)
            } else {
                positional.append(try convert(try NPY.read(argument), positional.count, argument))
            }
        }
        if !named.isEmpty {
            return try names.map { name in
                guard let t = named[name] else {
                    throw KeelError("\(what) '\(name)'", expected: "an array given as \(name)=file.npy", found: "none")
                }
                return t
            }
        }
        guard positional.count == names.count else {
            throw KeelError("\(what) arrays", expected: "\(names.count) (\(names.joined(separator: ", ")))", found: "\(positional.count)")
        }
        return positional
    }
}
