"""Measuring where the time goes: analytic FLOP counts of traced TensorFlow graphs."""

from unit_tf.profiling.flops import graph_flops, function_flops

__all__ = ["function_flops", "graph_flops"]
