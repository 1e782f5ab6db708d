"""Every training flag (FlagHolder style) and `to_config()`, the one place flags become config.

`--family` picks the model family and with it the base architecture, loss weights and optimiser
(CycleGAN/pix2pix: junyanz's, Adam 2e-4 and 100 + 100 epochs); `--preset` picks UNIT's. A flag
given explicitly (on the command line or in a flagfile) overrides the base value; a flag that the
family does not have is refused by name.
"""

import dataclasses
import re

from absl import flags

from unit_tf import config as C

FLAGS = flags.FLAGS

# Run (TrainConfig fields; train.max_steps is resolved in to_config)
MAX_STEPS = flags.DEFINE_integer("max_steps", 1000, "Total training steps (iterations); when "
                                 "not given and --n_epochs/--n_epochs_decay are (CycleGAN/pix2pix"
                                 " by default), their total epochs.")
TRAIN_FLAGS = {
    "model_dir": flags.DEFINE_string("model_dir", "runs/unit", "Run directory: checkpoints, "
                                     "TensorBoard logs, samples, config.json and flags.txt."),
    "checkpoint_every": flags.DEFINE_integer("checkpoint_every", 1000,
                                             "Steps between checkpoints."),
    "keep_checkpoints": flags.DEFINE_integer("keep_checkpoints", 3, "How many of the newest "
                                             "checkpoints stay on disk (older ones are deleted "
                                             "as new ones are written)."),
    "keep_every": flags.DEFINE_integer("keep_every", 0, "Also keep, for good, every checkpoint "
                                       "whose step is a multiple of this (in "
                                       "<model_dir>/checkpoints/kept/; e.g. one per epoch); "
                                       "0 keeps none. Saving still follows "
                                       "--checkpoint_every."),
    "log_every": flags.DEFINE_integer("log_every", 10, "Steps between progress lines (non-tty)."),
    "summary_every": flags.DEFINE_integer("summary_every", 100,
                                          "Steps between TensorBoard scalars."),
    "sample_every": flags.DEFINE_integer("sample_every", 1000, "Steps between sample grids."),
    "num_samples": flags.DEFINE_integer("num_samples", 4, "Images per domain in sample grids."),
    "export_dir": flags.DEFINE_string("export_dir", "", "If set, export a versioned SavedModel "
                                      "to this base directory (e.g. savedmodels/NAME) when "
                                      "training ends."),
    "progress": flags.DEFINE_bool("progress", True, "Show a progress line on the terminal."),
    "max_nonfinite_steps": flags.DEFINE_integer(
        "max_nonfinite_steps", 20, "Stop (exit code 3) after this many steps in a row whose "
        "loss or gradients were not finite; each such update is skipped and reported."),
    "on_write_error": flags.DEFINE_enum(
        "on_write_error", "stop", list(C.WRITE_ERROR_POLICIES), "When a checkpoint or sample "
        "cannot be written (disk full, permissions): stop with one line (exit code 4), or "
        "continue and retry at the next interval; the previous checkpoint stays intact."),
}
MODEL_DIR = TRAIN_FLAGS["model_dir"]
RESUME = flags.DEFINE_bool("resume", True, "Continue from the run directory's latest checkpoint "
                           "when it has one; --noresume refuses to touch an existing run.")
