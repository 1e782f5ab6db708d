"""Running a model over a uint8 image array in batches: the one loop the metrics share."""

from unit_tf.data.images import to_signed


def signed_batch_outputs(fn, images, batch):
    """[fn(x).numpy() for each batch x of `images` (uint8 [N, H, W, C]) as float32 [-1, 1]],
    `batch` images at a time (an empty list for no images)."""
    return [fn(to_signed(images[start:start + batch])).numpy()
            for start in range(0, len(images), batch)]
