"""Official NVlabs/MUNIT names (`AdaINGen`) for unit_tf's MUNIT networks."""

from unit_tf.models import DOMAINS
from unit_tf.official.assign import assign_state_dict, conv_block_params, conv_params
from unit_tf.official.state_dict import CheckpointError, load_state_dict
from unit_tf.official.unit import content_encoder_params, decoder_params, pair_of

# AdaptiveInstanceNorm2d keeps running statistics buffers it never uses in training mode (and
# MUNIT never switches it to eval): they carry no information, so they are accepted and ignored.
IGNORED_SUFFIXES = (".norm.running_mean", ".norm.running_var")


def style_encoder_params(encoder, prefix="enc_style"):
    """`StyleEncoder`: model.0..n conv blocks, model.(n+1) = AdaptiveAvgPool, model.(n+2) = the
    1x1 conv to style_dim (our Dense)."""
    params = {}
    for i, block in enumerate(encoder.blocks):
        params.update(conv_block_params(block, f"{prefix}.model.{i}"))
    params.update(conv_params(encoder.to_style, f"{prefix}.model.{len(encoder.blocks) + 1}",
                              layout="conv1x1_dense"))
    return params


def mlp_params(mlp, prefix="mlp"):
    params = {}
    for i, dense in enumerate(mlp.dense):
        params.update(conv_params(dense, f"{prefix}.model.{i}.fc", layout="linear"))
    return params


def adaingen_params(model, domain):
    """All `AdaINGen` keys (enc_style.*, enc_content.*, dec.*, mlp.*) of one domain."""
    return {**style_encoder_params(model.style_encoders[domain]),
            **content_encoder_params(model.content_encoders[domain], "enc_content"),
            **decoder_params(model.decoders[domain]),
            **mlp_params(model.mlps[domain])}


def load_official_munit(model, gen_state=None, *, gen_path=None, domains=DOMAINS):
    """Fill a built unit_tf MUNIT from an official `gen_XXXXXXXX.pt` ({'a': AdaINGen state,
    'b': ...}) given as a path or a loaded dict. Unknown, missing or mis-shaped keys are refused
    by name before anything is assigned."""
    if gen_path:
        gen_state = load_state_dict(gen_path)
    if gen_state is None:
        raise CheckpointError("load_official_munit needs gen_state or gen_path")
    for d, state in pair_of(gen_state, gen_path or "generator checkpoint").items():
        if d in domains:
            assign_state_dict(adaingen_params(model, d), state, f"AdaINGen '{d}'",
                              ignore=IGNORED_SUFFIXES)
    return model