# Runtime (RuntimeConfig fields)
RUNTIME_FLAGS = {
    "seed": flags.DEFINE_integer("seed", 0, "Random seed (weights, data order, augmentation, "
                                 "noise)."),
    "deterministic": flags.DEFINE_bool("deterministic", False, "Bit-exact runs: TF's "
                                       "deterministic ops, no Grappler rewrites and one op at "
                                       "a time (slower), so equal seeds give equal weights and "
                                       "a resumed run equals an uninterrupted one."),
    "precision": flags.DEFINE_enum("precision", "float32", list(C.PRECISIONS),
                                   "Numerics: mixed_float16 adds loss scaling (GPUs)."),
    "strategy": flags.DEFINE_enum("strategy", "default", list(C.STRATEGIES),
                                  "tf.distribute strategy; multi_worker reads TF_CONFIG."),
    "jit_compile": flags.DEFINE_bool("jit_compile", False, "XLA-compile the per-replica step."),
    "devices": flags.DEFINE_string("devices", "", "Devices to train on, e.g. GPU:0,GPU:1 (one "
                                   "replica each, MirroredStrategy) or CPU (one device); empty: "
                                   "those of --strategy. CUDA_VISIBLE_DEVICES hides GPUs."),
}
# Data (DataConfig fields)
DATA_FLAGS = {
    "source": flags.DEFINE_enum("data_source", "folder", list(C.SOURCES),
                                "Where images come from."),
    "data_dir": flags.DEFINE_string("data_dir", "", "Folder with trainA/ trainB/ (testA/ "
                                    "testB/), or with --layout=side_by_side train/ (test/ or "
                                    "val/)."),
    "layout": flags.DEFINE_enum("layout", "domains", list(C.LAYOUTS), "domains: trainA/ trainB/ "
                                "folders; side_by_side: A|B images (left half A), the pix2pix "
                                "layout (pix2pix trains on the pairs, the other families on "
                                "halves of different images)."),
    "resize": flags.DEFINE_enum("resize", "short_side", list(C.RESIZES), "short_side: resize "
                                "the short side to --load_size (UNIT/MUNIT); square: to "
                                "load_size x load_size (junyanz resize_and_crop)."),
    "npz_a": flags.DEFINE_string("npz_a", "", "Domain A images as file.npz:key "
                                 "(data_source=npz)."),
    "npz_b": flags.DEFINE_string("npz_b", "", "Domain B images as file.npz:key "
                                 "(data_source=npz)."),
    "tfds_name": flags.DEFINE_string("tfds_name", "", "Prepared TFDS dataset, e.g. "
                                     "cycle_gan/horse2zebra (never downloaded at run time)."),
    "tfds_data_dir": flags.DEFINE_string("tfds_data_dir", "", "TFDS data_dir holding it."),
    "load_size": flags.DEFINE_integer("load_size", 256, "Resize the short side to this."),
    "crop_size": flags.DEFINE_integer("crop_size", 256, "Random square crop side."),
    "batch_size": flags.DEFINE_integer("batch_size", 1, "Global batch size."),
    "flip": flags.DEFINE_bool("flip", True, "Random horizontal flips."),
    "protocol": flags.DEFINE_enum("protocol", "", [""] + list(C.DA_PROTOCOLS),
                                  "unit_da: the digit protocol (--data_dir = the datasets root "
                                  "holding digits/ and mnist_m/)."),
    "invert": flags.DEFINE_enum("invert", "", list(C.INVERSIONS),
                                "unit_da: double these domains' training digits with inverted "
                                "copies (255 - x, labels kept), as version_02's use_inversion "
                                "does for its target; test sets are never inverted."),
    "augment": flags.DEFINE_float("augment", 0.0,
                                  "unit_da: random zoom (1 +- s), rotation (+- 60 s degrees) and "
                                  "shift (+- s/2 of the image) of every training digit of both "
                                  "domains, e.g. 0.15; 0 = none; test sets are never augmented."),
    "recolour": flags.DEFINE_enum("recolour", "", list(C.INVERSIONS),
                                  "unit_da: paint these domains' grey training digits with a "
                                  "random paper and ink colour each (read them with "
                                  "--channels_a/--channels_b=3); test sets are never painted."),
}
# Model
FAMILY = flags.DEFINE_enum("family", "unit", list(C.FAMILY_CONFIGS),
                           "Model family: unit, munit (content/style, multimodal), cyclegan, "
                           "pix2pix (paired, --layout=side_by_side) or unit_da (digit domain "
                           "adaptation, --protocol).")
PRESET = flags.DEFINE_enum("preset", "official", ["official", "paper"],
                           "UNIT preset: official (UNIT master) or paper (NIPS 2017, shared); "
                           "MUNIT has official only.")
