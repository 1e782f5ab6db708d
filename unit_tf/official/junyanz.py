"""junyanz/pytorch-CycleGAN-and-pix2pix names (`ResnetGenerator`, `NLayerDiscriminator`) for
unit_tf's networks. Checkpoints (`latest_net_G_A.pth`, `latest_net_D_A.pth`) are single state
dicts."""

import keras

from unit_tf.official.assign import assign_state_dict, conv_params

# BatchNorm's counter is bookkeeping, not a parameter.
IGNORED_SUFFIXES = (".num_batches_tracked",)


def _norm_params(norm_layer, prefix):
    """BatchNorm2d: weight, bias, running_mean, running_var; affine-free IN: nothing."""
    if not isinstance(norm_layer, keras.layers.BatchNormalization):
        return {}
    return {f"{prefix}.weight": (norm_layer.gamma, "same"),
            f"{prefix}.bias": (norm_layer.beta, "same"),
            f"{prefix}.running_mean": (norm_layer.moving_mean, "same"),
            f"{prefix}.running_var": (norm_layer.moving_variance, "same")}


def _block(block, conv_index, prefix="model", layout="conv"):
    """A conv (or transposed conv) at `<prefix>.<i>` and its norm at `<prefix>.<i+1>`."""
    return {**conv_params(block.conv, f"{prefix}.{conv_index}", layout),
            **_norm_params(block.norm_layer, f"{prefix}.{conv_index + 1}")}


def resnet_generator_params(gen):
    """model.1 (after ReflectionPad 0), model.4, .7 (3 modules per down-sampling), model.10+i
    (ResnetBlock: conv_block.1 / .5, or .1 / .6 with dropout), then ConvTranspose blocks and the
    last conv after its ReflectionPad."""
    params = _block(gen.conv_in, 1)
    index = 4
    for block in gen.down:
        params.update(_block(block, index))
        index += 3
    second = 6 if gen.use_dropout else 5
    for block in gen.blocks:
        params.update(_block(block.block1, 1, f"model.{index}.conv_block"))
        params.update(_block(block.block2, second, f"model.{index}.conv_block"))
        index += 1
    for block in gen.up:
        params.update(_block(block, index, layout="conv_transpose"))
        index += 3
    params.update(conv_params(gen.conv_out.conv, f"model.{index + 1}"))
    return params


def unet_generator_params(gen):
    """The nested `UnetSkipConnectionBlock`s: level 0 is `model.model` (downconv .0, upconv .3);
    level k >= 1 is `model.model.1` + `.model.3` * (k - 1), with downconv .model.1, downnorm
    .model.2, upconv .model.5, upnorm .model.6 (innermost: upconv .model.3, upnorm .model.4)."""
    params = {**conv_params(gen.down[0].conv, "model.model.0"),
              **conv_params(gen.up[0].conv, "model.model.3", "conv_transpose")}
    last = gen.num_downs - 1
    for k in range(1, gen.num_downs):
        path = "model.model.1" + ".model.3" * (k - 1) + ".model"
        params.update(_block(gen.down[k], 1, path))
        params.update(_block(gen.up[k], 3 if k == last else 5, path, "conv_transpose"))
    return params


def patch_discriminator_params(dis):
    """model.0 (+ LeakyReLU), then 3 modules (conv, norm, LeakyReLU) per layer, then the logits."""
    params = conv_params(dis.blocks[0].conv, "model.0")
    index = 2
    for block in dis.blocks[1:]:
        params.update(_block(block, index))
        index += 3
    params.update(conv_params(dis.to_logits.conv, f"model.{index}"))
    return params


def load_junyanz(network, params_of, state, what):
    """Assign a single junyanz state dict into `network` (refusing mismatches by name)."""
    assign_state_dict(params_of(network), state, what, ignore=IGNORED_SUFFIXES)
    return network
