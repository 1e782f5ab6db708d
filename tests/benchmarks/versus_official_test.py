"""The comparison arithmetic of benchmarks/versus_official.py on made-up measurements."""

import pytest

from tests.benchmarks import load


def test_speedups_are_official_over_ours_and_fractions_use_the_runs_best_peak():
    module = load("versus_official")
    official = {"matmul_peak_gflops": 200.0, "translate_256_ms": 500.0,
                "train": {"128": {"seconds_per_step": 4.0}, "256": {"seconds_per_step": 13.13}}}
    train = {"128": {"seconds_per_step": 2.0, "matmul_peak_gflops": 400.0},
             "256": {"seconds_per_step": 6.565, "matmul_peak_gflops": 380.0}}
    translate = {"default": {"matmul_peak_gflops": 390.0, "rows": [{"ms_per_image": 250.0}]},
                 "--convolutions=winograd_xla": {"matmul_peak_gflops": 395.0, "rows": [{"ms_per_image": 200.0}]}}
    rows, peak = module.compare(official, train, translate)
    assert peak == 400.0
    by_what = {r["what"].split(" ")[-1] if "train" in r["what"] else
               "winograd" if "winograd_xla" in r["what"] else "translate": r for r in rows}
    assert len(rows) == 4 and by_what["winograd"]["speedup"] == pytest.approx(2.5)
    assert by_what["128^2"]["speedup"] == pytest.approx(2.0)
    assert by_what["256^2"]["speedup"] == pytest.approx(2.0)
    assert by_what["translate"]["speedup"] == pytest.approx(2.0)
    # 656 GFLOP at 128^2 (2,626 at 256^2, scaled by pixels) in 2 s against 400 GFLOP/s
    assert by_what["128^2"]["ours_fraction_of_peak"] == pytest.approx(656.5 / 2.0 / 400.0)
    assert by_what["256^2"]["official_fraction_of_peak"] == pytest.approx(2626 / 13.13 / 400)
    assert by_what["translate"]["ours_fraction_of_peak"] == pytest.approx(142 / 0.25 / 400)


def test_translation_pairs_are_summarised_by_each_pairs_ratio_and_their_median():
    module = load("versus_official")
    pairs = [{"official_ms": 600.0, "ours_ms": 400.0}, {"official_ms": 450.0, "ours_ms": 500.0},
             {"official_ms": 800.0, "ours_ms": 400.0}]
    summary = module.pairs_summary(pairs)
    assert summary["speedups"] == [1.5, 0.9, 2.0] and summary["pairs"] == 3
    assert summary["median_speedup"] == pytest.approx(1.5)
    assert (summary["min_speedup"], summary["max_speedup"]) == (pytest.approx(0.9), 2.0)
    assert (summary["official_median_ms"], summary["ours_median_ms"]) == (600.0, 400.0)


def test_time_per_pixel_of_each_side_is_reported_by_size_with_its_spread():
    module = load("versus_official")
    official = {"train": {"256": {"seconds_per_step": 6.5536}, "64": {"seconds_per_step": 0.8192}}}
    train = {"64": {"seconds_per_step": 0.4096}, "256": {"seconds_per_step": 4.9152}}
    per_pixel = module.per_pixel(official, train)
    # 0.8192 s / 4096 px = 200 us; 6.5536 s / 65536 px = 100 us
    assert per_pixel["official"]["us_per_pixel"] == {"64": 200.0, "256": 100.0}
    assert per_pixel["official"]["per_pixel_spread"] == pytest.approx(1.0)
    assert per_pixel["ours"]["us_per_pixel"] == {"64": 100.0, "256": 75.0}
    assert per_pixel["ours"]["per_pixel_spread"] == pytest.approx(1 / 3, abs=1e-4)
    assert per_pixel["ours"]["per_pixel_spread_without_first"] == 0.0
    # official: slope (6.5536 - 0.8192) / 61440 px = 93.3 us/px; 0.8192 - 4096 * 93.3e-6 = 437 ms
    assert per_pixel["official"]["fixed_seconds_per_step"] == pytest.approx(0.4369, abs=1e-4)
    assert per_pixel["official"]["marginal_us_per_pixel"] == pytest.approx(93.333, abs=1e-3)