MODEL_FLAGS = {
    "dim": flags.DEFINE_integer("dim", 64, "Generator base width (gen.dim)."),
    "n_downsample": flags.DEFINE_integer("n_downsample", 2, "Encoder down-samplings."),
    "n_res": flags.DEFINE_integer("n_res", 4, "Res-blocks in encoder and decoder each."),
    "activ": flags.DEFINE_enum("activ", "relu", list(C.ACTIVATIONS), "Generator activation."),
    "pad_type": flags.DEFINE_enum("pad_type", "reflect", list(C.PAD_TYPES), "Padding."),
    "n_shared_enc": flags.DEFINE_integer("n_shared_enc", 0, "Shared last encoder res-blocks "
                                         "(preset paper: 1)."),
    "n_shared_dec": flags.DEFINE_integer("n_shared_dec", 0, "Shared first decoder res-blocks "
                                         "(preset paper: 1)."),
    "res_dropout": flags.DEFINE_float("res_dropout", 0.0, "Dropout in res-blocks."),
    "gan_type": flags.DEFINE_enum("gan_type", "lsgan",
                                  list(dict.fromkeys(C.GAN_TYPES + C.JUNYANZ_GAN_TYPES
                                                     + ("softmax",))),
                                  "Adversarial loss: unit/munit lsgan|nsgan|hinge (preset paper: "
                                  "nsgan); cyclegan/pix2pix lsgan|vanilla|wgangp (pix2pix: "
                                  "vanilla); unit_da softmax (its only one)."),
    "style_dim": flags.DEFINE_integer("style_dim", 8, "MUNIT: style code length."),
    "mlp_dim": flags.DEFINE_integer("mlp_dim", 256, "MUNIT: width of the style MLP."),
    "net_g": flags.DEFINE_string("netG", "resnet_9blocks", "CycleGAN/pix2pix generator: "
                                 "resnet_<n>blocks or unet_<side> (pix2pix: unet_256)."),
    "ngf": flags.DEFINE_integer("ngf", 64, "CycleGAN/pix2pix generator base width."),
    "net_d": flags.DEFINE_enum("netD", "basic", list(C.JUNYANZ_D), "CycleGAN/pix2pix "
                               "discriminator: basic (70x70 PatchGAN), n_layers, pixel."),
    "ndf": flags.DEFINE_integer("ndf", 64, "CycleGAN/pix2pix discriminator base width."),
    "n_layers_d": flags.DEFINE_integer("n_layers_D", 3, "PatchGAN layers for --netD=n_layers."),
    "norm": flags.DEFINE_enum("norm", "in", list(C.JUNYANZ_NORMS), "CycleGAN/pix2pix norm: in "
                              "(instance), bn (batch; pix2pix), none."),
    "use_dropout": flags.DEFINE_bool("dropout", False, "CycleGAN/pix2pix generator dropout 0.5 "
                                     "(pix2pix: on; junyanz --no_dropout turns it off)."),
    "pool_size": flags.DEFINE_integer("pool_size", 50, "CycleGAN: translations kept in the "
                                      "discriminator's history pool (0: none)."),
    "ch_g": flags.DEFINE_integer("ch_g", 96, "unit_da: coupled VAE width (official 96)."),
    "ch_d": flags.DEFINE_integer("ch_d", 64, "unit_da: coupled discriminator width "
                                 "(official 64)."),
    "channels_a": flags.DEFINE_integer("channels_a", 1, "unit_da: channels of domain A "
                                       "(1 grey digits, 3 colour)."),
    "channels_b": flags.DEFINE_integer("channels_b", 1, "unit_da: channels of domain B "
                                       "(MNIST-M: 3)."),
    "num_classes": flags.DEFINE_integer("num_classes", 10, "unit_da: classes of the "
                                        "classifier head."),
    "feature_distance": flags.DEFINE_enum("feature_distance", "sq", list(C.FEATURE_DISTANCES),
                                          "unit_da: distance of the feature-matching term: sq "
                                          "(official) or l1 (the paper)."),
    "classifier_front": flags.DEFINE_enum("classifier_front", "own", list(C.CLASSIFIER_FRONTS),
                                          "unit_da: the first layer the target's classifier "
                                          "reads through: own (d0_b, version_02) or source "
                                          "(d0_a, as the source-only baseline; needs "
                                          "--channels_a == --channels_b)."),
}
DIRECTION = flags.DEFINE_enum("direction", "AtoB", ["AtoB", "BtoA", "a2b", "b2a"],
                              "pix2pix: translate A (left halves) to B, or B to A.")
