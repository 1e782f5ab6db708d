"""Every training flag (FlagHolder style) and `to_config()`, the one place flags become config.

`--family` picks the model family and with it the base architecture, loss weights and optimiser
(CycleGAN/pix2pix: junyanz's, Adam 2e-4 and 100 + 100 epochs); `--preset` picks UNIT's. A flag
given explicitly (on the command line or in a flagfile) overrides the base value; a flag that the
family does not have is refused by name.
"""

import dataclasses

from absl import flags

from unit_tf import config as C

FLAGS = flags.FLAGS

# Run
MODEL_DIR = flags.DEFINE_string("model_dir", "runs/unit", "Run directory: checkpoints, "
                                "TensorBoard logs, samples, config.json and flags.txt.")
MAX_STEPS = flags.DEFINE_integer("max_steps", 1000, "Total training steps (iterations); when "
                                 "not given and --n_epochs/--n_epochs_decay are (CycleGAN/pix2pix"
                                 " by default), their total epochs.")
CHECKPOINT_EVERY = flags.DEFINE_integer("checkpoint_every", 1000, "Steps between checkpoints.")
KEEP_CHECKPOINTS = flags.DEFINE_integer("keep_checkpoints", 3, "Checkpoints kept (newest).")
LOG_EVERY = flags.DEFINE_integer("log_every", 10, "Steps between progress lines (non-tty).")
SUMMARY_EVERY = flags.DEFINE_integer("summary_every", 100, "Steps between TensorBoard scalars.")
SAMPLE_EVERY = flags.DEFINE_integer("sample_every", 1000, "Steps between sample grids.")
NUM_SAMPLES = flags.DEFINE_integer("num_samples", 4, "Images per domain in sample grids.")
EXPORT_DIR = flags.DEFINE_string("export_dir", "", "If set, export a versioned SavedModel to "
                                 "this base directory (e.g. savedmodels/NAME) when training ends.")
PROGRESS = flags.DEFINE_bool("progress", True, "Show a progress line on the terminal.")
RESUME = flags.DEFINE_bool("resume", True, "Continue from the run directory's latest checkpoint "
                           "when it has one; --noresume refuses to touch an existing run.")
# Runtime
SEED = flags.DEFINE_integer("seed", 0, "Random seed (weights, data order, augmentation, noise).")
DETERMINISTIC = flags.DEFINE_bool("deterministic", False, "Enable TF's deterministic ops, so "
                                  "equal seeds give equal weights.")
PRECISION = flags.DEFINE_enum("precision", "float32", list(C.PRECISIONS),
                              "Numerics: mixed_float16 adds loss scaling (GPUs).")
STRATEGY = flags.DEFINE_enum("strategy", "default", list(C.STRATEGIES),
                             "tf.distribute strategy; multi_worker reads TF_CONFIG.")
JIT_COMPILE = flags.DEFINE_bool("jit_compile", False, "XLA-compile the per-replica step.")
# Data
DATA_SOURCE = flags.DEFINE_enum("data_source", "folder", ["folder", "npz", "tfds"],
                                "Where images come from.")
DATA_DIR = flags.DEFINE_string("data_dir", "", "Folder with trainA/ trainB/ (testA/ testB/), "
                                "or with --layout=side_by_side train/ (test/ or val/).")
LAYOUT = flags.DEFINE_enum("layout", "domains", list(C.LAYOUTS), "domains: trainA/ trainB/ "
                           "folders; side_by_side: A|B images (left half A), the pix2pix layout "
                           "(pix2pix trains on the pairs, the other families on halves of "
                           "different images).")
RESIZE = flags.DEFINE_enum("resize", "short_side", list(C.RESIZES), "short_side: resize the "
                           "short side to --load_size (UNIT/MUNIT); square: to load_size x "
                           "load_size (junyanz resize_and_crop).")
NPZ_A = flags.DEFINE_string("npz_a", "", "Domain A images as file.npz:key (data_source=npz).")
NPZ_B = flags.DEFINE_string("npz_b", "", "Domain B images as file.npz:key (data_source=npz).")
TFDS_NAME = flags.DEFINE_string("tfds_name", "", "Prepared TFDS dataset, e.g. "
                                "cycle_gan/horse2zebra (never downloaded at run time).")
