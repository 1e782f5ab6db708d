"""The command line, run as a user runs it: subprocesses from the project root."""

import os
import importlib.util
import json
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

from tests.conftest import DATASETS, FIXTURES, PROJECT_ROOT, require


def unit_tf(*args, check=True):
    # oneDNN on, TF's default on recent x86 CPUs (the library tests run with it off:
    # tests/conftest.py)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "1"}
    result = subprocess.run([sys.executable, "-m", "unit_tf.cli.main", *args], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, env=env, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"unit-tf {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result


def test_help_lists_commands_and_flags():
    top = unit_tf("--help")
    assert all(c in top.stdout for c in ("train", "translate", "export", "tflite"))
    train_help = unit_tf("train", "--help")
    for flag in ("--model_dir", "--max_steps", "--checkpoint_every", "--seed", "--[no]deterministic",
                 "--precision", "--strategy", "--[no]jit_compile", "--data_dir", "--load_size",
                 "--crop_size", "--batch_size", "--gan_w", "--recon_kl_cyc_w"):
        assert flag in train_help.stdout, flag
    assert "--direction" in unit_tf("translate", "--help").stdout
    assert "--version" in unit_tf("export", "--help").stdout
    assert "--quantize" in unit_tf("tflite", "--help").stdout
    assert unit_tf("nonsense", check=False).returncode == 2


def test_train_two_steps_then_translate_a_folder_then_export(tmp_path, stand_in_fid_cache):
    run_dir = tmp_path / "run"
    result = unit_tf("train", "--flagfile=flags/unit_tiny.flags", f"--model_dir={run_dir}",
                     "--max_steps=2", f"--export_dir={tmp_path / 'saved'}")
    assert "step 2/2" in result.stderr
    assert "starting fresh, to step 2" in result.stderr  # the banner
    assert "trainable parameters: d " in result.stderr and " | g " in result.stderr
    assert "a: 1000 images of trainA" in result.stderr
    assert "building the training graph" in result.stderr
    assert (run_dir / "flags.txt").read_text().count("--max_steps=2") == 1
    assert sorted(os.listdir(run_dir / "samples")) == [
        "a2b_00000001.png", "a2b_00000002.png", "b2a_00000001.png", "b2a_00000002.png"]
    assert os.path.isfile(tmp_path / "saved" / "1" / "saved_model.pb")

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    rs = np.random.RandomState(0)
    for name, shape in [("wide.png", (18, 30, 3)), ("grey.png", (21, 13, 1))]:
        tf.io.write_file(str(inputs / name), tf.io.encode_png(
            rs.randint(0, 255, shape, dtype=np.uint8)))
    for model, out in [(run_dir, "from_run"), (tmp_path / "saved", "from_savedmodel")]:
        result = unit_tf("translate", f"--model={model}", f"--input={inputs}",
                         f"--output_dir={tmp_path / out}", "--direction=b2a")
        assert "translated 2 image(s)" in result.stdout
        wide = tf.io.decode_png(tf.io.read_file(str(tmp_path / out / "wide_b2a.png")))
        grey = tf.io.decode_png(tf.io.read_file(str(tmp_path / out / "grey_b2a.png")))
        assert tuple(wide.shape) == (18, 30, 3) and tuple(grey.shape) == (21, 13, 3)
    a = tf.io.decode_png(tf.io.read_file(str(tmp_path / "from_run" / "wide_b2a.png")))
    b = tf.io.decode_png(tf.io.read_file(str(tmp_path / "from_savedmodel" / "wide_b2a.png")))
    assert int(tf.reduce_max(tf.abs(tf.cast(a, tf.int32) - tf.cast(b, tf.int32)))) <= 1

    # the HTML report of the test split: every test image, only files that exist
    report = tmp_path / "report"
    shown = json.loads(unit_tf("test", f"--model={run_dir}", f"--output_dir={report}",
                               "--max_images=3", "--checkpoint=1").stdout.split("\nopen ")[0])
    assert shown["columns"] == ["input", "a2b", "back (b2a)"] and shown["images"] == 3
    check_report(report, ["00000", "00001", "00002"], columns=3)

    # an unpaired run is scored by FID/KID of its translations (stand-in Inception weights)
    scored = json.loads(unit_tf("eval", f"--model_dir={run_dir}", "--max_images=3",
                                "--fid=on", "--direction=b2a").stdout)
    assert (scored["n_real"], scored["n_fake"], scored["fid_direction"]) == (3, 3, "b2a")
    assert scored["fid"] > 0 and scored["step"] == 2

    exported = unit_tf("export", f"--model_dir={run_dir}", f"--export_dir={tmp_path / 'saved'}")
    assert exported.stdout.strip().endswith(str(tmp_path / "saved" / "2"))
    from unit_tf.export import read_metadata
    assert read_metadata(str(tmp_path / "saved" / "2"))["convolutions"] == "winograd"

    # int8 calibrates on the run's own training images (named in the export metadata).
    tflite = tmp_path / "b2a_int8.tflite"
    converted = unit_tf("tflite", f"--saved_model={tmp_path / 'saved'}", f"--output={tflite}",
                        "--signature=b2a", "--quantize=int8", "--num_representative=4")
    assert "quantize=int8" in converted.stdout and tflite.is_file()
    result = unit_tf("translate", f"--model={tflite}", f"--input={inputs / 'wide.png'}",
                     f"--output_dir={tmp_path / 'from_tflite'}", "--direction=b2a")
    assert "translated 1 image(s)" in result.stdout
    wide = tf.io.decode_png(tf.io.read_file(str(tmp_path / "from_tflite" / "wide_b2a.png")))
    assert tuple(wide.shape) == (18, 30, 3)
    refused = unit_tf("tflite", f"--saved_model={tmp_path / 'saved'}", f"--output={tflite}",
                      "--height=18", "--width=24", check=False)
    assert refused.returncode == 2 and "multiples of the network stride 4" in refused.stderr


def check_report(folder, names, columns, count=None):
    """index.html lists every test image (`names`, or `count` rows) in a row of `columns`
    images, all of which exist."""
    import re

    page = (folder / "index.html").read_text()
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert len(sources) == (count or len(names)) * columns and page.count("<tr><td>") == \
        (count or len(names))
    assert all((folder / s).is_file() for s in sources)
    for name in names:
        assert f"<tr><td>{name}</td>" in page
    return page


@pytest.mark.parametrize("args,message", [
    (["--data_dir=/no/such/folder"], "/no/such/folder"),
    (["--precision=float8"], "--precision"),
    (["--crop_size=18"], "crop_size=18"),
    (["--n_shared_enc=9"], "n_shared_enc=9"),
    (["--data_dir="], "--data_dir is required"),
])
def test_bad_input_fails_fast_naming_the_flag_or_path(tmp_path, args, message):
    result = unit_tf("train", "--flagfile=flags/unit_tiny.flags",
                     f"--model_dir={tmp_path / 'run'}", *args, check=False)
    assert result.returncode != 0
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "run").exists()  # no run folder for refused arguments


