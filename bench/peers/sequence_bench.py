"""The sequence workloads of `keel bench --only sequence`, in Keras (jax backend) and PyTorch.

lstm_step: batch 64, 100 steps of 32 features, LSTM(128) -> Dense(10), Adam, sparse CE from logits.
mha_step:  batch 32, sequence 128 of width 128, MultiHeadAttention(4 heads of 32) as self-attention
           -> average over time -> Dense(10), Adam, sparse CE from logits.
Figure: the median time per training step after 5 warm-up steps (Keras: `fit`, one epoch of 24
batches, measured between batch ends as Keel's BatchGapTimer does; PyTorch: the equivalent eager loop).
Prints one JSON line per workload. Usage: python sequence_bench.py {keras,torch} {lstm_step,mha_step}
Keras runs on KERAS_BACKEND (default jax; `make bench-peers` also runs it with tensorflow). Threads as
in RESULTS.md (peerlib.pin_threads: 2 everywhere, TF inter-op 1).
"""
import json, os, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib

peerlib.pin_threads()
os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
import numpy as np

framework, workload = sys.argv[1], sys.argv[2]
shapes = {"lstm_step": (64, 100, 32), "mha_step": (32, 128, 128)}
batch, steps, width = shapes[workload]
batches = 24
rng = np.random.default_rng(0)
x = rng.normal(size=(batches * batch, steps, width)).astype("float32")
y = (np.arange(batches * batch) % 10).astype("int32")


def median_gap(ends):
    # Keel's BatchGapTimer(warmUp: 5): the gaps from the 5th batch end on, their upper median.
    gaps = np.diff(np.array(ends))[4:]
    return float(peerlib.median(gaps) * 1000)


if framework == "keras":
    import keras
    from keras import layers

    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(peerlib.THREADS)
        tf.config.threading.set_inter_op_parallelism_threads(peerlib.TF_INTEROP)

    inputs = keras.Input((steps, width))
    if workload == "lstm_step":
        h = layers.LSTM(128)(inputs)
    else:
        h = layers.GlobalAveragePooling1D()(layers.MultiHeadAttention(4, 32)(inputs, inputs))
    model = keras.Model(inputs, layers.Dense(10)(h))
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))

    class Ends(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.ends = []

        def on_train_batch_end(self, batch, logs=None):
            self.ends.append(time.perf_counter())

    ends = Ends()
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0, shuffle=False, callbacks=[ends])
    value = median_gap(ends.ends)
    label = f"keras-{keras.backend.backend()}"
else:
    import torch

    torch.set_num_threads(2)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            if workload == "lstm_step":
                self.lstm = torch.nn.LSTM(width, 128, batch_first=True)
                self.head = torch.nn.Linear(128, 10)
            else:
                self.attention = torch.nn.MultiheadAttention(128, 4, batch_first=True)
                self.head = torch.nn.Linear(128, 10)

        def forward(self, inputs):
            if workload == "lstm_step":
                _, (h, _) = self.lstm(inputs)
                return self.head(h[-1])
            attended, _ = self.attention(inputs, inputs, inputs, need_weights=False)
            return self.head(attended.mean(dim=1))

    net = Net()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y).long()
    ends = []
    for i in range(batches):
        optimizer.zero_grad()
        loss = loss_fn(net(xt[i * batch:(i + 1) * batch]), yt[i * batch:(i + 1) * batch])
        loss.backward()
        optimizer.step()
        ends.append(time.perf_counter())
    value = median_gap(ends)
    label = "pytorch"
print(json.dumps({"framework": label, "workload": workload, "ms_per_step": value}))
