from unit_tf.layers.inference_switch import InferenceSwitch


def test_on_enables_inference_and_restores_even_after_an_error():
    switch = InferenceSwitch()
    assert switch.wanted(True) and not switch.wanted(False) and not switch.wanted(None)
    with switch.on():
        assert switch.wanted(False) and switch.enabled
        with switch.on(False):
            assert not switch.wanted(False) and switch.wanted(True)
        assert switch.wanted(False)  # the outer setting is back
    assert not switch.wanted(False)
    try:
        with switch.on():
            raise RuntimeError("tracing failed")
    except RuntimeError:
        pass
    assert not switch.enabled


def test_switches_are_independent():
    first, second = InferenceSwitch(), InferenceSwitch()
    with first.on():
        assert first.wanted(False) and not second.wanted(False)


def test_the_value_given_is_kept_and_restored():
    switch = InferenceSwitch()
    assert switch.value is None
    with switch.on("portable"):
        assert switch.value == "portable" and switch.enabled
        with switch.on(None):
            assert switch.value is None and not switch.wanted(False)
        assert switch.value == "portable"
    assert switch.value is None and not switch.enabled