def test_empty_domain_and_unreadable_image(tmp_path):
    data = tmp_path / "data"
    (data / "trainA").mkdir(parents=True)
    (data / "trainB").mkdir()
    src = PROJECT_ROOT / "demo_data" / "mnist2usps" / "trainA"
    for name in sorted(os.listdir(src))[:3]:
        (data / "trainA" / name).write_bytes((src / name).read_bytes())
    result = unit_tf("train", "--flagfile=flags/unit_tiny.flags", f"--data_dir={data}",
                     f"--model_dir={tmp_path / 'run'}", check=False)
    assert result.returncode == 2 and "trainB" in result.stderr and "empty" in result.stderr
    (data / "trainB" / "bad.png").write_bytes(b"garbage")
    result = unit_tf("train", "--flagfile=flags/unit_tiny.flags", f"--data_dir={data}",
                     f"--model_dir={tmp_path / 'run'}", check=False)
    assert result.returncode == 2 and "bad.png" in result.stderr


def test_translate_with_missing_model_or_input_is_named(tmp_path):
    result = unit_tf("translate", f"--model={tmp_path}", f"--input={tmp_path / 'x.png'}",
                     check=False)
    assert result.returncode == 2 and "x.png" in result.stderr
    (tmp_path / "img").mkdir()
    result = unit_tf("translate", f"--model={tmp_path / 'nomodel'}",
                     f"--input={PROJECT_ROOT / 'demo_data' / 'mnist2usps' / 'testA'}",
                     check=False)
    assert result.returncode == 2 and "nomodel" in result.stderr