DIS_FLAGS = {
    "dim": flags.DEFINE_integer("dis_dim", 64, "Discriminator base width."),
    "n_layer": flags.DEFINE_integer("dis_n_layer", 4, "Strided convs per scale."),
    "norm": flags.DEFINE_enum("dis_norm", "none", list(C.NORMS), "Discriminator norm."),
    "activ": flags.DEFINE_enum("dis_activ", "lrelu", list(C.ACTIVATIONS), "D activation."),
    "num_scales": flags.DEFINE_integer("dis_num_scales", 3, "Discriminator scales."),
    "pad_type": flags.DEFINE_enum("dis_pad_type", "reflect", list(C.PAD_TYPES), "D padding."),
}
WEIGHT_FLAGS = {f.name: flags.DEFINE_float(f.name, f.default, f"Loss weight {f.name} "
                                           "(UNIT default shown; preset paper: x10).")
                for f in dataclasses.fields(C.UNITLossWeights)}
for _family, _weights in (("MUNIT", C.MUNITLossWeights), ("CycleGAN", C.CycleGANLossWeights),
                          ("pix2pix", C.Pix2PixLossWeights), ("unit_da", C.UNITDALossWeights)):
    WEIGHT_FLAGS.update({f.name: flags.DEFINE_float(f.name, f.default,
                                                    f"{_family} loss weight {f.name}.")
                         for f in dataclasses.fields(_weights) if f.name not in WEIGHT_FLAGS})
VGG_WEIGHTS = flags.DEFINE_string(
    "vgg_weights", "imagenet", "VGG16 weights of the perceptual loss (only when --vgg_w > 0): "
    "'imagenet' = Keras' cached notop file (never downloaded), or a path to a VGG16 notop file.")
OPTIM_FLAGS = {
    "lr": flags.DEFINE_float("lr", 1e-4, "Learning rate."),
    "beta1": flags.DEFINE_float("beta1", 0.5, "Adam beta1."),
    "beta2": flags.DEFINE_float("beta2", 0.999, "Adam beta2."),
    "weight_decay": flags.DEFINE_float("weight_decay", 1e-4, "Weight decay."),
    "weight_decay_mode": flags.DEFINE_enum("weight_decay_mode", "coupled",
                                           list(C.WEIGHT_DECAY_MODES),
                                           "coupled = PyTorch Adam L2 (official); decoupled = "
                                           "AdamW."),
    "lr_policy": flags.DEFINE_enum("lr_policy", "step", list(C.LR_POLICIES), "LR policy."),
    "step_size": flags.DEFINE_integer("step_size", 100_000, "step policy: steps per decay."),
    "gamma": flags.DEFINE_float("gamma", 0.5, "step policy: decay factor."),
    "constant_steps": flags.DEFINE_integer("constant_steps", 100_000, "linear policy: steps "
                                           "at constant lr."),
    "decay_steps": flags.DEFINE_integer("decay_steps", 100_000, "linear policy: decay steps."),
    "n_epochs": flags.DEFINE_integer("n_epochs", 0, "linear policy: epochs at constant lr, "
                                     "counted in epochs of the data (CycleGAN/pix2pix: 100)."),
    "n_epochs_decay": flags.DEFINE_integer("n_epochs_decay", 0, "linear policy: epochs of "
                                           "linear decay to 0 (CycleGAN/pix2pix: 100)."),
    "reuse_fakes": flags.DEFINE_boolean(
        "reuse_fakes", False, "UNIT/MUNIT/CycleGAN: update G first and let the D update judge "
        "G's translations instead of translating again (junyanz's order; saves one generator "
        "pass per step). Off: the official order, each update with its own translations."),
}


def _explicit(holder) -> bool:
    return not FLAGS[holder.name].using_default_value


def _overrides(base, holders):
    """`base` with the explicitly set flags among `holders`; a set flag that `base` has no field
    for (e.g. --n_shared_enc with --family=munit) is refused by name."""
    fields = {f.name for f in dataclasses.fields(base)}
    explicit = {k: h for k, h in holders.items() if _explicit(h)}
    foreign = sorted(f"--{h.name}" for k, h in explicit.items() if k not in fields)
    if foreign:
        raise ValueError(f"{', '.join(foreign)} do(es) not apply to {type(base).__name__}")
    return dataclasses.replace(base, **{k: h.value for k, h in explicit.items()})


