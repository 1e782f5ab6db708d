"""Timing probes for `unit-tf tune`, each run in a fresh interpreter under whatever
TF_ENABLE_ONEDNN_OPTS it was started with (unit_tf.cli.onednn runs them); prints best-of seconds.

    python -m unit_tf.cli.onednn_probe stack WORK SIZE CHANNELS LAYERS REPEATS
        a stack of LAYERS x (3x3 conv, instance norm, ReLU) on [1, SIZE, SIZE, CHANNELS]:
        forward (WORK=translate) or forward and backward (WORK=train); the per-machine probe
    python -m unit_tf.cli.onednn_probe model WORK CONFIG_JSON REPEATS
        the experiment's own model (an ExperimentConfig as JSON) at its crop size and batch:
        one training step of both players (WORK=train, as `unit-tf train` builds it) or one
        translation of its first direction (WORK=translate); the per-model probe
"""

import json
import sys


def stack_seconds(work, size, channels, layers, repeats):
    import keras
    import tensorflow as tf

    from unit_tf.layers.instance_norm import InstanceNorm
    from unit_tf.profiling import best_seconds

    stack = keras.Sequential(
        [keras.Input((size, size, channels))] +
        [layer for _ in range(layers) for layer in (
            keras.layers.Conv2D(channels, 3, padding="same"), InstanceNorm(affine=True),
            keras.layers.ReLU())])
    x = tf.random.stateless_normal([1, size, size, channels], seed=[1, 2])

    @tf.function
    def forward():
        return stack(x)

    @tf.function
    def forward_backward():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(stack(x)))
        return tape.gradient(loss, stack.trainable_variables)[0]

    run = forward_backward if work == "train" else forward
    return best_seconds(lambda: run().numpy(), repeats)


def model_seconds(work, config_path, repeats):
    import tensorflow as tf

    from unit_tf.config import ExperimentConfig
    from unit_tf.config.experiment import from_dict
    from unit_tf.profiling import best_seconds
    from unit_tf.training import build_training
    from unit_tf.training.runtime import set_precision

    with open(config_path) as f:
        config = from_dict(ExperimentConfig, json.load(f))
    set_precision(config.runtime.precision)
    model, step, _ = build_training(config, tf.distribute.get_strategy())
    size, batch_size = config.data.crop_size, config.data.batch_size
    shape = [batch_size, size, size, 3]  # [B, S, S, 3] per domain, in [-1, 1]
    batch = {d: tf.random.stateless_uniform(shape, [i, 7], -1.0, 1.0)
             for i, d in enumerate("ab")}
    if config.family == "unit_da":
        batch["label_a"] = tf.zeros([batch_size], tf.int64)
    if work == "train":
        step.build()
        run = tf.function(step)

        def once():
            float(next(iter(run(batch).values())).numpy())
    else:
        model.build_networks(size, size)
        direction = model.directions[0]
        run = tf.function(lambda x: model.translate(x, direction))

        def once():
            run(batch["a"]).numpy()
    return best_seconds(once, repeats, warmup=2)  # the first call traces, the second settles


def main(argv):
    kind, work = argv[1], argv[2]
    if kind == "stack":
        print(stack_seconds(work, *(int(a) for a in argv[3:7])))
    elif kind == "model":
        print(model_seconds(work, argv[3], int(argv[4])))
    else:
        raise SystemExit(f"unknown probe {kind!r}: stack or model")


if __name__ == "__main__":
    main(sys.argv)