TFDS_DATA_DIR = flags.DEFINE_string("tfds_data_dir", "", "TFDS data_dir holding it.")
LOAD_SIZE = flags.DEFINE_integer("load_size", 256, "Resize the short side to this.")
CROP_SIZE = flags.DEFINE_integer("crop_size", 256, "Random square crop side.")
BATCH_SIZE = flags.DEFINE_integer("batch_size", 1, "Global batch size.")
FLIP = flags.DEFINE_bool("flip", True, "Random horizontal flips.")
# Model
FAMILY = flags.DEFINE_enum("family", "unit", list(C.FAMILY_CONFIGS),
                           "Model family: unit, munit (content/style, multimodal), cyclegan or "
                           "pix2pix (paired, --layout=side_by_side).")
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
                                  list(dict.fromkeys(C.GAN_TYPES + C.JUNYANZ_GAN_TYPES)),
                                  "Adversarial loss: unit/munit lsgan|nsgan|hinge (preset paper: "
                                  "nsgan); cyclegan/pix2pix lsgan|vanilla|wgangp (pix2pix: "
                                  "vanilla)."),
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
                          ("pix2pix", C.Pix2PixLossWeights)):
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
    """The ExperimentConfig the parsed flags describe (raises ValueError naming a bad value)."""
    if FAMILY.value != "unit" and PRESET.value != "official":
        raise ValueError(f"--preset={PRESET.value} is a UNIT preset; {FAMILY.value} has "
                         "'official' only")
    if FAMILY.value != "unit":
        model_class, weights_class = C.FAMILY_CONFIGS[FAMILY.value]
        model, weights = model_class(), weights_class()
    else:
        model = C.unit_preset(PRESET.value)
        weights = C.paper_loss_weights() if PRESET.value == "paper" else C.UNITLossWeights()
    model = _overrides(model, MODEL_FLAGS)
    if _explicit(DIRECTION):
        if not hasattr(model, "direction"):
            raise ValueError(f"--direction does not apply to {type(model).__name__} (it is "
                             "pix2pix's; two-way models learn both directions)")
        model = dataclasses.replace(model, direction={"AtoB": "a2b", "BtoA": "b2a"}.get(
            DIRECTION.value, DIRECTION.value))
    if hasattr(model, "dis"):
        model = dataclasses.replace(model, dis=_overrides(model.dis, DIS_FLAGS))
    elif any(_explicit(h) for h in DIS_FLAGS.values()):
        given = sorted(f"--{h.name}" for h in DIS_FLAGS.values() if _explicit(h))
        raise ValueError(f"{', '.join(given)} do(es) not apply to {type(model).__name__} "
                         "(its discriminator flags are --netD, --ndf, --n_layers_D, --norm)")
    weights = _overrides(weights, WEIGHT_FLAGS)
    if FAMILY.value in C.JUNYANZ_FAMILIES:
        policy = OPTIM_FLAGS["lr_policy"]
        epochs = ("n_epochs", "n_epochs_decay")
        if _explicit(policy) and policy.value != "linear" and not any(
                _explicit(OPTIM_FLAGS[k]) for k in epochs):
            optim = C.junyanz_optim(n_epochs=0, n_epochs_decay=0)  # another policy, by steps
        else:
            optim = C.junyanz_optim()
    elif PRESET.value == "paper" and not _explicit(OPTIM_FLAGS["lr_policy"]):
        optim = C.OptimConfig(lr_policy="constant")  # version_02 has no LR decay
    else:
        optim = C.OptimConfig()
    optim = _overrides(optim, OPTIM_FLAGS)
    max_steps = MAX_STEPS.value
    if optim.epoch_schedule and not _explicit(MAX_STEPS):
        max_steps = -1  # the epochs decide
    return C.ExperimentConfig(
        family=FAMILY.value, model=model, loss_weights=weights, optim=optim,
        data=C.DataConfig(source=DATA_SOURCE.value, data_dir=DATA_DIR.value,
                          layout=LAYOUT.value, resize=RESIZE.value, npz_a=NPZ_A.value,
                          npz_b=NPZ_B.value, tfds_name=TFDS_NAME.value,
                          tfds_data_dir=TFDS_DATA_DIR.value, load_size=LOAD_SIZE.value,
                          crop_size=CROP_SIZE.value, batch_size=BATCH_SIZE.value,
                          flip=FLIP.value),
        runtime=C.RuntimeConfig(strategy=STRATEGY.value, precision=PRECISION.value,
                                jit_compile=JIT_COMPILE.value, seed=SEED.value,
                                deterministic=DETERMINISTIC.value),
        train=C.TrainConfig(model_dir=MODEL_DIR.value, max_steps=max_steps,
                            checkpoint_every=CHECKPOINT_EVERY.value,
                            keep_checkpoints=KEEP_CHECKPOINTS.value, log_every=LOG_EVERY.value,
                            summary_every=SUMMARY_EVERY.value, sample_every=SAMPLE_EVERY.value,
                            num_samples=NUM_SAMPLES.value, export_dir=EXPORT_DIR.value,
                            progress=PROGRESS.value),
        vgg_weights=VGG_WEIGHTS.value)
