"""Measuring where the time goes: analytic FLOP counts of traced TensorFlow graphs."""

from unit_tf.profiling.flops import graph_flops, function_flops
from unit_tf.profiling.timing import best_seconds

__all__ = ["best_seconds", "function_flops", "graph_flops"]
