"""Keras 3 (TensorFlow or JAX backend): one workload of `make bench-peers` per process.

usage: python keras_peer.py {tensorflow,jax} {w1,w2,w3,w4,w5,sgemm}   (PEERS_QUICK=1: a few steps)

Prints one line `PEER_RESULT {json}` whose "figures" carry Keel's figure names (w1_custom_loop,
w2_fit, w2_peak_rss, w3_dcgan_step, w4_vgg_step, w5_predict, sgemm_1024). The models, sizes and
optimizers are those of RESULTS.md; each figure is timed as `keel bench` times its own.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib as P

BACKENDS = ("tensorflow", "jax")
WORKLOADS = ("w1", "w2", "w3", "w4", "w5", "sgemm")
if len(sys.argv) != 3 or sys.argv[1] not in BACKENDS or sys.argv[2] not in WORKLOADS:
    print(f"usage: keras_peer.py {{{','.join(BACKENDS)}}} {{{','.join(WORKLOADS)}}}; found: {' '.join(sys.argv[1:]) or 'no arguments'}",
          file=sys.stderr)
    sys.exit(2)
BACKEND, WORKLOAD = sys.argv[1], sys.argv[2]
FRAMEWORK = f"keras-{BACKEND}"

P.pin_threads()
os.environ["KERAS_BACKEND"] = BACKEND
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

if BACKEND == "tensorflow":
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(P.THREADS)
    tf.config.threading.set_inter_op_parallelism_threads(P.TF_INTEROP)
    VERSIONS = dict(keras=keras.__version__, tensorflow=tf.__version__)
else:
    import jax
    import jax.numpy as jnp
    VERSIONS = dict(keras=keras.__version__, jax=jax.__version__)


def emit(figures, **extra):
    P.emit(FRAMEWORK, WORKLOAD, figures, versions=VERSIONS, **extra)


# ---------------------------------------------------------------------------------------- W1
def w1():
    """The guide's custom loop: MLP 784-64-64-10 on logits, SGD 1e-3, sparse CE from logits, an
    accuracy metric updated each step, batch 64 (782 steps an epoch). As Keel: warm up on the first
    100 batches and the last (16 images; both shapes compile), then the median of 3 epochs.
    TF: `@tf.function` step; JAX: the guide's stateless `jax.jit` step."""
    (x_train, y_train), _ = P.fashion_mnist()
    xt = x_train.reshape(-1, 784)
    order = P.epoch_order()
    warm_count, repetitions = (100, 3) if not P.QUICK else (3, 1)
    if P.QUICK:
        order = order[:20] + order[-1:]
    keras.utils.set_random_seed(1337)
    inputs = keras.Input(shape=(784,), name="digits")
    h = layers.Dense(64, activation="relu")(inputs)
    h = layers.Dense(64, activation="relu")(h)
    model = keras.Model(inputs, layers.Dense(10, name="predictions")(h))
    optimizer = keras.optimizers.SGD(learning_rate=1e-3)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    accuracy = keras.metrics.SparseCategoricalAccuracy()

    if BACKEND == "tensorflow":
        batches = [(tf.constant(xt[i]), tf.constant(y_train[i])) for i in order]

        @tf.function
        def train_step(x, y):
            with tf.GradientTape() as tape:
                logits = model(x, training=True)
                loss = loss_fn(y, logits)
            optimizer.apply(tape.gradient(loss, model.trainable_weights), model.trainable_weights)
            accuracy.update_state(y, logits)
            return loss

        for b in batches[:warm_count] + batches[-1:]:
            train_step(*b)
        accuracy.reset_state()
        last = {}

        def epoch():
            for b in batches:
                loss = train_step(*b)
            last["loss"] = float(loss.numpy())
            last["accuracy"] = float(accuracy.result())
            accuracy.reset_state()
    else:
        batches = [(jax.device_put(xt[i]), jax.device_put(y_train[i])) for i in order]

        def loss_and_updates(trainable, non_trainable, metric_vars, x, y):
            logits, non_trainable = model.stateless_call(trainable, non_trainable, x, training=True)
            loss = loss_fn(y, logits)
            metric_vars = accuracy.stateless_update_state(metric_vars, y, logits)
            return loss, (non_trainable, metric_vars)

        grad_fn = jax.value_and_grad(loss_and_updates, has_aux=True)

        @jax.jit
        def train_step(state, x, y):
            trainable, non_trainable, optimizer_vars, metric_vars = state
            (loss, (non_trainable, metric_vars)), grads = grad_fn(trainable, non_trainable, metric_vars, x, y)
            trainable, optimizer_vars = optimizer.stateless_apply(optimizer_vars, grads, trainable)
            return loss, (trainable, non_trainable, optimizer_vars, metric_vars)

        optimizer.build(model.trainable_variables)
        fresh_metric = [v.value for v in accuracy.variables]
        state = ([v.value for v in model.trainable_variables], [v.value for v in model.non_trainable_variables],
                 [v.value for v in optimizer.variables], fresh_metric)
        for b in batches[:warm_count] + batches[-1:]:
            _, state = train_step(state, *b)
        jax.block_until_ready(state)
        holder = {"state": state[:3] + (fresh_metric,)}
        last = {}

        def epoch():
            s = holder["state"]
            for b in batches:
                loss, s = train_step(s, *b)
            jax.block_until_ready(s)
            last["loss"], last["metric"] = loss, s[3]
            holder["state"] = s[:3] + (fresh_metric,)  # the metric starts again each epoch

    seconds = P.timed_median(repetitions, epoch)
    if BACKEND == "jax":  # read outside the timing: the metric's result compiles small jax functions once
        for var, value in zip(accuracy.variables, last["metric"]):
            var.assign(value)
        last["loss"], last["accuracy"] = float(last["loss"]), float(accuracy.result())
    emit({"w1_custom_loop": 1e3 * seconds / len(batches)}, steps=len(batches), epoch_s=round(seconds, 4),
         final_loss=round(last["loss"], 4), train_accuracy=round(last["accuracy"], 4))


