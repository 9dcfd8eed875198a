/// The Python side of the TensorBoard tests: Keras's own callback on the same fit, and
/// TensorBoard's EventAccumulator reading both logs back.
enum TensorBoardScripts {
    /// Prints, as JSON, what EventAccumulator reads from each log folder named on the command line
    /// (`label=path`): per run (train, validation, ...) and tag, the plugin, steps, and the
    /// values (scalars), tensor shape (histograms) or image sizes and count (images).
    static let readLogs = """
    import sys, os, json, glob
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    from tensorboard.backend.event_processing import event_accumulator as ea
    from tensorboard.util import tensor_util

    def read_run(path):
        acc = ea.EventAccumulator(path, size_guidance={k: 0 for k in [ea.SCALARS, ea.HISTOGRAMS, ea.IMAGES, ea.TENSORS, ea.AUDIO, ea.COMPRESSED_HISTOGRAMS]})
        acc.Reload()
        tags = {}
        for tag in acc.Tags()["tensors"]:
            plugin = acc.SummaryMetadata(tag).plugin_data.plugin_name
            events = acc.Tensors(tag)
            entry = {"plugin": plugin, "steps": [e.step for e in events]}
            if plugin == "scalars":
                entry["values"] = [float(tensor_util.make_ndarray(e.tensor_proto)) for e in events]
            elif plugin == "histograms":
                entry["shape"] = list(tensor_util.make_ndarray(events[-1].tensor_proto).shape)
            elif plugin == "images":
                values = tensor_util.make_ndarray(events[-1].tensor_proto)
                entry["image"] = [int(values[0]), int(values[1]), len(values) - 2]
            tags[tag] = entry
        other = {k: v for k, v in acc.Tags().items() if k != "tensors" and v}
        return {"tags": tags, "other": other}

    result = {}
    for argument in sys.argv[1:]:
        label, root = argument.split("=", 1)
        runs = {}
        for folder in sorted(set(os.path.dirname(f) for f in glob.glob(root + "/**/events.out.tfevents.*", recursive=True))):
            runs[os.path.relpath(folder, root)] = read_run(folder)
        result[label] = runs
    print(json.dumps(result))
    """

    /// Keras 3 (TensorFlow backend) fits the test's model with its TensorBoard callback:
    /// `arguments`: data folder (x.npy, y.npy, vx.npy, vy.npy), then `update_freq=log_dir` pairs.
    static let kerasFit = """
    import sys, os
    os.environ["KERAS_BACKEND"] = "tensorflow"
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import numpy as np, keras
    data = sys.argv[1]
    x, y, vx, vy = (np.load(os.path.join(data, n + ".npy")) for n in ["x", "y", "vx", "vy"])
    for argument in sys.argv[2:]:
        freq, log_dir = argument.split("=", 1)
        freq = int(freq) if freq.isdigit() else freq
        model = keras.Sequential([keras.Input((6, 6, 1)), keras.layers.Conv2D(2, 3, name="conv2d"),
                                  keras.layers.Flatten(name="flatten"), keras.layers.Dense(3, name="dense")], name="sequential")
        model.compile(optimizer=keras.optimizers.SGD(0.01),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        board = keras.callbacks.TensorBoard(log_dir=log_dir, histogram_freq=1, write_images=True, update_freq=freq,
                                            write_steps_per_second=True)
        model.fit(x, y, batch_size=8, epochs=2, validation_data=(vx, vy), callbacks=[board], verbose=0, shuffle=False)
    """

