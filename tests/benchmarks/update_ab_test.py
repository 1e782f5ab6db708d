"""benchmarks/update_ab.py compares like with like: for each --change its 'earlier' step computes
the same update as the current one (to float rounding), and tracing it leaves the library as it
was."""

import numpy as np
import pytest
import tensorflow as tf

from tests.benchmarks import load


@pytest.mark.large  # builds and traces two official-size UNIT steps (~1 minute each)
@pytest.mark.parametrize("change", ["update", "winograd", "f4x4", "f4_everywhere"])
def test_the_earlier_formulation_makes_the_same_update_and_restores_the_library(tmp_path,
                                                                                change):
    import unit_tf.layers.conv_block as conv_block
    import unit_tf.layers.upsample as upsample
    import unit_tf.layers.winograd as winograd
    import unit_tf.training.step as step_module
    from tests.layers.winograd_test import xla_functions
    from unit_tf.training import build_training

    module = load("update_ab")
    config = module.experiment("unit", "official", 64, 1, "float32", False, str(tmp_path))
    model, current, _ = build_training(config, tf.distribute.get_strategy())
    current.build()
    make_earlier, trace_earlier = module.EARLIER[change]
    earlier = make_earlier(current, config.optim)
    batch = {d: tf.random.stateless_uniform([1, 64, 64, 3], [i, 7], -1.0, 1.0)
             for i, d in enumerate("ab")}
    library = (step_module.l2_penalty, upsample._outer_lines_scattered,
               winograd.WINOGRAD_MIN_CHANNELS, winograd.WINOGRAD_F4_MIN_PIXELS,
               conv_block.winograd_transforms, upsample.winograd_transforms)
    start = [v.numpy() for v in model.trainable_variables]

    def one_update(step, compiled):
        for v, s in zip(model.trainable_variables, start):
            v.assign(s)
        for optimizer in step.optimizers.values():
            for slot in optimizer.variables:
                slot.assign(tf.zeros_like(slot))
        # the latent noise is drawn from a seed generator that moves on: reset it too
        for v in model.non_trainable_variables:
            v.assign(initial_state[v.path])
        logs = compiled(batch)
        return logs, [v.numpy() for v in model.trainable_variables]

    initial_state = {v.path: v.numpy() for v in model.non_trainable_variables}
    compiled_current = tf.function(current.__call__)
    logs_c, after_c = one_update(current, compiled_current)
    compiled_earlier = trace_earlier(earlier, batch)
    logs_e, after_e = one_update(earlier, compiled_earlier)
    assert (step_module.l2_penalty, upsample._outer_lines_scattered,
            winograd.WINOGRAD_MIN_CHANNELS, winograd.WINOGRAD_F4_MIN_PIXELS,
            conv_block.winograd_transforms, upsample.winograd_transforms) == library
    if change == "winograd":  # the res-blocks' 3x3 256->256 convolutions: by Winograd or not
        def op_types(compiled):
            return {op.type for op in compiled.get_concrete_function(batch).graph
                    .get_operations()}
        assert "BatchMatMulV2" in op_types(compiled_current)
        assert "BatchMatMulV2" not in op_types(compiled_earlier)
    if change == "f4x4":  # the earlier step's transforms are XLA functions, the current's not
        assert not xla_functions(compiled_current.get_concrete_function(batch))
        assert xla_functions(compiled_earlier.get_concrete_function(batch))
    if change == "f4_everywhere":  # 16x16 maps: F(2x2, 3x3)'s 16 products, or F(4x4, 3x3)'s 36
        def product_counts(compiled):
            graph = compiled.get_concrete_function(batch).graph
            ops = list(graph.get_operations())
            for function in graph._functions.values():
                ops += function.graph.get_operations()
            return {op.inputs[0].shape[0] for op in ops if op.type == "BatchMatMulV2"}
        assert {16, 36} <= product_counts(compiled_current)
        assert 16 not in product_counts(compiled_earlier)
    for key in logs_c:
        np.testing.assert_allclose(float(logs_e[key]), float(logs_c[key]), rtol=1e-4,
                                   err_msg=key)
    # Adam's first step moves each weight by lr * sign(gradient) (lr 1e-4). Gradients that are
    # float noise around 0 (biases before instance norm) may take either sign in either
    # formulation; every other weight must move alike.
    current_move = np.concatenate([(a - s).ravel() for a, s in zip(after_c, start)])
    earlier_move = np.concatenate([(a - s).ravel() for a, s in zip(after_e, start)])
    assert np.median(np.abs(current_move)) > 5e-5
    differs = np.abs(current_move - earlier_move) > 1e-6
    assert differs.mean() < 0.01, differs.mean()
