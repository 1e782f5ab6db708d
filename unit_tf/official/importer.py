"""An official generator checkpoint -> a built unit_tf model holding it, sized from the
checkpoint itself: the {'a', 'b'} pair of UNIT/MUNIT `gen_XXXXXXXX.pt`, or the single state dicts
of junyanz CycleGAN (`latest_net_G_A.pth`, optionally `latest_net_G_B.pth`) and pix2pix
(`latest_net_G.pth`)."""

import tensorflow as tf

from unit_tf.config import MUNITConfig, unit_preset
from unit_tf.models import DOMAINS, MUNIT, UNIT
from unit_tf.models.translator import Translator
from unit_tf.networks import ResnetGenerator, UnetGenerator
from unit_tf.official.assign import assign_state_dict
from unit_tf.official.config import (infer_munit_generator, infer_resnet_generator,
                                     infer_unet_generator, infer_unit_generator)
from unit_tf.official.junyanz import load_junyanz, resnet_generator_params, unet_generator_params
from unit_tf.official.munit import IGNORED_SUFFIXES, adaingen_params
from unit_tf.official.state_dict import CheckpointError, load_state_dict
from unit_tf.official.unit import pair_of, vaegen_params

# family -> (sizes from a state dict, model from sizes, {key: variable} of one domain, ignored)
FAMILIES = {
    "unit": (infer_unit_generator, lambda gen, seed: UNIT(unit_preset("official", **gen), seed),
             vaegen_params, ()),
    "munit": (infer_munit_generator, lambda gen, seed: MUNIT(MUNITConfig(**gen), seed),
              adaingen_params, IGNORED_SUFFIXES),
}
PARAMETER_FREE = ("activ", "pad_type")  # not in a state dict: from the YAML, else the defaults

# junyanz family -> (sizes from a state dict, generator from sizes, {key: variable}, stride)
JUNYANZ = {
    "cyclegan": (infer_resnet_generator,
                 lambda g: ResnetGenerator(g["output_dim"], g["ngf"], g["n_blocks"], g["norm"],
                                           g["use_dropout"], g["n_downsampling"]),
                 resnet_generator_params, lambda g: 2 ** g["n_downsampling"]),
    "pix2pix": (infer_unet_generator,
                lambda g: UnetGenerator(g["output_dim"], g["num_downs"], g["ngf"], g["norm"]),
                unet_generator_params, lambda g: 2 ** g["num_downs"]),
}


def import_official(family, checkpoint, yaml_config=None, seed=0, direction="a2b",
                    checkpoint_b2a=None):
    """(model, sizes) for an official generator checkpoint of `family`.

    unit / munit: the {'a', 'b'} pair of `gen_*.pt` (or .npz); generator sizes come from the
    checkpoint, `activ` and `pad_type` from the official YAML's `gen:` section when given (a size
    there that contradicts the checkpoint is refused). Discriminators are not in a generator
    checkpoint and stay freshly initialised. For UNIT, `translate` is dec_b(enc_a(x)) without
    latent noise, as the official test.py.
    cyclegan / pix2pix: a single junyanz state dict translating `direction`; CycleGAN's G_B may
    come as `checkpoint_b2a` beside an a2b `checkpoint`.
    """
    if family in JUNYANZ:
        checkpoints = {direction: checkpoint}
        if checkpoint_b2a:
            if family != "cyclegan" or direction != "a2b":
                raise ValueError("--checkpoint_b2a is CycleGAN's G_B, beside an a2b --checkpoint")
            checkpoints["b2a"] = checkpoint_b2a
        return import_junyanz(family, checkpoints)
    if checkpoint_b2a or direction != "a2b":
        raise ValueError(f"--family={family}: a gen_*.pt pair holds both directions; "
                         "--direction and --checkpoint_b2a are for cyclegan/pix2pix")
    if family not in FAMILIES:
        raise ValueError(f"--family={family!r}: importable families are "
                         f"{', '.join([*FAMILIES, *JUNYANZ])}")
    infer, build, params_of, ignore = FAMILIES[family]
    state = pair_of(load_state_dict(checkpoint), checkpoint)
    gen = infer(state["a"])
    if gen != infer(state["b"]):
        raise CheckpointError(f"{checkpoint}: the 'a' and 'b' generators differ in size")
    section = (yaml_config or {}).get("gen") or {}
    for key, value in section.items():
        if key in PARAMETER_FREE:
            gen[key] = value
        elif key in gen and value != gen[key]:
            raise CheckpointError(f"{checkpoint}: the config says gen.{key}={value} but the "
                                  f"checkpoint has {gen[key]}")
    model = build(gen, seed).build_networks()
    for d in DOMAINS:
        assign_state_dict(params_of(model, d), state[d], f"{family} generator '{d}'",
                          ignore=ignore)
    return model, gen


def import_junyanz(family, checkpoints):
    """(Translator, sizes) from junyanz generator state dicts keyed by direction, e.g.
    {"a2b": "latest_net_G_A.pth", "b2a": "latest_net_G_B.pth"} (CycleGAN) or {"a2b":
    "latest_net_G.pth"} (pix2pix AtoB). BatchNorm runs on its stored statistics (eval mode)."""
    infer, build, params_of, stride_of = JUNYANZ[family]
    generators, sizes = {}, {}
    for direction, path in checkpoints.items():
        state = load_state_dict(path)
        sizes[direction] = infer(state)
        generator = build(sizes[direction])
        side = max(stride_of(sizes[direction]), 16)
        generator(tf.zeros([1, side, side, sizes[direction]["input_dim"]]))
        load_junyanz(generator, params_of, state, f"{family} generator {direction} ({path})")
        generators[direction] = generator
    strides = {stride_of(g) for g in sizes.values()}
    model = Translator(generators, family, max(strides), name=family)
    return model, sizes