def official_pair(path, state):
    np.savez(path, **{f"{d}/{k}": v for d in "ab" for k, v in state.items()})


@pytest.mark.large
def test_import_official_unit_checkpoint_serves_the_official_output(tmp_path):
    """The fixture's VAEGen as both 'a' and 'b': the SavedModel's a2b is its dec(enc(x))."""
    data = np.load(require(FIXTURES / "unit_vaegen.npz"))
    state = {k[len("param/"):]: data[k] for k in data.files if k.startswith("param/")}
    checkpoint = tmp_path / "gen_00000001.npz"
    official_pair(checkpoint, state)
    config = tmp_path / "unit.yaml"
    config.write_text("gen:\n  dim: 16   # filters\n  activ: relu\n  pad_type: reflect\n")
    result = unit_tf("import-official", "--family=unit", f"--checkpoint={checkpoint}",
                     f"--config={config}", f"--export_dir={tmp_path / 'imported'}")
    assert result.stdout.strip().endswith(str(tmp_path / "imported" / "1"))
    loaded = tf.saved_model.load(str(tmp_path / "imported" / "1"))
    x = np.transpose(data["input"], (0, 2, 3, 1))
    out = loaded.signatures["a2b"](images=tf.constant(x))["images"].numpy()
    assert np.abs(out - np.transpose(data["output"], (0, 2, 3, 1))).max() <= 1e-4

    if (FIXTURES / "unit_vaegen.pt").exists() and importlib.util.find_spec("torch"):
        import torch

        pt = tmp_path / "gen_00000002.pt"
        sd = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()}
        torch.save({"a": sd, "b": sd}, pt)
        unit_tf("import-official", f"--checkpoint={pt}", f"--export_dir={tmp_path / 'imported'}")
        again = tf.saved_model.load(str(tmp_path / "imported" / "2"))
        np.testing.assert_allclose(again.signatures["b2a"](images=tf.constant(x))["images"], out,
                                   atol=1e-6)


def test_import_official_refuses_unexpected_keys_and_shapes_by_name(tmp_path):
    data = np.load(require(FIXTURES / "unit_vaegen.npz"))
    state = {k[len("param/"):]: data[k] for k in data.files if k.startswith("param/")}
    extra = dict(state, **{"enc.model.9.conv.weight": np.zeros((1,), np.float32)})
    official_pair(tmp_path / "extra.npz", extra)
    result = unit_tf("import-official", f"--checkpoint={tmp_path / 'extra.npz'}",
                     f"--export_dir={tmp_path / 'out'}", check=False)
    assert result.returncode == 2 and "enc.model.9.conv.weight" in result.stderr
    bad = dict(state, **{"dec.model.5.conv.bias": np.zeros((7,), np.float32)})
    official_pair(tmp_path / "shape.npz", bad)
    result = unit_tf("import-official", f"--checkpoint={tmp_path / 'shape.npz'}",
                     f"--export_dir={tmp_path / 'out'}", check=False)
    assert result.returncode == 2 and "dec.model.5.conv.bias" in result.stderr
    assert not (tmp_path / "out").exists()


def pngs(folder):
    return {p.name: tf.io.decode_png(tf.io.read_file(str(p))).numpy().astype(int)
            for p in sorted(folder.iterdir())}