    /// For each `name=weights.npy` argument after the log folder: TensorFlow's histogram buckets
    /// (the op `tf.summary.histogram` runs) and the image Keras's callback writes for that weight,
    /// next to what Keel wrote under `name/histogram` and `name/image` at the last step. Prints
    /// the largest bucket difference and whether the image pixels are equal.
    static let weightSummaries = """
    import sys, os, json, glob, tempfile
    os.environ["KERAS_BACKEND"] = "tensorflow"
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import numpy as np, tensorflow as tf, keras
    from tensorboard.plugins.histogram import summary_v2 as histogram_summary
    from tensorboard.backend.event_processing import event_accumulator as ea
    from tensorboard.util import tensor_util

    def accumulator(path):
        acc = ea.EventAccumulator(path, size_guidance={ea.TENSORS: 0})
        acc.Reload()
        return acc

    keel = accumulator(sys.argv[1])
    result = {}
    for argument in sys.argv[2:]:
        name, path = argument.split("=", 1)
        weight = np.load(path)
        expected = histogram_summary._buckets(tf.constant(weight), 30).numpy()
        written = tensor_util.make_ndarray(keel.Tensors(name + "/histogram")[-1].tensor_proto)
        entry = {"histogram_difference": float(np.max(np.abs(expected - written))),
                 "histogram_counts_equal": bool((expected[:, 2] == written[:, 2]).all())}
        folder = tempfile.mkdtemp()
        writer = tf.summary.create_file_writer(folder)
        with writer.as_default():
            keras.callbacks.TensorBoard()._log_weight_as_image(weight, "w", 0)
        writer.close()
        reference = accumulator(folder)
        if "w" in reference.Tags()["tensors"]:
            theirs = tensor_util.make_ndarray(reference.Tensors("w")[-1].tensor_proto)
            ours = tensor_util.make_ndarray(keel.Tensors(name + "/image")[-1].tensor_proto)
            decode = lambda blobs: [tf.io.decode_png(b).numpy().tolist() for b in blobs[2:]]
            entry["image_sizes_equal"] = bool(list(theirs[:2]) == list(ours[:2]))
            entry["image_pixels_equal"] = decode(theirs) == decode(ours)
        result[name] = entry
    print(json.dumps(result))
    """
}

extension TensorBoardScripts {
    /// Prints every HParams record of the log folder (argument 1) as JSON: per run, the session's
    /// hyper-parameters (plain values), group name, start time and, once ended, its status.
    static let readHParams = """
    import sys, os, json, glob
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    from google.protobuf import json_format
    from tensorboard.backend.event_processing import event_accumulator as ea
    from tensorboard.plugins.hparams import plugin_data_pb2, api_pb2
    result = {}
    root = sys.argv[1]
    for folder in sorted(set(os.path.dirname(f) for f in glob.glob(root + "/**/events.out.tfevents.*", recursive=True))):
        acc = ea.EventAccumulator(folder, size_guidance={ea.TENSORS: 0})
        acc.Reload()
        try:
            contents = acc.PluginTagToContent("hparams")
        except KeyError:
            continue
        run = {}
        for tag, content in contents.items():
            data = plugin_data_pb2.HParamsPluginData.FromString(content)
            if data.HasField("session_start_info"):
                info = data.session_start_info
                run["hparams"] = {k: json_format.MessageToDict(v) for k, v in info.hparams.items()}
                run["group_name"] = info.group_name
                run["start_time_secs"] = info.start_time_secs
            if data.HasField("session_end_info"):
                run["status"] = api_pb2.Status.Name(data.session_end_info.status)
            run["version"] = data.version
        result[os.path.relpath(folder, root)] = run
    print(json.dumps(result))
    """

    /// Starts `tensorboard --logdir <argument 1>` on a free port of 127.0.0.1, polls its scalar
    /// tags until the run named by argument 2 is listed (60 s at most), asks the image, histogram
    /// and HParams plugins too, stops it, and prints what it answered with its stderr.
    static let serveLogs = """
    import sys, os, json, socket, subprocess, time, urllib.request
    logdir, expected_run = sys.argv[1], sys.argv[2]
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    server = subprocess.Popen([sys.executable, "-m", "tensorboard.main", "--logdir", logdir, "--port", str(port),
                               "--host", "127.0.0.1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    base = "http://127.0.0.1:%d" % port
    def get(path, body=None):
        request = urllib.request.Request(base + path, data=None if body is None else json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json", "X-TensorBoard-Feature-Flags": "{}"})
        return json.load(urllib.request.urlopen(request, timeout=5))
    result = {"scalars": None}
    deadline = time.time() + 60
    try:
        while time.time() < deadline and server.poll() is None:
            try:
                scalars = get("/data/plugin/scalars/tags")
                if expected_run in scalars:
                    result["scalars"] = scalars
                    break
            except Exception:
                pass
            time.sleep(0.5)
        if result["scalars"] is not None:
            result["images"] = get("/data/plugin/images/tags")
            result["histograms"] = get("/data/plugin/histograms/tags")
            result["hparams"] = get("/data/plugin/hparams/experiment", {"experimentName": ""})
            result["sessions"] = get("/data/plugin/hparams/session_groups",
                                     {"experimentName": "", "allowedStatuses": ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"],
                                      "colParams": [], "startIndex": 0, "sliceSize": 100})
    finally:
        server.terminate()
        try:
            _, stderr = server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            _, stderr = server.communicate()
    result["stderr"] = stderr.decode(errors="replace")
    print(json.dumps(result))
    """
}
