"""Where loss weights are applied: the one place, for every model family.

Every loss-weights config answers `term_weight(player, group, key)` (config/checks.py for the
NVlabs `<group>_w` weights, config/junyanz.py for the per-domain lambdas); nothing else is read.
"""

import tensorflow as tf


def weighted_total(terms: dict, weights, player: str = "g"):
    """sum over groups g and keys k of w(g, k) * terms[g][k].

    `terms` is {group: {key: scalar}} (e.g. {"recon_x": {"a": .., "b": ..}}). Terms whose weight
    is 0 contribute nothing.
    """
    parts = []
    for group, values in terms.items():
        for key, value in values.items():
            weight = weights.term_weight(player, group, key)
            if weight != 0.0:
                parts.append(weight * value)
    return tf.add_n(parts) if parts else tf.constant(0.0)


def flatten_terms(terms: dict, prefix: str) -> dict:
    """{"recon_x": {"a": t}} -> {"<prefix>/recon_x/a": t}: the names logged for each term."""
    return {f"{prefix}/{group}/{key}": value
            for group, values in terms.items() for key, value in values.items()}


def active(weights, group: str, player: str = "g") -> bool:
    """Whether any term of `group` has a non-zero weight (inactive terms are not computed); a
    group the family does not have is inactive."""
    try:
        return weights.term_weight(player, group, None) != 0.0
    except KeyError:
        return False
