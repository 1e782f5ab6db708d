"""The generic training loop: strategy.run, tf.function, checkpoints, summaries and samples.

It never mentions domains or players: it runs a per-replica `step(batch) -> logs` and calls three
hooks (orbit style): after each step's logs, when samples are due, and at checkpoints.

What it guarantees a run (each tested in tests/training/trainer_test.py):
- Non-finite steps: the step skips an update whose loss or gradients are not finite and says so
  in logs["nonfinite/<player>"]; the loop counts the skips, reports the step and the terms, and
  after `max_nonfinite_steps` skipped steps in a row stops with `DivergenceError`. A checkpoint is
  written only when every model variable is finite.
- SIGTERM / SIGINT: the current step finishes, a checkpoint numbered with the completed step is
  written and `Interrupted` is raised; a second signal stops at once. Multi-worker runs agree to
  stop through an all-reduced flag (so every worker finishes one more step and takes part in
  the chief's save).
- Resume: the newest readable checkpoint; unreadable ones are skipped with the reason.
- Write errors (disk full, permissions) on checkpoints and samples: `WriteError` naming the file
  with `on_write_error="stop"`, a warning and the next interval with "continue"; the previous
  checkpoint is intact either way.
"""

import logging
import os
import shutil
import signal
import threading
import time

import numpy as np
import tensorflow as tf

from unit_tf.config import TENSORBOARD, checkpoints_dir, kept_checkpoints_dir
from unit_tf.models.registry import restore_newest_readable
from unit_tf.training.checkpoint import checkpoint_dir, is_chief, make_checkpoint
from unit_tf.training.progress import Progress
from unit_tf.training.step import NONFINITE
from unit_tf.training.summaries import SummaryWriter

STOP_KEY = "_stop_requested"
WRITE_ERRORS = (OSError, tf.errors.ResourceExhaustedError, tf.errors.PermissionDeniedError,
                tf.errors.UnknownError, tf.errors.FailedPreconditionError,
                tf.errors.InternalError, tf.errors.NotFoundError)


class DivergenceError(RuntimeError):
    """Too many steps in a row had non-finite losses or gradients."""


class WriteError(RuntimeError):
    """A checkpoint or sample could not be written (disk full, permissions, ...)."""


class Interrupted(Exception):
    """A signal stopped the run after a checkpoint of the completed step was written."""

    def __init__(self, step, checkpoint, signal_name):
        self.step, self.checkpoint, self.signal_name = step, checkpoint, signal_name
        saved = f"saved checkpoint {step}" if checkpoint else "the chief saved the checkpoint"
        super().__init__(f"stopped at step {step} ({signal_name}); {saved}; run the same "
                         "command to resume")


class StopRequests:
    """SIGINT/SIGTERM handlers that ask the loop to stop after the current step; a second
    signal raises KeyboardInterrupt at once. Installed only from the main thread."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self):
        self.signal_name = None
        self._previous = {}

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            self._previous = {s: signal.signal(s, self._handle) for s in self.SIGNALS}
        return self

    def __exit__(self, *exc):
        for s, handler in self._previous.items():
            signal.signal(s, handler)
        return False

    def _handle(self, signum, frame):
        if self.signal_name is not None:
            raise KeyboardInterrupt(f"second {signal.Signals(signum).name}")
        self.signal_name = signal.Signals(signum).name
        logging.warning("%s received: finishing the current step, then saving",
                        self.signal_name)

    @property
    def requested(self) -> bool:
        return self.signal_name is not None


def keep_permanently(checkpoint, folder):
    """Hard-link (else copy) the files of `checkpoint` into `folder`, where the
    CheckpointManager's rotation never deletes them."""
    os.makedirs(folder, exist_ok=True)
    for source in tf.io.gfile.glob(f"{checkpoint}.*"):
        target = os.path.join(folder, os.path.basename(source))
        if os.path.exists(target):
            os.remove(target)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)


