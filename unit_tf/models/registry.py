"""Building a model from an experiment config, and loading one back from a run directory."""

import json
import logging
import os

import tensorflow as tf

from unit_tf.config import (RUN_CONFIG, ExperimentConfig, checkpoints_dir, from_dict,
                            kept_checkpoints_dir)
from unit_tf.errors import error_reason
from unit_tf.models.base import variables_by_path
from unit_tf.models.cyclegan import CycleGAN, Pix2Pix
from unit_tf.models.munit import MUNIT
from unit_tf.models.unit import UNIT
from unit_tf.models.unit_da import UNITDA

MODELS = {"unit": UNIT, "munit": MUNIT, "cyclegan": CycleGAN, "pix2pix": Pix2Pix,
          "unit_da": UNITDA}


def build_model(config: ExperimentConfig, size=None):
    """The model of `config.family`, all variables built (at `size`, default the crop size)."""
    if config.family not in MODELS:
        raise ValueError(f"unknown model family {config.family!r}; known: {', '.join(MODELS)}")
    model = MODELS[config.family](config.model, seed=config.runtime.seed)
    size = size or config.data.crop_size
    if size % model.stride:
        raise ValueError(f"data.crop_size={size} must be a multiple of the network stride "
                         f"{model.stride} (the generator's down-sampling)")
    if size < model.min_discriminator_size:
        raise ValueError(f"data.crop_size={size} is too small for the discriminator: it needs "
                         f"at least {model.min_discriminator_size}; use fewer discriminator "
                         "layers (model.dis.n_layer/model.dis.num_scales, or model.n_layers_d)")
    return model.build_networks(size, size)


def read_run_config(model_dir) -> ExperimentConfig:
    path = os.path.join(model_dir, RUN_CONFIG)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{model_dir!r} is not a unit_tf run directory (no {RUN_CONFIG})")
    with open(path) as f:
        return from_dict(ExperimentConfig, json.load(f))


def checkpoint_paths(directory):
    """The checkpoint prefixes in `directory`, newest first, found from their `.index` files
    (so a damaged `checkpoint` state file hides nothing)."""
    if not tf.io.gfile.isdir(directory):
        return []
    numbered = []
    for name in tf.io.gfile.listdir(directory):
        stem = name[:-len(".index")] if name.endswith(".index") else ""
        number = stem.rsplit("-", 1)[-1]
        if stem and number.isdigit():
            numbered.append((int(number), os.path.join(directory, stem)))
    return [path for _, path in sorted(numbered, reverse=True)]


def restore_newest_readable(directory, restore):
    """Call `restore(path)` on the newest checkpoint in `directory` that restores; a newer one
    that fails (truncated, half-written) is skipped with a warning naming it and why.
    Returns the path restored, or None when the directory holds no checkpoint; raises
    CheckpointError when every checkpoint fails."""
    failures = []
    for path in checkpoint_paths(directory):
        try:
            restore(path)
        except CheckpointError:
            raise  # readable, but not this model: an older one would not be either
        except (tf.errors.OpError, ValueError, IndexError, AssertionError, OSError) as e:
            reason = error_reason(e)
            logging.warning("skipped checkpoint %s: %s", path, reason)
            failures.append(f"{os.path.basename(path)}: {reason}")
            continue
        if failures:
            logging.warning("resumed from the older checkpoint %s", path)
        return path
    if failures:
        raise CheckpointError(f"no readable checkpoint in {directory}: {'; '.join(failures)}")
    return None


class CheckpointError(ValueError):
    """A run's checkpoints cannot be read, or do not hold the model its config describes."""


def checkpoint_variable_shapes(path, prefix="model"):
    """{variable path: shape} of the variables stored under `prefix` (the model dict) in
    checkpoint `path`."""
    shapes = {}
    for key, shape in tf.train.list_variables(path):
        parts = key.split("/")
        if parts[0] == prefix and len(parts) >= 3 and parts[-2] == ".ATTRIBUTES":
            shapes[_unescape("/".join(parts[1:-2]))] = tuple(shape)
    return shapes


