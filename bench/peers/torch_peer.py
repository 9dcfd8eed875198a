"""PyTorch (eager, CPU build): one workload of `make bench-peers` per process.

usage: python torch_peer.py {w1,w2,w3,w4,w5,sgemm}   (PEERS_QUICK=1: a few steps)

The same models as keras_peer.py with Keras's defaults where they change the numbers (RESULTS.md
caveat 8): Glorot-uniform weights and zero biases, Adam eps 1e-7, BatchNorm momentum 0.01 and eps
1e-3. Layout NCHW; a stride-2 'same' conv pads symmetrically (TF pads 0/1: same shapes and FLOPs).
`fit` and `predict` are the equivalent hand-written loops. Each figure is timed as `keel bench`
times its own, with a sync (`float(loss)`) at the end of each step where Keel's step has one.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib as P

WORKLOADS = ("w1", "w2", "w3", "w4", "w5", "sgemm")
if len(sys.argv) != 2 or sys.argv[1] not in WORKLOADS:
    print(f"usage: torch_peer.py {{{','.join(WORKLOADS)}}}; found: {' '.join(sys.argv[1:]) or 'no arguments'}", file=sys.stderr)
    sys.exit(2)
WORKLOAD = sys.argv[1]

P.pin_threads()
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(P.THREADS)
torch.set_num_interop_threads(P.THREADS)


def emit(figures, **extra):
    P.emit("torch", WORKLOAD, figures, versions=dict(torch=torch.__version__), threads=torch.get_num_threads(), **extra)


def keras_init(module):
    if isinstance(module, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.xavier_uniform_(module.weight)
        if module.bias is not None:
            nn.init.zeros_(module.bias)


def adam(parameters, lr=1e-3):
    return torch.optim.Adam(parameters, lr=lr, betas=(0.9, 0.999), eps=1e-7)


def fit_step(model, optimizer, x, y):
    """One step of a hand-written `fit`: forward, cross-entropy from logits, backward, update.
    Returns the logits and the loss, detached."""
    logits = model(x)
    loss = F.cross_entropy(logits, y)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return logits.detach(), loss.detach()


# ---------------------------------------------------------------------------------------- W1
def w1():
    """The custom loop: MLP 784-64-64-10 on logits, SGD 1e-3, cross-entropy, a running accuracy,
    batch 64. Warm-up on 100 batches and the last (16), then the median of 3 epochs, as Keel."""
    (x_train, y_train), _ = P.fashion_mnist()
    xt, yt = torch.from_numpy(x_train.reshape(-1, 784)), torch.from_numpy(y_train).long()
    order = P.epoch_order()
    warm_count, repetitions = (100, 3) if not P.QUICK else (3, 1)
    if P.QUICK:
        order = order[:20] + order[-1:]
    batches = [(xt[i].contiguous(), yt[i].contiguous()) for i in order]
    torch.manual_seed(1337)
    model = nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    model.apply(keras_init)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
    state = {"correct": torch.zeros((), dtype=torch.long), "seen": 0}

    def step(x, y):
        logits = model(x)
        loss = F.cross_entropy(logits, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        state["correct"] += (logits.detach().argmax(1) == y).sum()
        state["seen"] += y.shape[0]
        return loss

    for b in batches[:warm_count] + batches[-1:]:
        step(*b)
    last = {}

    def epoch():
        state["correct"].zero_()
        state["seen"] = 0
        for b in batches:
            loss = step(*b)
        last["loss"] = float(loss.detach())
        last["accuracy"] = int(state["correct"]) / state["seen"]

    seconds = P.timed_median(repetitions, epoch)
    emit({"w1_custom_loop": 1e3 * seconds / len(batches)}, steps=len(batches), epoch_s=round(seconds, 4),
         final_loss=round(last["loss"], 4), train_accuracy=round(last["accuracy"], 4))


# ---------------------------------------------------------------------------------------- W2/W5
def fashion_mlp():
    """784-512(relu)-Dropout(0.5)-10: logits; the softmax is in cross_entropy / applied in predict."""
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, 10))
    model.apply(keras_init)
    return model


def w2():
    """Keras's fit by hand: a new shuffle each epoch, batch 32, Adam, cross-entropy, a running
    accuracy; validation over 10k at batch 32 after each epoch. The figure: epoch 2's training time
    per step, first batch begin to last batch end (Keel's EpochTrainTimer)."""
    (x_train, y_train), (x_val, y_val) = P.fashion_mnist()
    xt, yt = torch.from_numpy(x_train.reshape(-1, 784)), torch.from_numpy(y_train).long()
    xv, yv = torch.from_numpy(x_val.reshape(-1, 784)), torch.from_numpy(y_val).long()
    if P.QUICK:
        xt, yt, xv, yv = xt[:2048], yt[:2048], xv[:1024], yv[:1024]
    n, nv = xt.shape[0], xv.shape[0]
    torch.manual_seed(1338)
    model = fashion_mlp()
    optimizer = adam(model.parameters())
    timer = P.EpochSteps(epoch=1)
    generator = torch.Generator().manual_seed(1338)
    val_accuracy = float("nan")
    for epoch in range(2):
        timer.epoch_begin(epoch)
        model.train()
        perm = torch.randperm(n, generator=generator)
        correct = torch.zeros((), dtype=torch.long)
        for i in range(0, n, 32):
            timer.batch_begin()
            j = perm[i:i + 32]
            x, y = xt[j], yt[j]
            logits, loss = fit_step(model, optimizer, x, y)
            correct += (logits.argmax(1) == y).sum()
            float(loss)  # Keras's fit reads the logs (loss, accuracy) after each batch
            timer.batch_end()
        model.eval()
        with torch.no_grad():
            right = sum(int((model(xv[i:i + 32]).argmax(1) == yv[i:i + 32]).sum()) for i in range(0, nv, 32))
        val_accuracy = right / nv
    emit({"w2_fit": timer.ms_per_step(), "w2_peak_rss": P.peak_rss_mb()}, steps=timer.steps,
         val_accuracy=round(val_accuracy, 4))


def w5():
    """predict(10k, batch 256) of the untrained W2 model (softmax outputs gathered into one array):
    one warm-up call, then images/s of the median of 5."""
    _, (x_val, _) = P.fashion_mnist()
    xv = torch.from_numpy(x_val.reshape(-1, 784))
    torch.manual_seed(1337)
    model = fashion_mlp().eval()

    def predict():
        with torch.inference_mode():
            return torch.cat([F.softmax(model(xv[i:i + 256]), dim=1) for i in range(0, xv.shape[0], 256)]).numpy()

    assert predict().shape == (10000, 10)
    seconds = P.timed_median(5 if not P.QUICK else 1, predict)
    emit({"w5_predict": xv.shape[0] / seconds}, predict_s=round(seconds, 5))


# ---------------------------------------------------------------------------------------- W3
class GlobalMax(nn.Module):
    def forward(self, x):
        return torch.amax(x, dim=(2, 3))


def w3():
    """The GAN step: D on 64 generated + 64 real (one fixed uniform batch, as Keel), label noise
    0.05, then G through a frozen D; Adam 3e-4 / 4e-4, BCE from logits. 5 warm-up, median of 30."""
    latent_dim, batch = 128, 64
    warm, steps = (5, 30) if not P.QUICK else (1, 2)
    torch.manual_seed(1339)
    D = nn.Sequential(nn.Conv2d(1, 64, 3, stride=2, padding=1), nn.LeakyReLU(0.2),
                      nn.Conv2d(64, 128, 3, stride=2, padding=1), nn.LeakyReLU(0.2),
                      GlobalMax(), nn.Linear(128, 1))
    G = nn.Sequential(nn.Linear(latent_dim, 7 * 7 * 128), nn.LeakyReLU(0.2), nn.Unflatten(1, (128, 7, 7)),
                      nn.ConvTranspose2d(128, 128, 4, stride=2, padding=1), nn.LeakyReLU(0.2),
                      nn.ConvTranspose2d(128, 128, 4, stride=2, padding=1), nn.LeakyReLU(0.2),
                      nn.Conv2d(128, 1, 7, padding=3), nn.Sigmoid())
    D.apply(keras_init)
    G.apply(keras_init)
    d_optimizer, g_optimizer = adam(D.parameters(), 3e-4), adam(G.parameters(), 4e-4)
    loss_fn = nn.BCEWithLogitsLoss()
    real = torch.from_numpy(np.random.default_rng(1339).random((batch, 1, 28, 28), dtype=np.float32))

    def step():
        with torch.no_grad():
            generated = G(torch.randn(batch, latent_dim))
        combined = torch.cat([generated, real], 0)
        labels = torch.cat([torch.ones(batch, 1), torch.zeros(batch, 1)], 0)
        labels += 0.05 * torch.rand(labels.shape)
        d_loss = loss_fn(D(combined), labels)
        d_optimizer.zero_grad(set_to_none=True)
        d_loss.backward()
        d_optimizer.step()
        for p in D.parameters():
            p.requires_grad_(False)
        g_loss = loss_fn(D(G(torch.randn(batch, latent_dim))), torch.zeros(batch, 1))
        g_optimizer.zero_grad(set_to_none=True)
        g_loss.backward()
        g_optimizer.step()
        for p in D.parameters():
            p.requires_grad_(True)
        return float(d_loss.detach()), float(g_loss.detach())

    first, times, (d, g) = P.time_steps(step, warm, steps)
    emit({"w3_dcgan_step": 1e3 * P.median(times)}, warm_up_steps=warm, timed_steps=steps,
         first_step_s=round(first, 3), d_loss=round(d, 4), g_loss=round(g, 4))


# ---------------------------------------------------------------------------------------- W4
def w4():
    """The VGG-like BN CNN, Adam 1e-3, softmax + categorical CE (cross_entropy on class indices is
    the same), batch 64 over the first 40 batches with a new shuffle (as fit); the median gap
    between consecutive batch ends after 5 warm-up batches."""
    (x_train, y_train), _ = P.fashion_mnist()
    batches, warm = (40, 5) if not P.QUICK else (6, 2)
    count = 64 * batches
    xt = torch.from_numpy(x_train[:count].reshape(-1, 1, 28, 28))
    yt = torch.from_numpy(y_train[:count]).long()
    torch.manual_seed(1340)

    def block(cin, cout):
        return [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01)]
    model = nn.Sequential(*block(1, 16), nn.MaxPool2d(2),
                          *block(16, 32), *block(32, 32), nn.MaxPool2d(2),
                          *block(32, 64), *block(64, 64), *block(64, 64), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(576, 256), nn.ReLU(), nn.BatchNorm1d(256, eps=1e-3, momentum=0.01),
                          nn.Dropout(0.5), nn.Linear(256, 10))
    model.apply(keras_init)
    model.train()
    optimizer = adam(model.parameters(), 1e-3)
    gaps = P.BatchGaps(warm_up=warm)
    perm = torch.randperm(count)
    for i in range(0, count, 64):
        j = perm[i:i + 64]
        x, y = xt[j], yt[j]
        logits, loss = fit_step(model, optimizer, x, y)
        float(loss), float((logits.argmax(1) == y).float().mean())  # fit's logs
        gaps.end()
    params = sum(p.numel() for p in model.parameters()) + sum(b.numel() for b in model.buffers() if b.dtype.is_floating_point)
    emit({"w4_vgg_step": gaps.median_ms()}, timed_gaps=len(gaps.gaps), params=params)


# ---------------------------------------------------------------------------------------- sgemm
def sgemm():
    """torch.matmul of two 1024 x 1024 uniform [-1, 1] float32 matrices: 2n^3 / the median of 15
    calls after one warm-up (Keel's sgemm_1024)."""
    n, reps = 1024, (15 if not P.QUICK else 2)
    generator = torch.Generator().manual_seed(1)
    a = torch.rand(n, n, generator=generator) * 2 - 1
    b = torch.rand(n, n, generator=generator) * 2 - 1
    torch.matmul(a, b)
    times = [P.timed_median(1, lambda: torch.matmul(a, b)) for _ in range(reps)]
    flops = 2.0 * n ** 3
    emit({"sgemm_1024": flops / P.median(times) / 1e9}, best_gflops=round(flops / min(times) / 1e9, 1),
         blas="MKL" if torch.backends.mkl.is_available() else "not MKL")


P.main({"w1": w1, "w2": w2, "w3": w3, "w4": w4, "w5": w5, "sgemm": sgemm}[WORKLOAD])