@pytest.mark.large
def test_munit_trains_exports_and_translates_with_several_styles(tmp_path):
    data = require(DATASETS / "edges2handbags_demo")
    run_dir = tmp_path / "munit"
    unit_tf("train", "--flagfile=flags/munit_tiny.flags", f"--data_dir={data}",
            f"--model_dir={run_dir}", "--max_steps=2", f"--export_dir={tmp_path / 'saved'}")
    grid = tf.io.decode_png(tf.io.read_file(str(run_dir / "samples" / "a2b_00000002.png")))
    # input | recon | 3 styles, 2 samples; 32 px cells shown at 64 under a 9-px label strip
    assert tuple(grid.shape) == (9 + 2 * 64, 5 * 64, 3)

    inputs = data / "testA"
    for model, out in [(run_dir, "from_run"), (tmp_path / "saved", "from_saved")]:
        unit_tf("translate", f"--model={model}", f"--input={inputs / '00000.jpg'}",
                f"--output_dir={tmp_path / out}", "--num_styles=3", "--seed=4")
    run, saved = pngs(tmp_path / "from_run"), pngs(tmp_path / "from_saved")
    assert sorted(run) == [f"00000_a2b_style{k}.png" for k in range(3)] == sorted(saved)
    for name in run:  # the run directory and its SavedModel draw the same styles
        assert np.abs(run[name] - saved[name]).max() <= 1
    assert np.abs(run["00000_a2b_style0.png"] - run["00000_a2b_style1.png"]).max() > 0

    # synchronized: every input gets the same styles; guided: one output in the reference style
    unit_tf("translate", f"--model={run_dir}", f"--input={inputs}", "--num_styles=2",
            "--synchronized", f"--output_dir={tmp_path / 'sync'}")
    unit_tf("translate", f"--model={tmp_path / 'saved'}", f"--input={inputs / '00001.jpg'}",
            f"--style={data / 'testB' / '00000.jpg'}", f"--output_dir={tmp_path / 'guided'}")
    assert sorted(pngs(tmp_path / "guided")) == ["00001_a2b.png"]
    refused = unit_tf("translate", f"--model={run_dir}", f"--input={inputs / '00000.jpg'}",
                      "--style=/no/such.png", check=False)
    assert refused.returncode == 2 and "/no/such.png" in refused.stderr

    shown = json.loads(unit_tf("test", f"--model={run_dir}", f"--output_dir={tmp_path / 'page'}",
                               "--num_styles=2", "--max_images=2").stdout.split("\nopen ")[0])
    assert shown["columns"] == ["input", "a2b style 0", "a2b style 1", "back (b2a)"]
    check_report(tmp_path / "page", [], columns=4, count=2)

    metrics = unit_tf("eval", f"--model_dir={run_dir}", "--num_styles=3", "--max_images=2",
                      f"--output={tmp_path / 'metrics.json'}")
    result = json.loads((tmp_path / "metrics.json").read_text())
    assert result["images"] == 2 and result["pixel_diversity"] > 0 and result["step"] == 2
    assert json.loads(metrics.stdout) == result


@pytest.mark.large
def test_import_official_munit_checkpoint_serves_the_official_outputs(tmp_path):
    """The fixture's AdaINGen as 'a' and 'b': a2b_style(x, s) is its decode(content(x), s)."""
    data = np.load(require(FIXTURES / "munit_adaingen.npz"))
    state = {k[len("param/"):]: data[k] for k in data.files if k.startswith("param/")}
    official_pair(tmp_path / "gen_00000001.npz", state)
    unit_tf("import-official", "--family=munit", f"--checkpoint={tmp_path / 'gen_00000001.npz'}",
            f"--export_dir={tmp_path / 'munit'}")
    loaded = tf.saved_model.load(str(tmp_path / "munit" / "1"))
    x = np.transpose(data["input"], (0, 2, 3, 1))
    for style, output in [("style", "output_own_style"), ("style_random", "output_random_style")]:
        codes = data[style].reshape(len(x), -1)
        out = loaded.signatures["a2b_style"](images=tf.constant(x), style=tf.constant(codes))
        expected = np.transpose(data[output], (0, 2, 3, 1))
        assert np.abs(out["images"].numpy() - expected).max() <= 1e-4
    guided = loaded.signatures["b2a_guided"](images=tf.constant(x), style_images=tf.constant(x))
    own = np.transpose(data["output_own_style"], (0, 2, 3, 1))
    assert np.abs(guided["images"].numpy() - own).max() <= 1e-4  # each input's own style


@pytest.mark.large
@pytest.mark.parametrize("family,stem,files", [
    ("cyclegan", "cyclegan_resnet_generator", "latest_net_G_A.npz"),
    ("pix2pix", "pix2pix_unet_generator", "latest_net_G.npz")])
