"""The generic training loop: strategy.run, tf.function, checkpoints, summaries and samples.

It never mentions domains or players: it runs a per-replica `step(batch) -> logs` and calls three
hooks (orbit style): after each step's logs, when samples are due, and at checkpoints.
"""

import logging
import os
import time

import tensorflow as tf

from unit_tf.config import TENSORBOARD, checkpoints_dir
from unit_tf.training.checkpoint import checkpoint_dir, is_chief, make_checkpoint
from unit_tf.training.progress import Progress
from unit_tf.training.summaries import SummaryWriter


class Trainer:
    """Runs `step` until `train_config.max_steps`, resuming from the latest checkpoint.

    strategy: any tf.distribute strategy; the model, optimisers and step were built in its scope.
    dataset_fn: (InputContext, start_step) -> per-replica tf.data.Dataset whose elements are a
        pure function of the step, so a restored run continues the exact stream.
    sample_fn: step -> {name: uint8 grid}; called every `sample_every` steps and at the end.
    state: other trackables the run must checkpoint ({name: trackable}, e.g. image pools).
    """

    def __init__(self, strategy, model, step, dataset_fn, train_config, sample_fn=None,
                 state=None):
        self.strategy = strategy
        self.model = model
        self.step = step
        self.config = train_config
        self.sample_fn = sample_fn
        self.dataset_fn = dataset_fn
        self.chief = is_chief(strategy)
        with strategy.scope():
            self.global_step = tf.Variable(0, dtype=tf.int64, trainable=False, name="global_step",
                                           aggregation=tf.VariableAggregation.ONLY_FIRST_REPLICA)
        self.checkpoint = make_checkpoint(model, step.optimizers, self.global_step, state)
        self.manager = tf.train.CheckpointManager(
            self.checkpoint, checkpoint_dir(train_config.model_dir, strategy),
            max_to_keep=train_config.keep_checkpoints)
        self.summaries = SummaryWriter(os.path.join(train_config.model_dir, TENSORBOARD),
                                       enabled=self.chief)
        @tf.function
        def train_step(iterator):
            logs = strategy.run(step, args=(next(iterator),))
            self.global_step.assign_add(1)
            return {k: strategy.reduce(tf.distribute.ReduceOp.MEAN, v, axis=None)
                    for k, v in logs.items()}

        self._train_step = train_step

    def restore(self):
        """Restore the latest checkpoint of this run, if any; returns its path or None."""
        latest = tf.train.latest_checkpoint(checkpoints_dir(self.config.model_dir))
        if latest:
            self.checkpoint.restore(latest).assert_existing_objects_matched()
        return latest

    def save(self):
        path = self.manager.save(checkpoint_number=int(self.global_step.numpy()))
        return path if self.chief else None

    def write_samples(self, step):
        if self.sample_fn is None or not self.chief:
            return {}
        grids = self.sample_fn(step)
        self.summaries.images(step, grids)
        return grids

    def run(self):
        """Train to max_steps; save on the way, at the end, and when interrupted."""
        with self.strategy.scope():
            self.step.build()
        cfg = self.config
        start = int(self.global_step.numpy())
        iterator = iter(self.strategy.distribute_datasets_from_function(
            lambda context: self.dataset_fn(context, start)))
        progress = Progress(start, cfg.max_steps, cfg.log_every) if cfg.progress and self.chief \
            else None
        logs, last_time = {}, time.perf_counter()
        step = saved = sampled = start
        try:
            while step < cfg.max_steps:
                logs = self._train_step(iterator)
                step = int(self.global_step.numpy())
                now = time.perf_counter()
                step_time, last_time = now - last_time, now
                if step % cfg.summary_every == 0 or step == cfg.max_steps:
                    self.summaries.scalars(step, {**{k: v.numpy() for k, v in logs.items()},
                                                  "perf/step_time_s": step_time})
                if progress:
                    progress.update(step, logs)
                if step % cfg.sample_every == 0:
                    self.write_samples(step)
                    sampled = step
                if step % cfg.checkpoint_every == 0:
                    self.save()
                    saved = step
        except KeyboardInterrupt:
            path = self.save()
            logging.warning("interrupted at step %d; saved %s; run the same command to resume",
                            step, path)
            raise
        if saved != step or not self.manager.latest_checkpoint:
            self.save()
        if sampled != step or step == start:
            self.write_samples(step)
        self.summaries.flush()
        return {k: float(v.numpy()) for k, v in logs.items()}
