"""Where loss weights are applied: the one place, for every model family."""

import dataclasses

import tensorflow as tf


def weight_of(weights, group: str, key=None, player: str = "g") -> float:
    """The weight of term `group[key]` of `player`.

    A loss-weights dataclass either names one weight per group, `<group>_w` (UNIT, MUNIT: the
    same for both players and every key), or defines `term_weight(player, group, key)` (the
    junyanz families: per-domain lambdas and the halved D loss); key None asks for the group's
    largest weight.
    """
    if hasattr(weights, "term_weight"):
        return float(weights.term_weight(player, group, key))
    name = f"{group}_w"
    if not hasattr(weights, name):
        raise KeyError(f"no weight {name!r} in {type(weights).__name__} for loss term {group!r}")
    return float(getattr(weights, name))


def weighted_total(terms: dict, weights, player: str = "g"):
    """sum over groups g and keys k of w(g, k) * terms[g][k].

    `terms` is {group: {key: scalar}} (e.g. {"recon_x": {"a": .., "b": ..}}). Terms whose weight
    is 0 contribute nothing.
    """
    parts = []
    for group, values in terms.items():
        for key, value in values.items():
            weight = weight_of(weights, group, key, player)
            if weight != 0.0:
                parts.append(weight * value)
    return tf.add_n(parts) if parts else tf.constant(0.0)


def flatten_terms(terms: dict, prefix: str) -> dict:
    """{"recon_x": {"a": t}} -> {"<prefix>/recon_x/a": t}: the names logged for each term."""
    return {f"{prefix}/{group}/{key}": value
            for group, values in terms.items() for key, value in values.items()}


def active(weights, group: str, player: str = "g") -> bool:
    """Whether any term of `group` has a non-zero weight (inactive terms are not computed)."""
    if hasattr(weights, "term_weight"):
        try:
            return weight_of(weights, group, None, player) != 0.0
        except KeyError:
            return False  # a group this family does not have
    return weight_of(weights, group) != 0.0


def as_dict(weights) -> dict:
    return dataclasses.asdict(weights)
