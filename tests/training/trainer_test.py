"""The generic loop with a toy step: hooks at the right steps, chief-only writes, resume."""

import os

import keras
import numpy as np
import tensorflow as tf

from unit_tf.config import TrainConfig
from unit_tf.training import trainer as trainer_module
from unit_tf.training.trainer import Trainer


class ToyModel(keras.Model):
    def __init__(self):
        super().__init__(name="toy")  # a fixed name: the weight's checkpoint path includes it
        self.total = self.add_weight(shape=(), initializer="zeros", name="total")


class ToyStep:
    """Adds each batch's value to the model's one weight and logs it."""

    def __init__(self, model):
        self.model = model
        self.optimizers = {"g": keras.optimizers.SGD(0.1, name="toy_sgd")}

    def build(self):
        self.optimizers["g"].build([self.model.total])

    def __call__(self, batch):
        value = tf.cast(batch[0], tf.float32)
        self.model.total.assign_add(value)
        return {"value": value}


def counting_dataset(context, start_step):
    """Element i is i: the stream is a pure function of the step, as the real pipelines."""
    return tf.data.Dataset.range(start_step, 1_000_000).batch(1)


def make_trainer(model_dir, max_steps, samples):
    model = ToyModel()
    step = ToyStep(model)
    config = TrainConfig(model_dir=str(model_dir), max_steps=max_steps, checkpoint_every=2,
                         keep_checkpoints=10, summary_every=1, sample_every=3, log_every=1,
                         progress=False)

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
    assert float(model.total.numpy()) == sum(range(7)) and logs == {"value": 6.0}
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
