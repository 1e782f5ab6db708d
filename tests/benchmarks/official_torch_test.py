"""benchmarks/official_torch.py times the official networks in PyTorch: it must BE the official
networks, so the official parity fixtures are loaded into it and their outputs reproduced."""

import numpy as np
import pytest

from tests.benchmarks import load
from tests.conftest import FIXTURES, require

torch = pytest.importorskip("torch", reason="torch is an optional extra (make .venv/.torch-fid)")


def official_torch():
    return load("official_torch")


def state(npz):
    return {k[len("param/"):]: torch.from_numpy(npz[k]) for k in npz.files
            if k.startswith("param/")}


def test_the_torch_vaegen_is_the_official_one():
    data = np.load(require(FIXTURES / "unit_vaegen.npz"))
    gen = official_torch().VAEGen(dim=16, n_downsample=2, n_res=2, activ="relu")
    gen.load_state_dict(state(data), strict=True)  # every official key, nothing else
    gen.eval()
    with torch.no_grad():
        hidden, _ = gen.encode(torch.from_numpy(data["input"]))
        output = gen.decode(hidden)
    assert np.abs(hidden.numpy() - data["hidden"]).max() <= 1e-4
    assert np.abs(output.numpy() - data["output"]).max() <= 1e-4
    assert np.abs(output.numpy() - data["output"]).max() < 0.5 * np.abs(data["output"]).max()


def test_the_torch_msimagedis_is_the_official_one():
    data = np.load(require(FIXTURES / "unit_msimagedis.npz"))
    dis = official_torch().MsImageDis(dim=16, n_layer=3, num_scales=3)
    dis.load_state_dict(state(data), strict=True)
    with torch.no_grad():
        outputs = dis(torch.from_numpy(data["input"]))
    for i, out in enumerate(outputs):
        assert out.shape == data[f"output_{i}"].shape
        assert np.abs(out.numpy() - data[f"output_{i}"]).max() <= 1e-4


def test_one_official_iteration_updates_both_players_at_the_official_sizes():
    module = official_torch()
    iteration = module.OfficialUNITIteration(dim=8, n_res=1, dis_dim=8)
    # the official preset's parameter counts at dim 64, n_res 4 (as unit_tf's, README)
    assert sum(p.numel() for p in module.VAEGen().parameters()) == 11_140_483
    assert sum(p.numel() for p in module.MsImageDis().parameters()) == 8_271_171
    before = {name: [p.detach().clone() for p in net.parameters()]
              for name, net in (("g", iteration.gen_a), ("d", iteration.dis_b))}
    x_a, x_b = torch.rand(1, 3, 128, 128) * 2 - 1, torch.rand(1, 3, 128, 128) * 2 - 1
    d_loss, g_loss = iteration(x_a, x_b)
    assert np.isfinite(d_loss) and np.isfinite(g_loss) and d_loss > 0 and g_loss > 0
    for name, net in (("g", iteration.gen_a), ("d", iteration.dis_b)):
        changed = [not torch.equal(a, b) for a, b in zip(before[name], net.parameters())]
        assert all(changed), name