def test_import_official_junyanz_generators_serve_the_official_output(tmp_path, family, stem,
                                                                      files):
    data = np.load(require(FIXTURES / f"{stem}.npz"))
    state = {k[len("param/"):]: data[k] for k in data.files if k.startswith("param/")}
    np.savez(tmp_path / files, **state)  # junyanz checkpoints are single state dicts
    unit_tf("import-official", f"--family={family}", f"--checkpoint={tmp_path / files}",
            f"--export_dir={tmp_path / family}")
    loaded = tf.saved_model.load(str(tmp_path / family / "1"))
    assert "a2b" in loaded.signatures and "b2a" not in loaded.signatures
    x = np.transpose(data["input"], (0, 2, 3, 1))
    out = loaded.signatures["a2b"](images=tf.constant(x))["images"].numpy()
    assert np.abs(out - np.transpose(data["output"], (0, 2, 3, 1))).max() <= 1e-4
    wrong = unit_tf("import-official", "--family=pix2pix" if family == "cyclegan" else
                    "--family=cyclegan", f"--checkpoint={tmp_path / files}",
                    f"--export_dir={tmp_path / 'wrong'}", check=False)
    assert wrong.returncode == 2 and "not a junyanz" in wrong.stderr


@pytest.mark.large
def test_pix2pix_and_cyclegan_train_from_flagfiles_export_and_translate(tmp_path,
                                                                        stand_in_fid_cache):
    run_dir, saved = tmp_path / "p2p", tmp_path / "saved"
    result = unit_tf("train", "--flagfile=flags/pix2pix_tiny.flags", f"--model_dir={run_dir}",
                     f"--export_dir={saved}")
    assert "step 16/16" in result.stderr  # 1 + 1 epochs of 16 pairs at batch 2
    assert sorted(os.listdir(run_dir / "samples")) == ["b2a_00000008.png", "b2a_00000016.png"]
    metadata = json.loads((saved / "1" / "assets" / "unit_tf_metadata.json").read_text())
    assert metadata["family"] == "pix2pix" and metadata["directions"] == ["b2a"]
    label = tf.io.encode_png(tf.zeros([40, 24, 3], tf.uint8))  # any size: padded to 32 and back
    tf.io.write_file(str(tmp_path / "label.png"), label)
    for model, out in [(run_dir, "from_run"), (saved, "from_savedmodel")]:
        unit_tf("translate", f"--model={model}", f"--input={tmp_path / 'label.png'}",
                f"--output_dir={tmp_path / out}", "--direction=b2a")
        photo = tf.io.decode_png(tf.io.read_file(str(tmp_path / out / "label_b2a.png")))
        assert tuple(photo.shape) == (40, 24, 3)
    refused = unit_tf("translate", f"--model={saved}", f"--input={tmp_path / 'label.png'}",
                      f"--output_dir={tmp_path / 'x'}", "--direction=a2b", check=False)
    assert refused.returncode != 0 and "a2b" in refused.stderr
    metrics = json.loads(unit_tf("eval", f"--model_dir={run_dir}").stdout)
    assert metrics["images"] == 4 and metrics["direction"] == "b2a"  # facades_tiny/test
    assert 0 < metrics["ssim"] < 1 and metrics["psnr"] > 5 and metrics["pixel_l1"] > 0
    # FID/KID beside the paired metrics: B halves translated against the A halves
    assert (metrics["n_real"], metrics["n_fake"], metrics["fid_direction"]) == (4, 4, "b2a")
    wrong = unit_tf("eval", f"--model_dir={run_dir}", "--direction=a2b", check=False)
    assert wrong.returncode != 0 and "translates b2a" in wrong.stderr
    # the report of a paired one-way run: the other half is the ground truth, no back column
    shown = json.loads(unit_tf("test", f"--model={saved}", f"--output_dir={tmp_path / 'page'}",
                               "--direction=b2a").stdout.split("\nopen ")[0])
    assert shown["columns"] == ["input", "b2a", "ground truth"] and shown["images"] == 4
    check_report(tmp_path / "page", [], columns=3, count=4)
    refused = unit_tf("test", f"--model={run_dir}", f"--output_dir={tmp_path / 'x'}",
                      check=False)
    assert refused.returncode == 2 and "this model translates b2a" in refused.stderr

    cycle_dir = tmp_path / "cyclegan"
    unit_tf("train", "--flagfile=flags/cyclegan_tiny.flags", f"--model_dir={cycle_dir}",
            "--max_steps=2")
    assert sorted(os.listdir(cycle_dir / "samples")) == ["a2b_00000002.png", "b2a_00000002.png"]
    grid = tf.io.decode_png(tf.io.read_file(str(cycle_dir / "samples" / "a2b_00000002.png")))
    assert tuple(grid.shape) == (9 + 2 * 64, 3 * 64, 3)  # input, translation, cycle; labels