def _unescape(name):
    """tf.train.Checkpoint escapes '/' in dict keys as '.S' and '.' as '..'."""
    out, i = [], 0
    while i < len(name):
        if name[i] == "." and i + 1 < len(name) and name[i + 1] in ".S":
            out.append("/" if name[i + 1] == "S" else ".")
            i += 2
        else:
            out.append(name[i])
            i += 1
    return "".join(out)


def restore_model(model, path):
    """Restore every variable of `model` from checkpoint `path` (the "model" dict of a run
    checkpoint); a checkpoint holding other variables is refused, naming the missing and the
    unexpected ones (never a silent partial load)."""
    expected = variables_by_path(model)
    stored = checkpoint_variable_shapes(path)
    missing, unexpected = sorted(set(expected) - set(stored)), sorted(set(stored) - set(expected))
    reshaped = sorted(f"{name} {stored[name]} in the checkpoint, {tuple(v.shape)} in the model"
                      for name, v in expected.items()
                      if name in stored and stored[name] != tuple(v.shape))
    if missing or unexpected or reshaped:
        def few(names):
            return ", ".join(names[:3]) + (f" (+{len(names) - 3} more)" if len(names) > 3 else "")
        raise CheckpointError(
            f"checkpoint {path} does not match the model its config.json describes: "
            + "; ".join(part for part in (
                f"missing {len(missing)} variables: {few(missing)}" if missing else "",
                f"unexpected {len(unexpected)}: {few(unexpected)}" if unexpected else "",
                f"{len(reshaped)} of another shape: {few(reshaped)}" if reshaped else "")
                if part))
    step = tf.Variable(0, dtype=tf.int64)
    status = tf.train.Checkpoint(model=expected, step=step).restore(path)
    status.assert_existing_objects_matched()
    status.expect_partial()  # the optimisers and data state of the run are not wanted here
    return int(step.numpy())


def resolve_checkpoint(model_dir, checkpoint):
    """The checkpoint prefix `checkpoint` names in a run: a step number (the run saves
    `ckpt-<step>`) or a path; a missing one is named with the checkpoints the run has."""
    if checkpoint is None or checkpoint == "":
        return None
    text = str(checkpoint)
    candidates = [os.path.join(folder, f"ckpt-{text}") for folder in
                  (checkpoints_dir(model_dir), kept_checkpoints_dir(model_dir))] \
        if text.isdigit() else [text]
    for path in candidates:
        if tf.io.gfile.exists(f"{path}.index"):
            return path
    kept = sorted({int(os.path.basename(p)[len("ckpt-"):-len(".index")]) for folder in
                   (checkpoints_dir(model_dir), kept_checkpoints_dir(model_dir))
                   for p in tf.io.gfile.glob(os.path.join(folder, "ckpt-*.index"))})
    raise FileNotFoundError(f"checkpoint {text!r} is not in {model_dir!r} (it keeps steps "
                            f"{', '.join(map(str, kept)) or 'none'}; --keep_checkpoints and "
                            "--keep_every set which are kept)")


def load_run(model_dir, checkpoint=None):
    """(config, model, step) from a run directory's config.json and its newest readable
    checkpoint, or `checkpoint` (a step number or a path); every model variable must be in it.
    Optimiser state is ignored."""
    config = read_run_config(model_dir)
    model = build_model(config)
    checkpoint = resolve_checkpoint(model_dir, checkpoint)
    if checkpoint:
        return config, model, restore_model(model, checkpoint)
    steps = {}
    path = restore_newest_readable(checkpoints_dir(model_dir),
                                   lambda p: steps.setdefault(p, restore_model(model, p)))
    if not path:
        raise FileNotFoundError(f"{model_dir!r} holds no checkpoint yet (in "
                                f"{checkpoints_dir(model_dir)})")
    return config, model, steps[path]