# ---------------------------------------------------------------------------------------- W2/W5
def fashion_mlp():
    """DLwP listing 7.17: 784-512(relu)-Dropout(0.5)-10(softmax)."""
    inputs = keras.Input(shape=(784,))
    h = layers.Dense(512, activation="relu")(inputs)
    h = layers.Dropout(0.5)(h)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(h))


class EpochSteps(keras.callbacks.Callback):
    """Keel's EpochTrainTimer for Keras: from the first train batch's begin to the end of the
    epoch's training. That end is taken at on_test_begin (validation starts once fit has synced the
    training state), not at on_train_batch_end: a batch-end hook would make Keras-JAX's fit wait
    for every step (no async dispatch), which a user's fit without such a hook does not."""

    def __init__(self, epoch):
        super().__init__()
        self.timer = P.EpochSteps(epoch=epoch)
        self.began = 0

    def on_epoch_begin(self, epoch, logs=None):
        self.timer.epoch_begin(epoch)
        self.began = 0

    def on_train_batch_begin(self, batch, logs=None):
        self.timer.batch_begin()
        self.began += 1

    def on_test_begin(self, logs=None):
        if self.timer.current == self.timer.epoch and self.timer.stop is None:
            self.timer.stop, self.timer.steps = P.now(), self.began


def w2():
    """fit(batch 32, epochs 2, validation 10k) with Adam and sparse CE; the figure is epoch 2's
    training time per step (first batch begin to the end of training, validation excluded), Keel's
    EpochTrainTimer. Peak RSS: the process's ru_maxrss at the end (the float32 data set included:
    Keras is fed numpy float32 arrays, as RESULTS.md; Keel keeps uint8 and converts per batch)."""
    (x_train, y_train), (x_val, y_val) = P.fashion_mnist()
    xt, xv = x_train.reshape(-1, 784), x_val.reshape(-1, 784)
    if P.QUICK:
        xt, y_train, xv, y_val = xt[:2048], y_train[:2048], xv[:1024], y_val[:1024]
    keras.utils.set_random_seed(1338)
    model = fashion_mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    callback = EpochSteps(epoch=1)
    history = model.fit(xt, y_train, batch_size=32, epochs=2, validation_data=(xv, y_val), verbose=0,
                        callbacks=[callback])
    timer = callback.timer
    emit({"w2_fit": timer.ms_per_step(), "w2_peak_rss": P.peak_rss_mb()}, steps=timer.steps,
         val_accuracy=round(float(history.history["val_accuracy"][-1]), 4))


def w5():
    """predict(10k validation images, batch 256) with the untrained W2 model: one warm-up call,
    then images/s of the median of 5 calls, as Keel."""
    _, (x_val, _) = P.fashion_mnist()
    xv = x_val.reshape(-1, 784)
    keras.utils.set_random_seed(1337)
    model = fashion_mlp()
    out = model.predict(xv, batch_size=256, verbose=0)
    assert out.shape == (10000, 10)
    seconds = P.timed_median(5 if not P.QUICK else 1, lambda: model.predict(xv, batch_size=256, verbose=0))
    emit({"w5_predict": xv.shape[0] / seconds}, predict_s=round(seconds, 5))


