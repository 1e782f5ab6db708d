import json

import numpy as np
import pytest
import tensorflow as tf

from tests.conftest import FIXTURES, require
from unit_tf.config import DiscriminatorConfig, unit_preset
from unit_tf.layers import upsample
from unit_tf.layers import winograd as winograd_module
from unit_tf.layers.instance_norm import FUSED_NORM_INFERENCE
from unit_tf.models import UNIT
from unit_tf.official import CheckpointError, load_official_unit, load_state_dict


def nhwc(x):
    return np.transpose(x, (0, 2, 3, 1))


def fixture_model():
    gen = json.loads(require(FIXTURES / "unit_vaegen.json").read_text())["params"]
    dis = json.loads((FIXTURES / "unit_msimagedis.json").read_text())["params"]
    config = unit_preset("official", dim=gen["dim"], n_downsample=gen["n_downsample"],
                         n_res=gen["n_res"], activ=gen["activ"], pad_type=gen["pad_type"],
                         dis=DiscriminatorConfig(dim=dis["dim"], n_layer=dis["n_layer"],
                                                 num_scales=dis["num_scales"], norm=dis["norm"],
                                                 activ=dis["activ"], pad_type=dis["pad_type"]))
    return UNIT(config).build_networks()


def pair(state):
    return {f"{d}/{k}": v for d in "ab" for k, v in state.items()}


NO_PHASES = 10 ** 9


@pytest.mark.parametrize("phases_from,winograd", [(None, None), (NO_PHASES, None), (0, None),
                                                  (0, "xla"), (0, "portable"),
                                                  (0, "portable_2x2")])
def test_vaegen_parity_with_the_official_code(phases_from, winograd, monkeypatch):
    # None: the shipped threshold (this fixture's 8x12 decoder stage runs plain, its 16x24 one
    # by phases); NO_PHASES: every decoder up-sampling stage plain; 0: every one by phases;
    # winograd: every 3x3 stride-1 convolution (res-blocks,
    # phases) by Winograd, with the F(4x4, 3x3) transforms of a default `unit-tf export`
    # ("portable"), the F(2x2, 3x3) ones of `--convolutions=winograd_2x2` ("portable_2x2") or
    # of `--convolutions=winograd_xla` ("xla", with its fused norms)
    if phases_from is not None:
        monkeypatch.setattr(upsample, "PHASES_MIN_INPUT_PIXELS", phases_from)
    if winograd:
        monkeypatch.setattr(winograd_module, "WINOGRAD_MIN_CHANNELS", 1)
        monkeypatch.setattr(winograd_module, "WINOGRAD_MIN_PIXELS", 1)
        monkeypatch.setattr(winograd_module.WINOGRAD_INFERENCE, "value", winograd)
        monkeypatch.setattr(FUSED_NORM_INFERENCE, "value", winograd == "xla")
    data = np.load(require(FIXTURES / "unit_vaegen.npz"))
    model = fixture_model()
    load_official_unit(model, gen_state=pair(load_state_dict(str(FIXTURES / "unit_vaegen.npz"))))
    x = nhwc(data["input"])
    for d in "ab":
        hidden = model.encode(x, d).numpy()
        out = model.decode(hidden, d).numpy()
        assert np.abs(hidden - nhwc(data["hidden"])).max() <= 1e-4
        assert np.abs(out - nhwc(data["output"])).max() <= 1e-4
    assert np.abs(model.translate(x, "a2b").numpy() - nhwc(data["output"])).max() <= 1e-4
    graph = tf.function(lambda v: model.translate(v, "a2b")).get_concrete_function(
        tf.constant(x)).graph
    op_types = {op.type for op in graph.get_operations()}
    assert ("DepthToSpace" in op_types) == (phases_from != NO_PHASES)
    assert ("BatchMatMulV2" in op_types) == bool(winograd)
    assert ("GatherV2" in op_types) == (winograd in ("portable", "portable_2x2"))


def test_msimagedis_parity_with_the_official_code():
    data = np.load(require(FIXTURES / "unit_msimagedis.npz"))
    model = fixture_model()
    load_official_unit(model,
                       dis_state=pair(load_state_dict(str(FIXTURES / "unit_msimagedis.npz"))))
    outputs = model.discriminate(nhwc(data["input"]), "b")
    assert len(outputs) == 3
    for i, out in enumerate(outputs):
        assert np.abs(out.numpy() - nhwc(data[f"output_{i}"])).max() <= 1e-4


def test_pt_file_is_read_weights_only_and_equals_the_npz():
    pytest.importorskip("torch", reason="torch is an optional extra; .pt reading needs it")
    from_pt = load_state_dict(str(require(FIXTURES / "unit_vaegen.pt")))
    from_npz = load_state_dict(str(FIXTURES / "unit_vaegen.npz"))
    assert sorted(from_pt) == sorted(from_npz)
    for key in from_npz:
        np.testing.assert_array_equal(from_pt[key], from_npz[key])


def test_pt_pair_checkpoint_loads(tmp_path):
    torch = pytest.importorskip("torch", reason="torch is an optional extra")
    state = load_state_dict(str(require(FIXTURES / "unit_vaegen.npz")))
    path = tmp_path / "gen_00000001.pt"
    torch.save({d: {k: torch.from_numpy(v) for k, v in state.items()} for d in "ab"}, path)
    model = load_official_unit(fixture_model(), gen_path=str(path))
    data = np.load(FIXTURES / "unit_vaegen.npz")
    out = model.translate(nhwc(data["input"]), "b2a").numpy()
    assert np.abs(out - nhwc(data["output"])).max() <= 1e-4


def test_unknown_missing_and_misshaped_keys_are_named():
    state = load_state_dict(str(require(FIXTURES / "unit_vaegen.npz")))
    bad = dict(state)
    bad["enc.model.9.conv.weight"] = np.zeros(3)
    del bad["dec.model.5.conv.bias"]
    bad["dec.model.2.norm.gamma"] = np.zeros(7, np.float32)
    model = fixture_model()
    before = [v.numpy().copy() for v in model.generator_variables]
    with pytest.raises(CheckpointError) as err:
        load_official_unit(model, gen_state=pair(bad))
    message = str(err.value)
    assert "unexpected keys: enc.model.9.conv.weight" in message
    assert "missing keys: dec.model.5.conv.bias" in message
    assert "dec.model.2.norm.gamma" in message and "mis-shaped" in message
    for v, old in zip(model.generator_variables, before):  # nothing half-loaded
        np.testing.assert_array_equal(v.numpy(), old)


def test_a_single_state_dict_is_refused_as_not_a_pair():
    state = load_state_dict(str(require(FIXTURES / "unit_vaegen.npz")))
    with pytest.raises(CheckpointError, match="expected a pair"):
        load_official_unit(fixture_model(), gen_state=state)


def test_missing_file_and_bad_extension(tmp_path):
    with pytest.raises(CheckpointError, match="does not exist"):
        load_state_dict(str(tmp_path / "nope.pt"))
    (tmp_path / "w.bin").write_bytes(b"x")
    with pytest.raises(CheckpointError, match="unknown checkpoint type"):
        load_state_dict(str(tmp_path / "w.bin"))
