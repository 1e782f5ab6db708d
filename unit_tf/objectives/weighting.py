"""Where loss weights are applied: the one place, for every model family."""

import dataclasses

import tensorflow as tf


def weight_of(weights, term: str) -> float:
    """The weight of term group `term`: the `<term>_w` field of a loss-weights dataclass."""
    name = f"{term}_w"
    if not hasattr(weights, name):
        raise KeyError(f"no weight {name!r} in {type(weights).__name__} for loss term {term!r}")
    return float(getattr(weights, name))


def weighted_total(terms: dict, weights):
    """sum over groups g of w_g * sum of that group's values.

    `terms` is {group: {key: scalar}} (e.g. {"recon_x": {"a": .., "b": ..}}); the weight of group
    g is `weights.<g>_w`. Groups whose weight is 0 contribute nothing.
    """
    parts = [weight_of(weights, group) * tf.add_n(list(values.values()))
             for group, values in terms.items() if weight_of(weights, group) != 0.0]
    return tf.add_n(parts) if parts else tf.constant(0.0)


def flatten_terms(terms: dict, prefix: str) -> dict:
    """{"recon_x": {"a": t}} -> {"<prefix>/recon_x/a": t}: the names logged for each term."""
    return {f"{prefix}/{group}/{key}": value
            for group, values in terms.items() for key, value in values.items()}


def active(weights, term: str) -> bool:
    return weight_of(weights, term) != 0.0


def as_dict(weights) -> dict:
    return dataclasses.asdict(weights)
