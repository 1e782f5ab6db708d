"""benchmarks/speed_common.py: re-measuring some oneDNN settings keeps the others on file."""

import argparse
import json

from tests.benchmarks import load


def test_a_rerun_of_one_setting_keeps_the_other_settings(tmp_path, monkeypatch):
    module = load("speed_common")
    out = tmp_path / "result.json"
    out.write_text(json.dumps({"model": {"0": {"s": 4.0}, "1": {"s": 2.0}},
                               "other": {"unset": {"s": 9.0}}}))
    monkeypatch.setattr(module, "run_child", lambda script, args, setting: {"s": 1.5})
    args = argparse.Namespace(child=False, onednn="1", out=str(out))
    rows = module.per_onednn_setting("script.py", args, None, "model")
    assert rows == {"1": {"s": 1.5}}
    assert json.loads(out.read_text()) == {"model": {"0": {"s": 4.0}, "1": {"s": 1.5}},
                                           "other": {"unset": {"s": 9.0}}}
