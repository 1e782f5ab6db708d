"""Official mingyuliutw/UNIT master names (`VAEGen`, `MsImageDis`) for unit_tf's UNIT networks."""

from unit_tf.models import DOMAINS
from unit_tf.official.assign import assign_state_dict, conv_block_params, conv_params
from unit_tf.official.state_dict import (CheckpointError, has_prefixes, load_state_dict,
                                         select_prefix)


def res_blocks_params(blocks, prefix):
    """`ResBlocks`: `<prefix>.model.<i>.model.{0,1}.conv` for each block in order."""
    params = {}
    for i, block in enumerate(blocks):
        for j, sub in enumerate((block.block1, block.block2)):
            params.update(conv_block_params(sub, f"{prefix}.model.{i}.model.{j}"))
    return params


def content_encoder_params(encoder, prefix="enc"):
    params = {}
    for i, block in enumerate(encoder.front):
        params.update(conv_block_params(block, f"{prefix}.model.{i}"))
    blocks = encoder.res_blocks + encoder.shared
    params.update(res_blocks_params(blocks, f"{prefix}.model.{len(encoder.front)}"))
    return params


def decoder_params(decoder, prefix="dec"):
    params = res_blocks_params(decoder.shared + decoder.res_blocks, f"{prefix}.model.0")
    for k, up in enumerate(decoder.up_blocks):  # model.1 = Upsample, model.2 = Conv2dBlock, ...
        params.update(conv_block_params(up.block, f"{prefix}.model.{2 + 2 * k}"))
    params.update(conv_block_params(decoder.conv_out,
                                    f"{prefix}.model.{1 + 2 * len(decoder.up_blocks)}"))
    return params


def vaegen_params(model, domain):
    """All `VAEGen` keys (`enc.*`, `dec.*`) of one domain."""
    return {**content_encoder_params(model.encoders[domain]),
            **decoder_params(model.decoders[domain])}


def msimagedis_params(discriminator):
    params = {}
    for s, scale in enumerate(discriminator.scales):
        for j, block in enumerate(scale.blocks):
            params.update(conv_block_params(block, f"cnns.{s}.{j}"))
        params.update(conv_params(scale.to_logits, f"cnns.{s}.{len(scale.blocks)}"))
    return params


def pair_of(state, what):
    if not has_prefixes(state, DOMAINS):
        raise CheckpointError(
            f"{what}: expected a pair {{'a': state_dict, 'b': state_dict}} (or 'a/'- and "
            f"'b/'-prefixed .npz keys); found keys like {', '.join(sorted(state)[:5])}")
    return {d: select_prefix(state, d) for d in DOMAINS}


def load_official_unit(model, gen_state=None, dis_state=None, *, gen_path=None, dis_path=None):
    """Fill a built unit_tf UNIT (preset 'official', no shared blocks) from official checkpoints.

    gen: `gen_XXXXXXXX.pt` = {'a': VAEGen state, 'b': VAEGen state}; dis: `dis_XXXXXXXX.pt` =
    {'a': MsImageDis state, 'b': ...}. Either may be given as a path or an already-loaded dict.
    """
    if model.shared_encoder_blocks or model.shared_decoder_blocks:
        raise CheckpointError("official UNIT checkpoints have no shared layers; build the model "
                              "with preset 'official' (n_shared_enc = n_shared_dec = 0)")
    if gen_path:
        gen_state = load_state_dict(gen_path)
    if dis_path:
        dis_state = load_state_dict(dis_path)
    if gen_state is not None:
        for d, state in pair_of(gen_state, gen_path or "generator checkpoint").items():
            assign_state_dict(vaegen_params(model, d), state, f"VAEGen '{d}'")
    if dis_state is not None:
        for d, state in pair_of(dis_state, dis_path or "discriminator checkpoint").items():
            assign_state_dict(msimagedis_params(model.discriminators[d]), state,
                              f"MsImageDis '{d}'")
    return model

