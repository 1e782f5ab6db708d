"""benchmarks/official_parity.py: our model loaded with the PyTorch official generator's weights
translates as it does, through the Keras model and an export whose 3x3 convolutions all run by
F(4x4, 3x3) Winograd (thresholds lowered for the narrow net)."""

import pytest

from tests.benchmarks import load


def test_the_official_weights_translate_alike_in_both_frameworks(monkeypatch):
    pytest.importorskip("torch", reason="torch is not installed (make .venv/.torch-fid)")
    import unit_tf.layers.winograd as winograd

    monkeypatch.setattr(winograd, "WINOGRAD_MIN_CHANNELS", 1)
    monkeypatch.setattr(winograd, "WINOGRAD_MIN_PIXELS", 1)
    module = load("official_parity")
    result = module.measure(64, seed=3, kinds=("winograd",), dim=8, n_res=1)
    assert sorted(result) == ["keras", "official_output", "winograd"]
    assert result["official_output"]["std"] > 1e-3  # a real image, not a constant
    for name in ("keras", "winograd"):
        assert result[name]["max_abs"] < 1e-4, name
        assert result[name]["mean_abs"] <= result[name]["max_abs"]
