"""benchmarks/speed_common.py: re-measuring some oneDNN settings keeps the others on file; the
thread flags."""

import argparse
import json

from tests.benchmarks import BENCHMARKS, load


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


def test_threads_set_only_intra_op_unless_asked_so_ops_run_side_by_side_as_for_a_user():
    """--threads alone leaves TF's inter-op default (what unit-tf train and a loaded
    SavedModel run with); --inter_op_threads=1 forces one op at a time. Fresh processes: TF
    fixes its threads when its runtime starts."""
    import subprocess
    import sys

    benchmarks = str(BENCHMARKS)

    def facts(threads, inter_op_threads):
        code = (f"import sys; sys.path.insert(0, {benchmarks!r}); import speed_common as s; "
                f"s.set_threads({threads}, {inter_op_threads}); import json; "
                "print(json.dumps(s.thread_facts()))")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    assert facts(2, 0) == {"intra_op_threads": 2, "inter_op_threads": 0}
    assert facts(2, 1) == {"intra_op_threads": 2, "inter_op_threads": 1}


def test_flatness_is_the_per_pixel_spread_with_and_without_the_smallest_size():
    speed_common = load("speed_common")
    series = speed_common.per_pixel_series({"128": 1.6384, "64": 0.8192, "256": 5.24288}, batch=2)
    assert [p["size"] for p in series] == [64, 128, 256]
    # 0.8192 / (2 * 4096) = 100 us, 1.6384 / (2 * 16384) = 50 us, 5.24288 / (2 * 65536) = 40 us
    assert [round(p["us_per_pixel"], 6) for p in series] == [100.0, 50.0, 40.0]
    assert speed_common.flatness(series) == {"per_pixel_spread": 1.5,
                                             "per_pixel_spread_without_first": 0.25}
    assert speed_common.flatness(series[:1])["per_pixel_spread_without_first"] is None


def test_linear_cost_splits_a_steps_time_into_a_fixed_part_and_a_cost_per_pixel():
    speed_common = load("speed_common")
    # 0.3 s + 80 us per pixel, exactly, at three sizes (and the fit ignores the order given)
    series = speed_common.per_pixel_series({str(s): 0.3 + 80e-6 * s * s for s in (256, 64, 128)})
    fit = speed_common.linear_cost(series)
    assert fit == {"fixed_seconds_per_step": 0.3, "marginal_us_per_pixel": 80.0}
    # batch counts in the pixels: two images of 64^2 are 8,192 pixels
    two = speed_common.per_pixel_series({"64": 0.3 + 80e-6 * 8192, "128": 0.3 + 80e-6 * 32768},
                                        batch=2)
    assert speed_common.linear_cost(two) == fit
    assert speed_common.linear_cost(series[:1])["fixed_seconds_per_step"] is None
