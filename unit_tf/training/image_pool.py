"""The image history pool of CycleGAN (Shrivastava et al. 2017; junyanz `ImagePool`)."""

import tensorflow as tf


class ImagePool(tf.Module):
    """Feeds the discriminator a mix of the newest and up to `pool_size` earlier fakes.

    query(images [B, H, W, C]) returns, per image: while the pool is not full, the image itself
    (which is stored); once full, with probability 1/2 a stored image chosen uniformly (the new
    one takes its slot), otherwise the image itself. pool_size 0 returns the batch unchanged.
    The pool, its fill count and its random generator are variables: a `tf.train.Checkpoint`
    of the pool resumes it exactly. Works eagerly and in `tf.function`. Created in a
    tf.distribute scope, each replica keeps its own pool (sync-on-read variables, checkpointed
    from the first replica) and its own random stream.
    """

    def __init__(self, pool_size, image_shape, seed=0, name="image_pool"):
        super().__init__(name=name)
        self.pool_size = int(pool_size)
        self.image_shape = tuple(int(s) for s in image_shape)
        local = dict(trainable=False, synchronization=tf.VariableSynchronization.ON_READ,
                     aggregation=tf.VariableAggregation.ONLY_FIRST_REPLICA)
        self.count = tf.Variable(0, dtype=tf.int32, name="count", **local)
        self.images = tf.Variable(tf.zeros((max(self.pool_size, 1),) + self.image_shape),
                                  name="images", **local)
        self.rng = tf.random.Generator.from_seed(int(seed))

    def _one(self, image):
        def store():
            self.images[self.count].assign(image)
            self.count.assign_add(1)
            return tf.identity(image)

        def maybe_swap():
            take_old = self.rng.uniform([]) > 0.5
            slot = self.rng.uniform([], 0, self.pool_size, dtype=tf.int32)

            def swap():
                old = tf.identity(self.images[slot])
                with tf.control_dependencies([old]):
                    self.images[slot].assign(image)
                return old

            return tf.cond(take_old, swap, lambda: tf.identity(image))

        return tf.cond(self.count < self.pool_size, store, maybe_swap)

    def query(self, images):
        if self.pool_size == 0:
            return images
        images = tf.cast(images, tf.float32)
        outputs = [self._one(images[i]) for i in range(images.shape[0])]
        return tf.stack(outputs)  # [B, H, W, C]
