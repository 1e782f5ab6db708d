"""TensorBoard scalars and images, and PNG sample grids in the run directory."""

import os

import numpy as np
import tensorflow as tf

from unit_tf.training.labels import label_strip

MIN_DISPLAY_SIZE = 64  # cells smaller than this are enlarged (nearest neighbour) for display


def image_grid(rows, labels=None, min_size=MIN_DISPLAY_SIZE):
    """rows: list of [N, H, W, 3] float tensors in [-1, 1] (one per column kind) ->
    uint8 [header + N * H', K * W', 3]: each input next to its outputs, one sample per line,
    cells enlarged by a whole factor to at least `min_size` pixels, and `labels` (one per
    column) drawn above the columns."""
    columns = [np.asarray(tf.cast(r, tf.float32)) for r in rows]
    grid = np.concatenate(columns, axis=2)  # [N, H, K*W, 3]
    grid = np.concatenate(list(grid), axis=0)  # [N*H, K*W, 3]
    grid = np.clip(np.round((grid + 1.0) * 127.5), 0, 255).astype(np.uint8)
    height, width = columns[0].shape[1:3]
    factor = max(1, -(-min_size // min(height, width)))
    if factor > 1:
        grid = grid.repeat(factor, axis=0).repeat(factor, axis=1)
    if labels:
        if len(labels) != len(rows):
            raise ValueError(f"{len(labels)} labels for {len(rows)} grid columns")
        grid = np.concatenate([label_strip(labels, width * factor), grid], axis=0)
    return grid


def write_png(path, image_uint8):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tf.io.write_file(path, tf.io.encode_png(image_uint8))
    return path


class SummaryWriter:
    """Scalars (every loss term, learning rates, step time) and image grids for TensorBoard."""

    def __init__(self, log_dir, enabled=True):
        self.log_dir = log_dir
        self.writer = tf.summary.create_file_writer(log_dir) if enabled else None

    def scalars(self, step, values):
        if self.writer is None:
            return
        with self.writer.as_default(step=int(step)):
            for name, value in values.items():
                tf.summary.scalar(name, float(value))

    def images(self, step, grids):
        if self.writer is None:
            return
        with self.writer.as_default(step=int(step)):
            for name, grid in grids.items():
                tf.summary.image(name, grid[None], max_outputs=1)

    def flush(self):
        if self.writer is not None:
            self.writer.flush()