class Trainer:
    """Runs `step` until `train_config.max_steps`, resuming from the latest checkpoint.

    strategy: any tf.distribute strategy; the model, optimisers and step were built in its scope.
    dataset_fn: (InputContext, start_step) -> per-replica tf.data.Dataset whose elements are a
        pure function of the step, so a restored run continues the exact stream.
    sample_fn: step -> {name: uint8 grid}; called every `sample_every` steps and at the end.
    state: other trackables the run must checkpoint ({name: trackable}, e.g. image pools).
    steps_per_epoch: shown beside the step when the schedule counts epochs (0: not shown).
    """

    def __init__(self, strategy, model, step, dataset_fn, train_config, sample_fn=None,
                 state=None, steps_per_epoch=0):
        self.strategy = strategy
        self.model = model
        self.step = step
        self.config = train_config
        self.sample_fn = sample_fn
        self.dataset_fn = dataset_fn
        self.steps_per_epoch = int(steps_per_epoch)  # shown by the progress line when > 0
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
        self.skipped_steps = 0  # non-finite steps over the run (this process)
        self.multi_worker = isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)

        def replica_step(batch, stop):
            logs = step(batch)
            context = tf.distribute.get_replica_context()
            # (an identity first: MultiWorkerMirroredStrategy cannot all-reduce a function
            # argument that has no device yet: "destinations can not be empty")
            logs[STOP_KEY] = context.all_reduce(tf.distribute.ReduceOp.SUM, tf.identity(stop))
            return logs

        @tf.function
        def train_step(iterator, stop):
            logs = strategy.run(replica_step, args=(next(iterator), stop))
            self.global_step.assign_add(1)
            return {k: strategy.reduce(tf.distribute.ReduceOp.MEAN, v, axis=None)
                    for k, v in logs.items()}

        self._train_step = train_step

    def restore(self):
        """Restore the newest readable checkpoint of this run, if any; returns its path or None.
        Unreadable (e.g. truncated) newer checkpoints are skipped with a warning."""
        return restore_newest_readable(
            checkpoints_dir(self.config.model_dir),
            lambda path: self.checkpoint.restore(path).assert_existing_objects_matched())

    def save(self):
        """Checkpoint the completed step; returns its path (None on non-chief workers and when
        a write error was tolerated). A model with non-finite weights is never saved."""
        step = int(self.global_step.numpy())
        bad = [v.path for v in self.model.variables
               if tf.as_dtype(v.dtype).is_floating and not np.all(np.isfinite(v.numpy()))]
        if bad:
            raise DivergenceError(
                f"at step {step} the model holds non-finite values ({', '.join(bad[:3])}"
                f"{', ...' if len(bad) > 3 else ''}); not saved: the checkpoints on disk keep "
                f"the last finite state ({self.manager.latest_checkpoint})")
        try:
            path = self.manager.save(checkpoint_number=step)
            if path and self.chief and self.config.keep_every and \
                    step % self.config.keep_every == 0:
                keep_permanently(path, kept_checkpoints_dir(self.config.model_dir))
        except WRITE_ERRORS as e:
            self._write_failed(f"checkpoint {step} in {self.manager.directory}", e,
                               f"the previous checkpoint is intact "
                               f"({self.manager.latest_checkpoint or 'none yet'})")
            return None
        return path if self.chief else None

    def _write_failed(self, what, error, consequence):
        from unit_tf.errors import error_reason

        message = f"could not write {what}: {error_reason(error)}; {consequence}"
        if self.config.on_write_error == "stop":
            raise WriteError(message) from error
        logging.warning("%s; continuing (--on_write_error=continue)", message)

    def write_samples(self, step):
        if self.sample_fn is None or not self.chief:
            return {}
        try:
            grids = self.sample_fn(step)
            self.summaries.images(step, grids)
        except WRITE_ERRORS as e:
            self._write_failed(f"the sample grids of step {step}", e, "training goes on")
            return {}
        return grids

    def _check_finite(self, step, logs, streak):
        """The number of non-finite steps in a row after this one; reports a skip."""
        skipped = [k for k, v in logs.items() if k.startswith(f"{NONFINITE}/") and v > 0]
        if not skipped:
            return 0
        self.skipped_steps += 1
        terms = sorted(k for k, v in logs.items()
                       if not k.startswith(f"{NONFINITE}/") and not np.isfinite(v))
        players = ", ".join(k.split("/", 1)[1] for k in skipped)
        what = ", ".join(terms) if terms else "gradients only (the losses are finite)"
        logging.warning("step %d: non-finite loss or gradients (%s); update of %s skipped "
                        "(%d skipped so far)", step, what, players, self.skipped_steps)
        self.summaries.scalars(step, {f"{NONFINITE}/skipped_steps": self.skipped_steps})
        streak += 1
        if streak >= self.config.max_nonfinite_steps:
            raise DivergenceError(
                f"stopped at step {step}: {streak} steps in a row had non-finite losses or "
                f"gradients ({what}); their updates were skipped, so the checkpoints on disk "
                f"hold the last finite weights ({self.manager.latest_checkpoint or 'none'}). "
                "Lower the learning rate or check the data.")
        return streak

    def run(self):
        """Train to max_steps; save on the way, at the end, and when a signal asks to stop."""
        with self.strategy.scope():
            self.step.build()
        cfg = self.config
        start = int(self.global_step.numpy())
        iterator = iter(self.strategy.distribute_datasets_from_function(
            lambda context: self.dataset_fn(context, start)))
        progress = Progress(start, cfg.max_steps, cfg.log_every,
                            steps_per_epoch=self.steps_per_epoch) \
            if cfg.progress and self.chief else None
        if progress and start < cfg.max_steps:
            progress.building()
        logs, last_time = {}, time.perf_counter()
        step = saved = sampled = start
        streak = 0
        if start >= cfg.max_steps:
            logging.warning("already at step %d of max_steps %d: nothing to train (raise "
                            "--max_steps to train longer)", start, cfg.max_steps)
        with StopRequests() as stop:
            while step < cfg.max_steps:
                result = self._train_step(iterator, tf.constant(float(stop.requested)))
                # Across workers they agree through the all-reduced flag (one step later); a
                # single process stops at once.
                stop_all = float(result.pop(STOP_KEY).numpy()) > 0 or (
                    stop.requested and not self.multi_worker)
                logs = {k: float(v.numpy()) for k, v in result.items()}
                step = int(self.global_step.numpy())
                now = time.perf_counter()
                step_time, last_time = now - last_time, now
                streak = self._check_finite(step, logs, streak)
                if step % cfg.summary_every == 0 or step == cfg.max_steps:
                    self.summaries.scalars(step, {**logs, "perf/step_time_s": step_time})
                if progress:
                    progress.update(step, logs)
                if stop_all:
                    path = self.save()
                    self.summaries.flush()
                    raise Interrupted(step, path, stop.signal_name or "stop requested by a peer")
                if step % cfg.sample_every == 0:
                    self.write_samples(step)
                    sampled = step
                if step % cfg.checkpoint_every == 0:
                    self.save()
                    saved = step
        if saved != step or not self.manager.latest_checkpoint:
            self.save()
        if sampled != step or step == start:
            self.write_samples(step)
        self.summaries.flush()
        return logs
