import json

import numpy as np
import pytest

from tests.conftest import FIXTURES, require
from unit_tf.config import MUNITConfig
from unit_tf.models import MUNIT
from unit_tf.official import CheckpointError, load_state_dict
from unit_tf.official.munit import load_official_munit


def nhwc(x):
    return np.transpose(x, (0, 2, 3, 1))


def styles(x):
    return np.asarray(x).reshape(x.shape[0], -1)  # [B, 8, 1, 1] -> [B, 8]


def pair(state):
    return {f"{d}/{k}": v for d in "ab" for k, v in state.items()}


def fixture_model():
    gen = json.loads(require(FIXTURES / "munit_adaingen.json").read_text())["params"]
    config = MUNITConfig(dim=gen["dim"], style_dim=gen["style_dim"], mlp_dim=gen["mlp_dim"],
                         n_downsample=gen["n_downsample"], n_res=gen["n_res"],
                         activ=gen["activ"], pad_type=gen["pad_type"])
    return MUNIT(config).build_networks()


def test_adaingen_parity_with_the_official_code():
    data = np.load(require(FIXTURES / "munit_adaingen.npz"))
    model = fixture_model()
    load_official_munit(model, pair(load_state_dict(str(FIXTURES / "munit_adaingen.npz"))))
    x = nhwc(data["input"])
    for d in "ab":
        content, style = model.encode(x, d)
        assert np.abs(content.numpy() - nhwc(data["content"])).max() <= 1e-4
        assert np.abs(style.numpy() - styles(data["style"])).max() <= 1e-4
        own = model.decode(content, style, d).numpy()
        assert np.abs(own - nhwc(data["output_own_style"])).max() <= 1e-4
        rand = model.decode(content, styles(data["style_random"]), d).numpy()
        assert np.abs(rand - nhwc(data["output_random_style"])).max() <= 1e-4


def test_guided_translation_uses_the_reference_style_exactly():
    data = np.load(require(FIXTURES / "munit_adaingen.npz"))
    model = fixture_model()
    load_official_munit(model, pair(load_state_dict(str(FIXTURES / "munit_adaingen.npz"))))
    x = nhwc(data["input"])
    reference = x[::-1]  # a target-domain image whose style code we know
    content, _ = model.encode(x, "a")
    _, reference_style = model.encode(reference, "b")
    guided = model.translate_guided(x, reference, "a2b").numpy()
    np.testing.assert_array_equal(guided, model.decode(content, reference_style, "b").numpy())
    assert np.abs(guided - nhwc(data["output_own_style"])[::-1]).max() > 1e-3  # style mattered


def test_pt_checkpoint_and_refusals():
    model = fixture_model()
    state = load_state_dict(str(require(FIXTURES / "munit_adaingen.npz")))
    extra = dict(state, **{"mlp.model.3.fc.weight": np.zeros((2, 2), np.float32)})
    with pytest.raises(CheckpointError, match=r"unexpected keys: mlp\.model\.3\.fc\.weight"):
        load_official_munit(model, pair(extra))
    short = {k: v for k, v in state.items() if k != "enc_style.model.6.bias"}
    with pytest.raises(CheckpointError, match=r"missing keys: enc_style\.model\.6\.bias"):
        load_official_munit(model, pair(short))
    pytest.importorskip("torch", reason="torch is an optional extra; .pt reading needs it")
    from_pt = load_state_dict(str(require(FIXTURES / "munit_adaingen.pt")))
    assert sorted(from_pt) == sorted(state)