# ---------------------------------------------------------------------------------------- W3
def w3():
    """The guide's GAN train step at full size: D learns on 64 generated + 64 real images (label
    noise 0.05), then G through D; Adam 3e-4 (D) and 4e-4 (G), BCE from logits, latent 128. As
    Keel: one fixed batch of 64 uniform [0, 1) images (RESULTS.md fed real images; the content does
    not change the work), 5 warm-up steps, the median of 30. Keras-JAX: 2 warm-up + 10 timed steps,
    as RESULTS.md, because XLA:CPU takes seconds for a Conv2DTranspose kernel gradient."""
    latent_dim, batch = 128, 64
    warm, steps = (5, 30) if BACKEND == "tensorflow" else (2, 10)
    if P.QUICK:
        warm, steps = 1, 2
    keras.utils.set_random_seed(1339)
    discriminator = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(64, (3, 3), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(128, (3, 3), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.GlobalMaxPooling2D(),
        layers.Dense(1),
    ], name="discriminator")
    generator = keras.Sequential([
        keras.Input(shape=(latent_dim,)),
        layers.Dense(7 * 7 * 128),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Reshape((7, 7, 128)),
        layers.Conv2DTranspose(128, (4, 4), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2DTranspose(128, (4, 4), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(1, (7, 7), padding="same", activation="sigmoid"),
    ], name="generator")
    d_optimizer = keras.optimizers.Adam(learning_rate=3e-4)
    g_optimizer = keras.optimizers.Adam(learning_rate=4e-4)
    loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
    images = np.random.default_rng(1339).random((batch, 28, 28, 1), dtype=np.float32)

    if BACKEND == "tensorflow":
        real = tf.constant(images)

        @tf.function
        def train_step(real_images):
            z = tf.random.normal((batch, latent_dim))
            generated = generator(z, training=False)
            combined = tf.concat([generated, real_images], axis=0)
            labels = tf.concat([tf.ones((batch, 1)), tf.zeros((batch, 1))], axis=0)
            labels += 0.05 * tf.random.uniform(labels.shape)
            with tf.GradientTape() as tape:
                d_loss = loss_fn(labels, discriminator(combined, training=True))
            d_optimizer.apply(tape.gradient(d_loss, discriminator.trainable_weights), discriminator.trainable_weights)
            z = tf.random.normal((batch, latent_dim))
            with tf.GradientTape() as tape:
                g_loss = loss_fn(tf.zeros((batch, 1)), discriminator(generator(z, training=True), training=False))
            g_optimizer.apply(tape.gradient(g_loss, generator.trainable_weights), generator.trainable_weights)
            return d_loss, g_loss

        def step():
            d, g = train_step(real)
            return float(d.numpy()), float(g.numpy())
    else:
        real = jax.device_put(images)

        def d_loss_fn(d_tv, d_ntv, combined, labels):
            predictions, d_ntv = discriminator.stateless_call(d_tv, d_ntv, combined, training=True)
            return loss_fn(labels, predictions), d_ntv

        def g_loss_fn(g_tv, g_ntv, d_tv, d_ntv, z, labels):
            generated, g_ntv = generator.stateless_call(g_tv, g_ntv, z, training=True)
            predictions, _ = discriminator.stateless_call(d_tv, d_ntv, generated, training=False)
            return loss_fn(labels, predictions), g_ntv

        d_grad = jax.value_and_grad(d_loss_fn, has_aux=True)
        g_grad = jax.value_and_grad(g_loss_fn, has_aux=True)

        @jax.jit
        def train_step(state, real_images, key):
            g_tv, g_ntv, d_tv, d_ntv, g_ov, d_ov = state
            k1, k2, k3 = jax.random.split(key, 3)
            generated, _ = generator.stateless_call(g_tv, g_ntv, jax.random.normal(k1, (batch, latent_dim)))
            combined = jnp.concatenate([generated, real_images], axis=0)
            labels = jnp.concatenate([jnp.ones((batch, 1)), jnp.zeros((batch, 1))], axis=0)
            labels = labels + 0.05 * jax.random.uniform(k2, labels.shape)
            (d_loss, d_ntv), grads = d_grad(d_tv, d_ntv, combined, labels)
            d_tv, d_ov = d_optimizer.stateless_apply(d_ov, grads, d_tv)
            z = jax.random.normal(k3, (batch, latent_dim))
            (g_loss, g_ntv), grads = g_grad(g_tv, g_ntv, d_tv, d_ntv, z, jnp.zeros((batch, 1)))
            g_tv, g_ov = g_optimizer.stateless_apply(g_ov, grads, g_tv)
            return d_loss, g_loss, (g_tv, g_ntv, d_tv, d_ntv, g_ov, d_ov)

        d_optimizer.build(discriminator.trainable_variables)
        g_optimizer.build(generator.trainable_variables)
        holder = {"state": tuple([v.value for v in vs] for vs in (
            generator.trainable_variables, generator.non_trainable_variables,
            discriminator.trainable_variables, discriminator.non_trainable_variables,
            g_optimizer.variables, d_optimizer.variables)), "key": jax.random.PRNGKey(1339)}

        def step():
            holder["key"], sub = jax.random.split(holder["key"])
            d, g, holder["state"] = train_step(holder["state"], real, sub)
            return float(d), float(g)

    first, times, (d, g) = P.time_steps(step, warm, steps)
    emit({"w3_dcgan_step": 1e3 * P.median(times)}, warm_up_steps=warm, timed_steps=steps,
         first_step_s=round(first, 3), d_loss=round(d, 4), g_loss=round(g, 4))


# ---------------------------------------------------------------------------------------- W4
class BatchEnds(keras.callbacks.Callback):
    def __init__(self, gaps):
        super().__init__()
        self.gaps = gaps

    def on_train_batch_end(self, batch, logs=None):
        self.gaps.end()


def w4():
    """The VGG-like BN CNN (258,794 parameters with BN statistics), Adam 1e-3, categorical CE on
    one-hot labels, `fit` at batch 64 over the first 40 batches of the training split; the median
    gap between consecutive batch ends after 5 warm-up batches (Keel's BatchGapTimer, 35 gaps).
    The batch-end hook makes Keras-JAX's fit wait for each step, as RESULTS.md's timer did; at
    ~40 ms a step that wait costs little."""
    (x_train, y_train), _ = P.fashion_mnist()
    batches, warm = (40, 5) if not P.QUICK else (6, 2)
    count = 64 * batches
    x = x_train[:count].reshape(-1, 28, 28, 1)
    y = keras.utils.to_categorical(y_train[:count], 10).astype("float32")
    keras.utils.set_random_seed(1340)

    def block(filters):
        return [layers.Conv2D(filters, (3, 3), padding="same"), layers.Activation("relu"), layers.BatchNormalization()]
    model = keras.Sequential([keras.Input(shape=(28, 28, 1))]
                             + block(16) + [layers.MaxPooling2D((2, 2))]
                             + block(32) + block(32) + [layers.MaxPooling2D((2, 2))]
                             + block(64) + block(64) + block(64) + [layers.MaxPooling2D((2, 2))]
                             + [layers.Flatten(), layers.Dense(256), layers.Activation("relu"), layers.BatchNormalization(),
                                layers.Dropout(0.5), layers.Dense(10), layers.Activation("softmax")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="categorical_crossentropy", metrics=["accuracy"])
    gaps = P.BatchGaps(warm_up=warm)
    model.fit(x, y, batch_size=64, epochs=1, verbose=0, callbacks=[BatchEnds(gaps)])
    emit({"w4_vgg_step": gaps.median_ms()}, timed_gaps=len(gaps.gaps), params=int(model.count_params()))


# ---------------------------------------------------------------------------------------- sgemm
def sgemm():
    """Square float32 matmul, n = 1024, uniform [-1, 1] operands: GFLOP/s = 2n^3 / the median of 15
    calls after one warm-up, as Keel's sgemm_1024. TF: eager tf.matmul (synchronous on CPU);
    JAX: jax.jit(jnp.matmul) with block_until_ready."""
    n, reps = 1024, (15 if not P.QUICK else 2)
    if BACKEND == "tensorflow":
        a = tf.random.uniform((n, n), -1, 1)
        b = tf.random.uniform((n, n), -1, 1)

        def call():
            tf.matmul(a, b)
    else:
        key_a, key_b = jax.random.split(jax.random.PRNGKey(1))
        a = jax.random.uniform(key_a, (n, n), minval=-1, maxval=1)
        b = jax.random.uniform(key_b, (n, n), minval=-1, maxval=1)
        matmul = jax.jit(jnp.matmul)

        def call():
            matmul(a, b).block_until_ready()
    call()
    times = [P.timed_median(1, call) for _ in range(reps)]
    flops = 2.0 * n ** 3
    emit({"sgemm_1024": flops / P.median(times) / 1e9}, best_gflops=round(flops / min(times) / 1e9, 1))


P.main({"w1": w1, "w2": w2, "w3": w3, "w4": w4, "w5": w5, "sgemm": sgemm}[WORKLOAD])
