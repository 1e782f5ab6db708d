"""The generic loop with a toy step: hooks at the right steps, chief-only writes, resume."""

import os
import signal

import keras
import numpy as np
import pytest
import tensorflow as tf

from unit_tf.config import TrainConfig
from unit_tf.training import trainer as trainer_module
from unit_tf.training.trainer import DivergenceError, Interrupted, Trainer, WriteError


class ToyModel(keras.Model):
    def __init__(self):
        super().__init__(name="toy")  # a fixed name: the weight's checkpoint path includes it
        self.total = self.add_weight(shape=(), initializer="zeros", name="total")


class ToyStep:
    """Adds each batch's value (the step index) to the model's one weight and logs it; on the
    steps in `nonfinite` its loss is NaN and it skips the update, as AlternatingGANStep does."""

    def __init__(self, model, nonfinite=()):
        self.model = model
        self.optimizers = {"g": keras.optimizers.SGD(0.1, name="toy_sgd")}
        self.nonfinite = tf.constant(list(nonfinite) or [-1], tf.int64)

    def build(self):
        self.optimizers["g"].build([self.model.total])

    def __call__(self, batch):
        index = batch[0]
        bad = tf.reduce_any(tf.equal(index, self.nonfinite))
        value = tf.cast(index, tf.float32)
        self.model.total.assign_add(tf.where(bad, 0.0, value))
        return {"loss/toy": tf.where(bad, float("nan"), value),
                "nonfinite/g": tf.cast(bad, tf.float32)}


def counting_dataset(context, start_step):
    """Element i is i: the stream is a pure function of the step, as the real pipelines."""
    return tf.data.Dataset.range(start_step, 1_000_000).batch(1)


def make_trainer(model_dir, max_steps, samples, nonfinite=(), **train):
    model = ToyModel()
    step = ToyStep(model, nonfinite)
    config = TrainConfig(**{"model_dir": str(model_dir), "max_steps": max_steps,
                            "checkpoint_every": 2, "keep_checkpoints": 10, "summary_every": 1,
                            "sample_every": 3, "log_every": 1, "progress": False, **train})

    def sample(step_number):
        samples.append(step_number)
        return {"samples/toy": np.zeros((2, 2, 3), np.uint8)}

    trainer = Trainer(tf.distribute.get_strategy(), model, step, counting_dataset, config,
                      sample_fn=sample)
    return trainer, model


def checkpoint_steps(model_dir):
    state = tf.train.get_checkpoint_state(os.path.join(model_dir, "checkpoints"))
    return [int(p.rsplit("-", 1)[1]) for p in state.all_model_checkpoint_paths] if state else []


def test_hooks_run_at_their_steps_and_the_end(tmp_path):
    samples = []
    trainer, model = make_trainer(tmp_path, 7, samples)
    assert trainer.restore() is None
    logs = trainer.run()
    assert samples == [3, 6, 7]  # every 3 steps, and the last step
    assert checkpoint_steps(tmp_path) == [2, 4, 6, 7]  # every 2 steps, and the last step
    assert float(model.total.numpy()) == sum(range(7))
    assert logs == {"loss/toy": 6.0, "nonfinite/g": 0.0}
    assert os.listdir(tmp_path / "tensorboard")


def test_resume_continues_the_step_and_the_data_where_they_stopped(tmp_path):
    trainer, _ = make_trainer(tmp_path, 4, [])
    trainer.run()
    samples = []
    resumed, model = make_trainer(tmp_path, 7, samples)
    assert resumed.restore().endswith("ckpt-4")
    assert float(model.total.numpy()) == sum(range(4))
    resumed.run()
    assert float(model.total.numpy()) == sum(range(7))  # batches 4, 5, 6: none repeated
    assert samples == [6, 7] and checkpoint_steps(tmp_path)[-2:] == [6, 7]