def to_config() -> C.ExperimentConfig:
    """The ExperimentConfig the parsed flags describe (raises ValueError naming a bad value):
    the family's defaults (config.defaults) with every explicitly given flag on top."""
    policy = OPTIM_FLAGS["lr_policy"]
    epochs_given = any(_explicit(OPTIM_FLAGS[k]) for k in ("n_epochs", "n_epochs_decay"))
    base = C.defaults(FAMILY.value, PRESET.value,
                      lr_policy=policy.value if _explicit(policy) and not epochs_given else None)
    model = _overrides(base.model, MODEL_FLAGS)
    if _explicit(DIRECTION):
        if not isinstance(model, C.Pix2PixConfig):
            raise ValueError(f"--direction does not apply to {type(model).__name__} (it is "
                             "pix2pix's; two-way models learn both directions)")
        model = dataclasses.replace(model, direction={"AtoB": "a2b", "BtoA": "b2a"}.get(
            DIRECTION.value, DIRECTION.value))
    if isinstance(model, C.NVLabsConfig):
        model = dataclasses.replace(model, dis=_overrides(model.dis, DIS_FLAGS))
    elif any(_explicit(h) for h in DIS_FLAGS.values()):
        given = sorted(f"--{h.name}" for h in DIS_FLAGS.values() if _explicit(h))
        raise ValueError(f"{', '.join(given)} do(es) not apply to {type(model).__name__} "
                         "(its discriminator flags are --netD, --ndf, --n_layers_D, --norm)")
    optim = _overrides(base.optim, OPTIM_FLAGS)
    max_steps = MAX_STEPS.value if _explicit(MAX_STEPS) else C.default_max_steps(optim)
    return C.ExperimentConfig(
        family=FAMILY.value, model=model, loss_weights=_overrides(base.loss_weights, WEIGHT_FLAGS),
        optim=optim, data=C.DataConfig(**_values(DATA_FLAGS)),
        runtime=C.RuntimeConfig(**_values(RUNTIME_FLAGS)),
        train=C.TrainConfig(max_steps=max_steps, **_values(TRAIN_FLAGS)),
        vgg_weights=VGG_WEIGHTS.value)


def _values(holders):
    return {k: h.value for k, h in holders.items()}


# The flag of each config field, for turning library messages into flag names.
FIELD_FLAGS = {
    **{f"model.{k}": h.name for k, h in MODEL_FLAGS.items()},
    "model.preset": PRESET.name,
    "model.direction": DIRECTION.name,
    **{f"model.dis.{k}": h.name for k, h in DIS_FLAGS.items()},
    **{f"loss_weights.{k}": h.name for k, h in WEIGHT_FLAGS.items()},
    **{f"optim.{k}": h.name for k, h in OPTIM_FLAGS.items()},
    **{f"data.{k}": h.name for k, h in DATA_FLAGS.items()},
    **{f"runtime.{k}": h.name for k, h in RUNTIME_FLAGS.items()},
    **{f"train.{k}": h.name for k, h in TRAIN_FLAGS.items()},
    "train.max_steps": MAX_STEPS.name,
    "vgg_weights": VGG_WEIGHTS.name,
}
_FIELD = re.compile(
    r"\b(?:model\.dis|model|loss_weights|optim|data|runtime|train)\.[A-Za-z_][A-Za-z0-9_]*")


def flag_names(message: str) -> str:
    """`message` with each config field that has a flag written as that flag
    ("data.crop_size=300" -> "--crop_size=300")."""
    return _FIELD.sub(lambda m: f"--{FIELD_FLAGS[m.group(0)]}" if m.group(0) in FIELD_FLAGS
                      else m.group(0), message)


def _flag_line(name, value) -> str:
    if isinstance(value, bool):
        return f"--{name}" if value else f"--no{name}"
    return f"--{name}={value}"


def run_flags_text(config: C.ExperimentConfig) -> str:
    """The flagfile of a run: `--family` and every flag whose config field this family has,
    with the run's values, so `--flagfile=<run>/flags.txt` rebuilds the same config."""
    fields = C.flatten(config.to_dict())
    lines = [_flag_line(FAMILY.name, config.family)]
    lines += [_flag_line(FIELD_FLAGS[path], value) for path, value in fields.items()
              if path in FIELD_FLAGS]
    return "# the flags of this run (unit-tf train writes it; --flagfile reads it back)\n" + \
        "\n".join(lines) + "\n"
