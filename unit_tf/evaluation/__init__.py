"""Evaluation of trained translators (metrics that need a model, not a training step)."""

from unit_tf.evaluation.diversity import evaluate_diversity, mean_pairwise_l1

__all__ = ["evaluate_diversity", "mean_pairwise_l1"]