def test_only_the_chief_writes_the_run_directory(tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    monkeypatch.setattr(trainer_module, "is_chief", lambda strategy: False)
    monkeypatch.setattr(trainer_module, "checkpoint_dir", lambda model_dir, strategy: str(scratch))
    samples = []
    trainer, model = make_trainer(tmp_path / "run", 4, samples)
    trainer.run()
    assert float(model.total.numpy()) == sum(range(4))  # it trained
    assert samples == []  # no sample grids
    assert checkpoint_steps(tmp_path / "run") == []  # no checkpoint in the run directory
    assert not os.path.exists(tmp_path / "run" / "tensorboard")
    assert os.listdir(scratch)  # a worker still takes part in every save, in its scratch copy


def test_a_non_finite_step_is_skipped_counted_and_training_goes_on(tmp_path, caplog):
    trainer, model = make_trainer(tmp_path, 6, [], nonfinite=[3])
    trainer.run()
    assert float(model.total.numpy()) == sum(range(6)) - 3  # step 4 (batch 3) was skipped
    assert trainer.skipped_steps == 1
    assert "step 4: non-finite loss or gradients (loss/toy); update of g skipped" in caplog.text


def test_persistent_non_finite_steps_stop_the_run_with_the_last_finite_checkpoint(tmp_path):
    trainer, model = make_trainer(tmp_path, 50, [], nonfinite=range(3, 50),
                                  max_nonfinite_steps=4)
    with pytest.raises(DivergenceError, match=r"stopped at step 7: 4 steps in a row had "
                                              r"non-finite losses or gradients \(loss/toy\)"):
        trainer.run()
    assert checkpoint_steps(tmp_path) == [2, 4, 6]  # the skipped steps left the weights finite
    restored, model = make_trainer(tmp_path, 50, [])
    assert restored.restore().endswith("ckpt-6") and float(model.total.numpy()) == 0 + 1 + 2


def test_non_finite_weights_are_never_saved(tmp_path):
    trainer, model = make_trainer(tmp_path, 3, [])
    trainer.run()
    model.total.assign(float("nan"))
    with pytest.raises(DivergenceError, match="non-finite values .*toy/total.*not saved"):
        trainer.save()
    assert checkpoint_steps(tmp_path) == [2, 3]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_finishes_the_step_and_saves_it(tmp_path, signum):
    samples = []
    trainer, model = make_trainer(tmp_path, 100, samples)
    original = trainer._train_step

    def train_step(iterator, stop):
        logs = original(iterator, stop)
        if int(trainer.global_step.numpy()) == 5:
            os.kill(os.getpid(), signum)  # arrives while step 5 is done, before the check
        return logs

    trainer._train_step = train_step
    with pytest.raises(Interrupted) as stopped:
        trainer.run()
    # the signal came during step 5: step 5 is completed and saved, nothing after it runs
    assert str(stopped.value).startswith("stopped at step 5 (") and stopped.value.step == 5
    assert "saved checkpoint 5; run the same command to resume" in str(stopped.value)
    assert checkpoint_steps(tmp_path)[-1] == 5 and float(model.total.numpy()) == sum(range(5))
    assert signal.getsignal(signum) is not None  # the previous handler is back


def test_resume_skips_an_unreadable_newest_checkpoint(tmp_path, caplog):
    trainer, _ = make_trainer(tmp_path, 4, [])
    trainer.run()
    newest = tmp_path / "checkpoints" / "ckpt-4.data-00000-of-00001"
    newest.write_bytes(newest.read_bytes()[:3])  # truncated, as by a full disk or a kill
    resumed, model = make_trainer(tmp_path, 6, [])
    assert resumed.restore().endswith("ckpt-2")
    assert float(model.total.numpy()) == 0 + 1
    assert "skipped checkpoint" in caplog.text and "ckpt-4" in caplog.text
    resumed.run()
    assert float(model.total.numpy()) == sum(range(6))


@pytest.mark.parametrize("policy", ["stop", "continue"])
def test_write_errors_stop_with_one_line_or_continue(tmp_path, monkeypatch, policy):
    trainer, model = make_trainer(tmp_path, 6, [], on_write_error=policy)
    real_save = trainer.manager.save

    def save(checkpoint_number=None):
        if checkpoint_number == 4:
            raise tf.errors.ResourceExhaustedError(None, None, "No space left on device")
        return real_save(checkpoint_number=checkpoint_number)

    monkeypatch.setattr(trainer.manager, "save", save)
    if policy == "stop":
        with pytest.raises(WriteError, match=r"could not write checkpoint 4 in .*: No space left "
                                             r"on device; the previous checkpoint is intact "
                                             r"\(.*ckpt-2\)"):
            trainer.run()
        assert checkpoint_steps(tmp_path) == [2]
    else:
        trainer.run()
        assert checkpoint_steps(tmp_path) == [2, 6]
        assert float(model.total.numpy()) == sum(range(6))
