"""Flags -> ExperimentConfig for every family, parsed in-process as absl parses a command line."""

import contextlib

import pytest
from absl import flags

from tests.conftest import PROJECT_ROOT
from unit_tf.cli import flags as train_flags


@contextlib.contextmanager
def parsed(*args):
    flags.FLAGS.unparse_flags()
    flags.FLAGS(["unit-tf train", *args])
    try:
        yield train_flags.to_config()
    finally:
        flags.FLAGS.unparse_flags()


def test_pix2pix_flagfile_gives_the_official_defaults_and_direction():
    with parsed("--flagfile=flags/pix2pix_facades.flags") as config:
        assert config.family == "pix2pix" and config.model.direction == "b2a"
        assert config.model.net_g == "unet_256" and config.model.norm == "bn"
        assert config.model.use_dropout and config.model.gan_type == "vanilla"
        assert config.loss_weights.lambda_L1 == 100.0 and config.loss_weights.dis_gan_w == 0.5
        assert (config.optim.lr, config.optim.weight_decay) == (2e-4, 0.0)
        assert (config.optim.n_epochs, config.optim.n_epochs_decay) == (100, 100)
        assert config.train.max_steps == -1  # the epochs decide
        assert config.data.layout == "side_by_side" and config.data.resize == "square"
        assert (config.data.load_size, config.data.crop_size) == (286, 256)


def test_cyclegan_defaults_without_a_flagfile():
    with parsed("--family=cyclegan", "--data_dir=x") as config:
        assert config.model.net_g == "resnet_9blocks" and config.model.pool_size == 50
        assert not config.model.use_dropout and config.model.gan_type == "lsgan"
        assert (config.loss_weights.lambda_A, config.loss_weights.lambda_identity) == (10, 0.5)
        assert config.optim.epoch_schedule and config.train.max_steps == -1
    with parsed("--family=cyclegan", "--max_steps=7", "--lr_policy=step") as config:
        assert config.train.max_steps == 7 and not config.optim.epoch_schedule


@pytest.mark.parametrize("args,message", [
    (["--family=cyclegan", "--dim=8"], "--dim do(es) not apply to CycleGANConfig"),
    (["--family=cyclegan", "--dis_norm=in"], "--dis_norm do(es) not apply to CycleGANConfig"),
    (["--family=cyclegan", "--direction=BtoA"], "--direction does not apply"),
    (["--family=unit", "--netG=unet_256"], "--netG do(es) not apply to UNITConfig"),
    (["--family=pix2pix", "--lambda_A=3"], "--lambda_A do(es) not apply"),
    (["--family=pix2pix", "--preset=paper"], "--preset='paper' is a UNIT preset"),
    (["--family=cyclegan", "--netG=unet_100"], "--netG='unet_100'"),
    (["--crop_size=300", "--load_size=256"], "--crop_size=300 is larger than --load_size=256"),
    (["--lr=0", "--family=munit"], "--lr=0.0 must be > 0"),
    (["--dis_n_layer=0"], "--dis_n_layer=0 must be > 0"),
    (["--lambda_L1=-1", "--family=pix2pix"], "--lambda_L1=-1"),
])
def test_flags_of_another_family_or_bad_values_are_refused_by_name(args, message):
    """The library names config fields (data.crop_size); the CLI shows the user's flags."""
    with pytest.raises(ValueError) as error:
        with parsed(*args):
            pass
    assert message in train_flags.flag_names(str(error.value))


@pytest.mark.parametrize("flagfile", ["unit_tiny", "munit_tiny", "cyclegan_tiny", "pix2pix_tiny",
                                      "pix2pix_facades", "da_mnist_to_usps_cpu", "unit_paper",
                                      "unit_quick", "munit_quick", "cyclegan_quick",
                                      "unit_maps", "munit_maps", "cyclegan_maps"])
def test_the_run_flags_file_holds_only_this_family_and_rebuilds_the_config(flagfile, tmp_path):
    with parsed(f"--flagfile=flags/{flagfile}.flags") as config:
        text = train_flags.run_flags_text(config)
    (tmp_path / "flags.txt").write_text(text)
    with parsed(f"--flagfile={tmp_path / 'flags.txt'}") as again:
        assert again == config
    names = {line.split("=")[0] for line in text.splitlines() if line.startswith("--")}
    assert f"--family={config.family}" in text and "--model_dir" in names
    other = {"unit": "--ngf", "munit": "--netG", "cyclegan": "--dis_dim",
             "pix2pix": "--n_shared_enc", "unit_da": "--netD"}[config.family]
    assert other not in names and "--flagfile" not in names


def test_nested_flagfiles_resolve_beside_the_file_that_names_them(tmp_path, monkeypatch):
    from unit_tf.cli.main import FlagfileError, expand_flagfiles

    (tmp_path / "exp").mkdir()
    (tmp_path / "exp" / "base.flags").write_text("# base\n--dim=8\n// note\n\n--n_res=1\n")
    (tmp_path / "exp" / "run.flags").write_text("--flagfile=base.flags\n"
                                                "--flagfile=flags/unit_tiny.flags\n--dim=16\n")
    monkeypatch.chdir(PROJECT_ROOT)  # flags/unit_tiny.flags: not beside run.flags, so the cwd's
    args = expand_flagfiles([f"--flagfile={tmp_path / 'exp' / 'run.flags'}", "--seed=3"])
    assert args[:2] == ["--dim=8", "--n_res=1"] and args[-2:] == ["--dim=16", "--seed=3"]
    assert "--data_dir=demo_data/mnist2usps" in args and not any("flagfile" in a for a in args)
    with parsed(*args) as config:  # in order, the last value winning, as absl reads them
        assert (config.model.dim, config.model.n_res, config.runtime.seed) == (16, 2, 3)
    (tmp_path / "exp" / "bad.flags").write_text("--flagfile=nowhere.flags\n")
    with pytest.raises(FlagfileError, match="nowhere.flags.*named in .*bad.flags"):
        expand_flagfiles([f"--flagfile={tmp_path / 'exp' / 'bad.flags'}"])
    (tmp_path / "loop.flags").write_text(f"--flagfile={tmp_path / 'loop.flags'}\n")
    with pytest.raises(FlagfileError, match="nest more than 20 deep"):
        expand_flagfiles([f"--flagfile={tmp_path / 'loop.flags'}"])


def test_an_install_without_tensorflow_names_the_extra(monkeypatch):
    import importlib.util

    from unit_tf.cli import main

    assert main.tensorflow_missing() is None
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name: None if name == "tensorflow" else real(name))
    message = main.tensorflow_missing()
    assert "unit_tf[cpu]" in message and "unit_tf[gpu]" in message
    assert main.run(["unit-tf", "train"]) == 2


@pytest.mark.parametrize("family", ["unit", "munit", "cyclegan"])
def test_quick_flagfiles_train_64_pixel_crops_for_600_steps(family):
    with parsed(f"--flagfile=flags/{family}_quick.flags", "--data_dir=mine") as config:
        assert config.family == family and config.train.max_steps == 600
        assert (config.data.load_size, config.data.crop_size) == (72, 64)
        assert config.train.sample_every == 100 and config.data.data_dir == "mine"
        assert not config.optim.epoch_schedule  # 600 steps, not the official 200 epochs
