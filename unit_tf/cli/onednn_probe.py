"""`python -m unit_tf.cli.onednn_probe WORK SIZE CHANNELS LAYERS REPEATS`: prints the best-of
seconds of a stack of LAYERS x (3x3 conv, instance norm, ReLU) on [1, SIZE, SIZE, CHANNELS]:
forward (WORK=translate) or forward and backward (WORK=train), under whatever
TF_ENABLE_ONEDNN_OPTS the process was started with (unit_tf.cli.onednn runs it)."""

import sys


def main(work, size, channels, layers, repeats):
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
    print(best_seconds(lambda: run().numpy(), repeats))


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:6]))
